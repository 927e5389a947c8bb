// The examples gallery: Lua programs that each show one thing LuaJIT's JIT
// does, led by the flush-twice seed of LuaJIT issue #1345. Each file's first
// line carries its luajit options (`-- luajit-args: ...`), as the oracle's do.
import flushAll from "./flush_all.lua?raw";
import flushGcReuse from "./flush_gc_reuse.lua?raw";
import flushTwiceInFunction from "./flush_twice_in_function.lua?raw";
import forLoop from "./for_loop.lua?raw";
import hello from "./hello.lua?raw";
import hotFunction from "./hot_function.lua?raw";
import iterators from "./iterators.lua?raw";
import maxtrace from "./maxtrace.lua?raw";
import nyiBlacklist from "./nyi_blacklist.lua?raw";
import seed from "./seed_flush_twice.lua?raw";
import sideTrace from "./side_trace.lua?raw";
import whileRepeat from "./while_repeat.lua?raw";

export interface Example {
  /** Also the program's file name (chunk name), so logs captured from it import with their listing. */
  file: string;
  title: string;
  /** What to look for. */
  blurb: string;
  source: string;
}

export const EXAMPLES: readonly Example[] = [
  { file: "seed_flush_twice.lua", title: "Flush twice (issue #1345)", source: seed,
    blurb: "jit.flush(1) on a trace that was already flushed, whose start slot now belongs to a newer trace. prefix-assert: LuaJIT ASSERT lj_trace.c:213." },
  { file: "flush_twice_in_function.lua", title: "Flush twice, default options", source: flushTwiceInFunction,
    blurb: "The same bug with a loop in a function and a JIT-disabled caller." },
  { file: "for_loop.lua", title: "Numeric for loop", source: forLoop, blurb: "FORI/FORL become JFORI/JFORL 1." },
  { file: "while_repeat.lua", title: "while and repeat", source: whileRepeat, blurb: "LOOP becomes JLOOP; a side trace for the other branch." },
  { file: "iterators.lua", title: "ipairs and pairs", source: iterators, blurb: "ITERL becomes JITERL; for pairs the ITERN becomes JLOOP." },
  { file: "hot_function.lua", title: "Hot function", source: hotFunction, blurb: "FUNCF becomes JFUNCF; the trace ends at the return." },
  { file: "side_trace.lua", title: "Side trace", source: sideTrace, blurb: "A guard that starts failing gets a side trace after hotexit exits." },
  { file: "nyi_blacklist.lua", title: "Abort and blacklist", source: nyiBlacklist, blurb: "FNEW aborts 11 times, then FORL becomes IFORL." },
  { file: "flush_all.lua", title: "jit.flush()", source: flushAll, blurb: "Everything is flushed; numbering restarts at 1." },
  { file: "flush_gc_reuse.lua", title: "Flushed numbers and the GC", source: flushGcReuse, blurb: "A flushed trace keeps its number until collectgarbage()." },
  { file: "maxtrace.lua", title: "Out of trace numbers", source: maxtrace, blurb: "-Omaxtrace=4: the fifth trace flushes everything." },
  { file: "hello.lua", title: "Hello, world", source: hello, blurb: "Plain Lua with LuaJIT's output." },
];

export const DEFAULT_EXAMPLE = EXAMPLES[0];

export function exampleByFile(file: string): Example | undefined {
  return EXAMPLES.find((e) => e.file === file);
}
