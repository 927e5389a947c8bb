// The base library through the compiler and VM (src/vm/lib/base.ts): fixture
// programs checked against LuaJIT.
import { describe } from "vitest";
import { fixtureTests } from "../support/libfixtures.ts";

describe("base library", () => {
  fixtureTests("base");
});
