// The -bl printer (src/bc/listing.ts) against jit/bc.lua's output: hand-built
// prototypes checked line by line, and every oracle listing read back into
// prototypes and printed again byte for byte (independent of the compiler).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { funcLoc } from "../../src/bc/funcloc.ts";
import { insABC, insAD, insAJ } from "../../src/bc/ins.ts";
import { formatInstruction, jumpTargets, listBytecode, listPrototype } from "../../src/bc/listing.ts";
import { Op } from "../../src/bc/opcodes.ts";
import { PROTO_CHILD, type KGC, type Proto } from "../../src/bc/proto.ts";
import { parseListing } from "../support/listing-parse.ts";
import { casePath, oracleCaseNames, oracleCases } from "../support/oracle.ts";

/** A prototype with a FUNCF header followed by `code`. */
function proto(p: Partial<Omit<Proto, "bc">> & { bc: number[] }): Proto {
  const { bc: code, ...rest } = p;
  const bc = [insAD(Op.FUNCF, 4, 0), ...code];
  return {
    kind: "proto", chunkname: "@x.lua", firstline: 0, numline: 1, numparams: 0, framesize: 4, flags: 0,
    knum: [], kgc: [], uv: [], uvnames: [], varinfo: [], closures: 0, ...rest,
    bc: Uint32Array.from(bc), lineinfo: new Int32Array(bc.length),
  };
}

const line = (pt: Proto, pc = 1, target = false): string => formatInstruction(pt, pc, target);

describe("formatInstruction", () => {
  it("prints operands in bc.lua's columns", () => {
    expect(line(proto({ bc: [insAD(Op.KSHORT, 4, 300)] }))).toBe("0001    KSHORT   4 300");
    expect(line(proto({ bc: [insAD(Op.KSHORT, 3, 0x10000 - 1)] }))).toBe("0001    KSHORT   3  -1");
    expect(line(proto({ bc: [insABC(Op.ADDVV, 2, 0, 1)] }))).toBe("0001    ADDVV    2   0   1");
    expect(line(proto({ bc: [insABC(Op.CALL, 10, 0, 2)] }), 1, true)).toBe("0001 => CALL    10   0   2");
    expect(line(proto({ bc: [insAD(Op.KPRI, 4, 2)] }))).toBe("0001    KPRI     4   2");
    expect(line(proto({ bc: [insAD(Op.RET0, 0, 1)] }))).toBe("0001    RET0     0   1");
  });

  it("prints jumps as absolute targets", () => {
    const pt = proto({ bc: [insAJ(Op.FORI, 3, 8), ...Array<number>(8).fill(insAD(Op.KPRI, 0, 0)), insAJ(Op.FORL, 3, -9), insAJ(Op.JMP, 4, -1)] });
    expect(line(pt, 1)).toBe("0001    FORI     3 => 0010");
    expect(line(pt, 10)).toBe("0010    FORL     3 => 0002");
    expect(line(pt, 11)).toBe("0011    JMP      4 => 0011");
    expect([...jumpTargets(pt)].sort((a, b) => a - b)).toEqual([2, 10, 11]);
  });

  it("comments constants: strings, numbers, TSETM indexes", () => {
    const pt = proto({
      knum: [2, 2 ** 52 + 2, 0.1, 1 / 0],
      kgc: ["print", "format"],
      bc: [
        insAD(Op.GGET, 0, 0), insABC(Op.TGETS, 2, 2, 1), insABC(Op.MULVN, 1, 0, 0), insAD(Op.TSETM, 8, 1),
        insAD(Op.KNUM, 2, 2), insAD(Op.KNUM, 2, 3), insABC(Op.ISEQN, 0, 0, 0),
      ],
    });
    expect([1, 2, 3, 4, 5, 6, 7].map((pc) => line(pt, pc))).toEqual([
      '0001    GGET     0   0      ; "print"',
      '0002    TGETS    2   2   1  ; "format"',
      "0003    MULVN    1   0   0  ; 2",
      "0004    TSETM    8   1      ; 2",
      "0005    KNUM     2   2      ; 0.1",
      "0006    KNUM     2   3      ; inf",
      "0007    ISEQN    0   0      ; 2",
    ]);
  });

  it("escapes control characters and cuts long strings after 40 escaped characters", () => {
    const pt = proto({
      kgc: ["a\nb\r\t\0\x1f\x7f\x80\xff", "x".repeat(40), "y".repeat(41), "\0".repeat(20)],
      bc: [insAD(Op.KSTR, 0, 0), insAD(Op.KSTR, 0, 1), insAD(Op.KSTR, 0, 2), insAD(Op.KSTR, 0, 3)],
    });
    expect(line(pt, 1)).toBe('0001    KSTR     0   0      ; "a\\nb\\r\\t\\000\\031\\127\x80\xff"');
    expect(line(pt, 2)).toBe(`0002    KSTR     0   1      ; "${"x".repeat(40)}"`);
    expect(line(pt, 3)).toBe(`0003    KSTR     0   2      ; "${"y".repeat(40)}"~`);
    // 20 raw bytes are not over 40, so no cut although the escaped text is 80 chars long.
    expect(line(pt, 4)).toBe(`0004    KSTR     0   3      ; "${"\\000".repeat(20)}"`);
  });

  it("names upvalues and child functions", () => {
    const child = proto({ firstline: 7, numline: 5, bc: [insAD(Op.RET0, 0, 1)] });
    const pt = proto({
      uvnames: ["total", "count"], kgc: ["s", child], knum: [1.5],
      bc: [
        insAD(Op.UGET, 5, 1), insAD(Op.USETV, 0, 5), insAD(Op.USETS, 1, 0), insAD(Op.USETN, 0, 0),
        insAD(Op.USETP, 1, 2), insAD(Op.FNEW, 2, 1), insAJ(Op.UCLO, 0, 0),
      ],
    });
    expect([1, 2, 3, 4, 5, 6, 7].map((pc) => line(pt, pc))).toEqual([
      "0001    UGET     5   1      ; count",
      "0002    USETV    0   5      ; total",
      '0003    USETS    1   0      ; count ; "s"',
      "0004    USETN    0   0      ; total ; 1.5",
      "0005    USETP    1   2      ; count",
      "0006    FNEW     2   1      ; x.lua:7",
      "0007    UCLO     0 => 0008",
    ]);
  });

  it("prints instructions without operands and the header with trailing blanks", () => {
    const pt = proto({ bc: [insAD(Op.RET0, 0, 1)] });
    expect(line(pt, 0)).toBe("0000    FUNCF    4 ");
    expect(line(proto({ bc: [insAD(Op.JFUNCF, 4, 3)] }), 1)).toBe("0001    JFUNCF   4   3");
  });
});

