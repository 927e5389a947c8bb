// Permalinks survive a round trip, and odd or old hashes degrade gracefully.
import { describe, expect, it } from "vitest";
import { decodePermalink, encodePermalink, sanitizeName, type Permalink } from "../../src/ui/app/permalink.ts";

const link: Permalink = {
  code: "-- luajit-args: -Ohotloop=1\nfor _ = 1, 3 do\n  jit.flush(1)\n  for _ = 1, 4 do end\nend\nprint('é ✓')\n",
  name: "seed_flush_twice.lua", build: "prefix-assert", hotloop: 1, opts: "maxtrace=4", cursor: 12,
};

describe("permalinks", () => {
  it("round-trip code, options, build and cursor", async () => {
    const hash = await encodePermalink(link);
    expect(hash).toMatch(/^v=1&/);
    expect(hash).toContain("z=");
    expect(await decodePermalink("#" + hash)).toEqual(link);
    expect(await decodePermalink(await encodePermalink({ ...link, cursor: null, opts: "" }))).toEqual({ ...link, cursor: null, opts: "" });
  });

  it("read uncompressed code and fill in defaults", async () => {
    const code = Buffer.from("print(1)").toString("base64url");
    expect(await decodePermalink(`code=${code}&build=weird&hotloop=x`)).toEqual({
      code: "print(1)", name: "main.lua", build: "fixed", hotloop: 56, opts: "", cursor: null,
    });
  });

  it("ignore hashes without a program", async () => {
    expect(await decodePermalink("")).toBe(null);
    expect(await decodePermalink("#z=!!!")).toBe(null);
  });

  it("keep file names plain", () => {
    expect(sanitizeName("x.lua")).toBe("x.lua");
    expect(sanitizeName("../etc/passwd")).toBe("main.lua");
    expect(sanitizeName(null)).toBe("main.lua");
  });
});
