// A running trace's plan: which steps the interpreter must report. Steps in
// a straight run of bytecode after a step that surely leads into it go
// unreported; anything that can fail or branch, and the step right after a
// branch, is reported (else a divergence there would go unseen).
import { describe, expect, it } from "vitest";
import { bcOp } from "../../src/bc/ins.ts";
import { Op, opNames } from "../../src/bc/opcodes.ts";
import type { Proto } from "../../src/bc/proto.ts";
import { compile } from "../../src/lang/compile.ts";
import { runPlan } from "../../src/jit/runplan.ts";
import { Trace } from "../../src/jit/trace.ts";

// Main chunk: the numeric loop's body is MOV ADDVN ADDVV, ISGT JMP, KSHORT, then FORL.
const SOURCE = "local s, t = 0, 0\nfor i = 1, 10 do local a = i a = a + 1 s = s + a if s >= t then t = 1 end end\n";

function loopTrace(checkAt: Map<number, number> = new Map()): { T: Trace; pt: Proto; body: number[] } {
  const pt = compile(SOURCE, "=plan");
  const forl = pt.bc.findIndex((ins) => bcOp(ins) === Op.FORL);
  const fori = pt.bc.findIndex((ins) => bcOp(ins) === Op.FORI);
  const T = new Trace(1, "root", pt, forl);
  const body: number[] = [];
  for (let pc = fori + 1; pc <= forl; pc++) body.push(pc);
  T.linktype = "loop";
  T.link = 1;
  T.path = body.map((pc) => ({
    pt, pc,
    ir: {
      branch: bcOp(pt.bc[pc]) === Op.ISGT || pc === forl ? 7 : 0,
      checks: checkAt.has(pc) ? [{ slot: 0, t: "num" as const, guard: checkAt.get(pc) as number, abc: undefined }] : [],
    },
  }));
  return { T, pt, body };
}

const ops = (pt: Proto, pcs: number[]) => pcs.map((pc) => opNames[bcOp(pt.bc[pc])]);

describe("run plan", () => {
  it("reports the first step, the ends of straight runs, branches and what follows them", () => {
    const { T, pt, body } = loopTrace();
    expect(ops(pt, body)).toEqual(["MOV", "ADDVN", "ADDVV", "ISGT", "JMP", "KSHORT", "FORL"]);
    const plan = runPlan(T);
    const reported = body.filter((_, k) => plan.nextPre[k] === k);
    // MOV (entered from the loop op), ISGT (a branch), JMP (after a branch), KSHORT (after a jump), FORL.
    expect(ops(pt, reported)).toEqual(["MOV", "ISGT", "JMP", "KSHORT", "FORL"]);
    // The unreported steps name the step at which reporting resumes.
    expect(plan.nextPre[1]).toBe(3);
    expect(plan.nextPre[2]).toBe(3);
  });

  it("reports a step with a check, only in the part of the trace that makes it", () => {
    const { T, pt, body } = loopTrace();
    const plan = runPlan(T);
    const adds = body.findIndex((pc) => bcOp(pt.bc[pc]) === Op.ADDVV);
    const withCheck = runPlan(loopTrace(new Map([[body[adds], 3]])).T);
    expect(withCheck.nextPre[adds]).toBe(adds);
    // A loop-invariant check is made in the pre-roll only.
    const inv = loopTrace(new Map([[body[adds], 3]]));
    inv.T.model = { inLoopPart: () => false } as unknown as Trace["model"];
    const invPlan = runPlan(inv.T);
    expect(invPlan.nextPre[adds]).toBe(adds);
    expect(invPlan.nextLoop[adds]).toBe(adds + 1);
    expect(plan.checksPre.start[plan.checksPre.start.length - 1]).toBe(0);
  });
});