describe("listBytecode", () => {
  it("lists children first, in constant order, depth first", () => {
    const grandchild = proto({ firstline: 3, numline: 0, bc: [insAD(Op.RET0, 0, 1)] });
    const a = proto({ firstline: 2, numline: 2, flags: PROTO_CHILD, kgc: [grandchild], bc: [insAD(Op.FNEW, 0, 0), insAD(Op.RET0, 0, 1)] });
    const b = proto({ firstline: 5, numline: 1, bc: [insAD(Op.RET0, 0, 1)] });
    const main = proto({
      numline: 6, flags: PROTO_CHILD, kgc: ["k", a, b] as KGC[],
      bc: [insAD(Op.FNEW, 0, 1), insAD(Op.FNEW, 1, 2), insAD(Op.RET0, 0, 1)],
    });
    expect(listBytecode(main)).toBe([
      "-- BYTECODE -- x.lua:3-3", "0001    RET0     0   1", "",
      "-- BYTECODE -- x.lua:2-4", "0001    FNEW     0   0      ; x.lua:3", "0002    RET0     0   1", "",
      "-- BYTECODE -- x.lua:5-6", "0001    RET0     0   1", "",
      "-- BYTECODE -- x.lua:0-6", "0001    FNEW     0   1      ; x.lua:2", "0002    FNEW     1   2      ; x.lua:5",
      "0003    RET0     0   1", "", "",
    ].join("\n"));
    // Without PROTO_CHILD, bc.lua does not look for children.
    expect(listBytecode({ ...main, flags: 0 })).toBe(listPrototype(main));
  });

  it("reprints every oracle listing byte for byte", () => {
    const names = oracleCaseNames();
    if (names === null) { console.warn(`oracle corpus not found at ${oracleCases}`); return; }
    for (const name of names) {
      const want = readFileSync(casePath(name, ".bl"), "latin1");
      expect(listBytecode(parseListing(want, `@${name}.lua`)), name).toBe(want);
    }
  });
});

describe("funcLoc (jit.util.funcinfo's loc)", () => {
  const at = (chunkname: string, firstline = 3) => funcLoc(proto({ chunkname, firstline, bc: [] }));
  it("formats each kind of chunk name like lj_debug_pushloc", () => {
    expect(at("@x.lua")).toBe("x.lua:3");
    expect(at("@/tmp/dir/x.lua")).toBe("x.lua:3");
    expect(at("@dir\\x.lua")).toBe("x.lua:3");
    expect(at("@/x.lua")).toBe("/x.lua:3");
    expect(at("=stdin")).toBe("stdin:3");
    expect(at("local x = 1", 0)).toBe('"local x = 1":0');
    expect(at("x".repeat(41))).toMatch(/^0x[0-9a-f]{8}:3$/);
  });
});
