// The coroutine library through the compiler and VM (src/vm/coro.ts,
// src/vm/lib/coroutine.ts): fixture programs checked against LuaJIT.
import { describe } from "vitest";
import { fixtureTests } from "../support/libfixtures.ts";

describe("coroutine library", () => {
  fixtureTests("coroutine");
});
