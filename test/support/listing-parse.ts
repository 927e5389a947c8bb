// Reads a `luajit -bl` listing back into prototypes: opcodes and operands from
// the columns, constants, child functions and upvalue names from the comments.
// Lets tests check the listing printer on real listings without the compiler.
import { BCBIAS_J, insABC, insAD } from "../../src/bc/ins.ts";
import { Mode, Op, modeA, modeB, modeC, type OpName } from "../../src/bc/opcodes.ts";
import { PROTO_CHILD, type KGC, type Proto } from "../../src/bc/proto.ts";

function unescapeConst(s: string): string {
  return s.replace(/\\(n|r|t|\d{3})/g, (_, e: string) =>
    e === "n" ? "\n" : e === "r" ? "\r" : e === "t" ? "\t" : String.fromCharCode(Number(e)));
}

function parseNumber(s: string): number {
  if (s === "inf") return Infinity;
  if (s === "-inf") return -Infinity;
  if (s === "nan") return NaN;
  return Number(s);
}

/** Parse a whole listing (as printed for one chunk) into its main prototype. */
export function parseListing(text: string, chunkname: string): Proto {
  const blocks = text.split("\n\n").filter((b) => b.trim() !== "");
  const done: Proto[] = [];
  for (const block of blocks) {
    const [header, ...lines] = block.split("\n").filter((l) => l !== "");
    const m = /^-- BYTECODE -- .*:(\d+)-(\d+)$/.exec(header);
    if (!m) throw new Error(`bad listing header: ${header}`);
    const firstline = Number(m[1]);
    const bc = [insAD(Op.FUNCF, 0, 0)];
    const knum: number[] = [];
    const kgc: KGC[] = [];
    const uvnames: string[] = [];
    const children: number[] = [];
    for (const line of lines) {
      const pc = Number(line.slice(0, 4));
      if (pc !== bc.length) throw new Error(`unexpected pc in: ${line}`);
      const op = Op[line.slice(8, 14).trim() as OpName];
      if (op === undefined) throw new Error(`unknown opcode in: ${line}`);
      const a = Number(line.slice(15, 18).trim() || "0");
      const rest = line.slice(19);
      const [operands, comment] = rest.includes(" ; ") ? [rest.slice(0, rest.indexOf(" ; ")), rest.slice(rest.indexOf(" ; ") + 3)] : [rest, undefined];
      const mc = modeC[op];
      if (mc === Mode.jump) {
        bc.push(insAD(op, a, Number(/=> (\d+)/.exec(rest)![1]) - pc - 1 + BCBIAS_J));
        continue;
      }
      const nums = operands.trim() === "" ? [] : operands.trim().split(/\s+/).map(Number);
      let d = nums[nums.length - 1] ?? 0;
      if (mc === Mode.lits && d < 0) d += 65536;
      bc.push(modeB[op] !== Mode.none ? insABC(op, a, nums[0], d) : insAD(op, a, d));
      let kc = comment;
      if (modeA[op] === Mode.uv && kc !== undefined) {
        const sep = kc.indexOf(" ; ");
        uvnames[a] = sep < 0 ? kc : kc.slice(0, sep);
        kc = sep < 0 ? undefined : kc.slice(sep + 3);
      }
      if (kc === undefined) continue;
      if (mc === Mode.str) kgc[d] = unescapeConst(kc.slice(1, -1));
      else if (mc === Mode.num) knum[d] = parseNumber(kc) + (op === Op.TSETM ? 2 ** 52 : 0);
      else if (mc === Mode.uv) uvnames[d] = kc;
      else if (mc === Mode.func) children.push(d);
    }
    // Children were listed just before their parent, in constant order.
    const childIdx = [...new Set(children)].sort((x, y) => x - y);
    const kids = done.splice(done.length - childIdx.length, childIdx.length);
    childIdx.forEach((d, i) => { kgc[d] = kids[i]; });
    done.push({
      kind: "proto", chunkname, firstline, numline: Number(m[2]) - firstline, numparams: 0, framesize: 0,
      flags: childIdx.length ? PROTO_CHILD : 0, bc: Uint32Array.from(bc), lineinfo: new Int32Array(bc.length),
      knum, kgc, uv: uvnames.map((_, i) => i), uvnames, varinfo: [], closures: 0,
    });
  }
  if (done.length !== 1) throw new Error(`listing left ${done.length} top-level prototypes`);
  return done[0];
}
