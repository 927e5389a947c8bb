// The library functions LuaJIT writes in Lua (src/vm/lib/lualib.ts): compiled
// by our front end and rewritten, they must be LuaJIT's bytecode exactly, since
// the JIT records them instruction by instruction.
import { describe, expect, it } from "vitest";
import { listPrototype } from "../../src/bc/listing.ts";
import { LUA_LIB_DEFS, compileLuaLib } from "../../src/vm/lib/lualib.ts";
import { runLua } from "../support/runlua.ts";

// `require("jit.bc").dump(f)` of each function in LuaJIT v2.1 (e0551670, x64),
// except that foreach's KNUM shows its pairs control as 0 (LuaJIT: "userdata: NULL").
const LUAJIT_LISTINGS = [
  `-- BYTECODE -- builtin:deg--1
0001    MULVN    1   0   0  ; 57.295779513082
0002    RET1     1   2
`,
  `-- BYTECODE -- builtin:rad--1
0001    MULVN    1   0   0  ; 0.017453292519943
0002    RET1     1   2
`,
  `-- BYTECODE -- builtin:len--1
0001    ISTYPE   0   5
0002    LEN      1   0
0003    RET1     1   2
`,
  `-- BYTECODE -- builtin:foreachi--1
0001    ISTYPE   0  12
0002    ISTYPE   1   9
0003    KSHORT   2   1
0004    LEN      3   0
0005    KSHORT   4   1
0006    FORI     2 => 0015
0007 => MOV      6   1
0008    MOV      8   5
0009    TGETR    9   0   5
0010    CALL     6   2   3
0011    ISEQP    6   0
0012    JMP      7 => 0014
0013    RET1     6   2
0014 => FORL     2 => 0007
0015 => RET0     0   1
`,
  `-- BYTECODE -- builtin:foreach--1
0001    ISTYPE   0  12
0002    ISTYPE   1   9
0003    KPRI     2   0
0004    MOV      3   0
0005    KNUM     4   0      ; 0
0006    JMP      5 => 0014
0007 => MOV      7   1
0008    MOV      9   5
0009    MOV     10   6
0010    CALL     7   2   3
0011    ISEQP    7   0
0012    JMP      8 => 0014
0013    RET1     7   2
0014 => ITERN    5   3   3
0015    ITERL    5 => 0007
0016    RET0     0   1
`,
  `-- BYTECODE -- builtin:getn--1
0001    ISTYPE   0  12
0002    LEN      1   0
0003    RET1     1   2
`,
  `-- BYTECODE -- builtin:remove--1
0001    ISTYPE   0  12
0002    LEN      2   0
0003    ISNEP    1   0
0004    JMP      3 => 0012
0005    ISEQN    2   0      ; 0
0006    JMP      3 => 0030
0007    TGETR    3   0   2
0008    KPRI     4   0
0009    TSETR    4   0   2
0010    RET1     3   2
0011    JMP      3 => 0030
0012 => ISNUM    1  15
0013    KSHORT   3   1
0014    ISGT     3   1
0015    JMP      3 => 0030
0016    ISGT     1   2
0017    JMP      3 => 0030
0018    TGETR    3   0   1
0019    ADDVN    4   1   1  ; 1
0020    MOV      5   2
0021    KSHORT   6   1
0022    FORI     4 => 0027
0023 => SUBVN    8   7   1  ; 1
0024    TGETR    9   0   7
0025    TSETR    9   0   8
0026    FORL     4 => 0023
0027 => KPRI     4   0
0028    TSETR    4   0   2
0029    RET1     3   2
0030 => RET0     0   1
`,
  `-- BYTECODE -- builtin:move--1
0001    ISTYPE   0  12
0002    ISNUM    1  15
0003    ISNUM    2  15
0004    ISNUM    3  15
0005    ISNEP    4   0
0006    JMP      5 => 0008
0007    MOV      4   0
0008 => ISTYPE   4  12
0009    ISGT     1   2
0010    JMP      5 => 0035
0011    SUBVV    5   3   1
0012    ISLT     2   3
0013    JMP      6 => 0018
0014    ISLE     3   1
0015    JMP      6 => 0018
0016    ISEQV    4   0
0017    JMP      6 => 0027
0018 => MOV      6   1
0019    MOV      7   2
0020    KSHORT   8   1
0021    FORI     6 => 0026
0022 => ADDVV   10   9   5
0023    TGETR   11   0   9
0024    TSETR   11   4  10
0025    FORL     6 => 0022
0026 => JMP      6 => 0035
0027 => MOV      6   2
0028    MOV      7   1
0029    KSHORT   8  -1
0030    FORI     6 => 0035
0031 => ADDVV   10   9   5
0032    TGETR   11   0   9
0033    TSETR   11   4  10
0034    FORL     6 => 0031
0035 => RET1     4   2
`,
];

describe("library functions written in Lua", () => {
  LUA_LIB_DEFS.forEach((def, i) => {
    it(`${def.lib}.${def.name} compiles to LuaJIT's bytecode`, () => {
      expect(listPrototype(compileLuaLib(def))).toBe(LUAJIT_LISTINGS[i] + "\n");
    });
  });

  it("indexes raw with the key truncated to an integer (TGETR/TSETR)", () => {
    const r = runLua(`local t = setmetatable({10, 20, 30}, {__index = error, __newindex = error})
      print(table.remove(t, 2.9), t[2], #t)`);
    expect(r).toBe("20\t20\t2\n"); // the shift loop runs from 3.9: not at all
  });

  it("converts a numeric string argument in place (ISNUM)", () => {
    expect(runLua(`print(table.remove({1, 2, 3}, " 0x2 "))`)).toBe("2\n");
  });
});
