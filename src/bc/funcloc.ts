// Source positions of prototypes as LuaJIT's tools print them: the "loc" of
// jit.util.funcinfo (lj_debug_pushloc in lj_debug.c) and lj_debug_line.
// Unlike shortSrc (messages), a file name loses its directory here.
import type { Proto } from "./proto.ts";

/** Source line of instruction pc: the header (pc 0) reports firstline, pc == #bc the last line. */
export function debugLine(pt: Proto, pc: number): number {
  if (pc === 0) return pt.firstline;
  if (pc === pt.bc.length) return pt.firstline + pt.numline;
  return pc > 0 && pc < pt.bc.length ? pt.lineinfo[pc] : 0;
}

// DIVERGENCE: LuaJIT prints the proto's address for chunk names over 40 chars
// (e.g. `-bl -e` with a long chunk); we have none, so each such proto gets a
// stable made-up address instead.
const fakeAddress = new WeakMap<Proto, number>();
let nextFake = 0x40001000;

function protoAddress(pt: Proto): string {
  let a = fakeAddress.get(pt);
  if (a === undefined) { a = nextFake; nextFake += 0x100; fakeAddress.set(pt, a); }
  return "0x" + a.toString(16).padStart(8, "0");
}

/** "name:line" for instruction pc (default: the header, i.e. the line where the function starts). */
export function funcLoc(pt: Proto, pc = 0): string {
  const line = debugLine(pt, pc);
  const name = pt.chunkname;
  if (pt.firstline === -1) return `builtin:${cstr(name)}`;
  if (name.startsWith("@")) {
    // Strip the directory; a separator in the very first position is kept, as in LuaJIT.
    let file = name.slice(1);
    for (let i = file.length - 1; i > 0; i--) {
      const c = file.charCodeAt(i);
      if (c === 47 || c === 92) { file = file.slice(i + 1); break; }
    }
    return `${cstr(file)}:${line}`;
  }
  if (name.length > 40) return `${protoAddress(pt)}:${line}`;
  if (name.startsWith("=")) return `${cstr(name.slice(1))}:${line}`;
  return `"${cstr(name)}":${line}`;
}

/** What C's %s prints of a string: everything before the first NUL. */
function cstr(s: string): string {
  const nul = s.indexOf("\0");
  return nul < 0 ? s : s.slice(0, nul);
}
