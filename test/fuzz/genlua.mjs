// Random Lua program generator for differential tests of the bytecode
// compiler: syntactically valid programs that exercise register allocation,
// jumps, constants, scopes, upvalues and gotos. Deterministic per seed.
//   node test/fuzz/genlua.mjs SEED [COUNT] [OUTDIR]

import { mkdirSync, writeFileSync } from "node:fs";

function rng(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s / 4294967296;
  };
}

export function generate(seed) {
  const rand = rng(seed);
  const pick = (a) => a[Math.floor(rand() * a.length)];
  const chance = (p) => rand() < p;
  let depth = 0;
  let labelNo = 0;
  const scopes = [["a", "b", "c"]];
  const visible = () => scopes.flat();
  const vararg = [true];

  const numbers = ["0", "1", "2", "-1", "255", "256", "32767", "32768", "-32768", "-32769", "0.5", "1e10",
    "2^53", "0x10", "3.25", "1/0", "0/0", "-0", "65536", "1e-300", "7"];
  const strings = ['"x"', '"y"', "'long string constant number one'", '"a\\nb"', '""', '"pairs"', '"next"'];

  function name() {
    const v = visible();
    return chance(0.8) && v.length ? pick(v) : pick(["g", "h", "print", "pairs", "next", "ipairs"]);
  }

  function expr(d = 0) {
    if (d > 3 || chance(0.3)) return atom(d);
    const r = rand();
    if (r < 0.35) return `${expr(d + 1)} ${pick(["+", "-", "*", "/", "%", "^", ".."])} ${expr(d + 1)}`;
    if (r < 0.55) return `${expr(d + 1)} ${pick(["==", "~=", "<", "<=", ">", ">="])} ${expr(d + 1)}`;
    if (r < 0.75) return `${expr(d + 1)} ${pick(["and", "or"])} ${expr(d + 1)}`;
    if (r < 0.85) return `${pick(["not ", "-", "#"])}${atom(d + 1)}`;
    return `(${expr(d + 1)})`;
  }

  function atom(d) {
    const r = rand();
    if (r < 0.25) return pick(numbers);
    if (r < 0.35) return pick(strings);
    if (r < 0.42) return pick(["nil", "true", "false"]);
    if (r < 0.7) return name();
    if (r < 0.76) return `${name()}.${pick(["x", "y", "z"])}`;
    if (r < 0.82) return `${name()}[${d > 2 ? pick(numbers) : expr(d + 1)}]`;
    if (r < 0.88) return call(d);
    if (r < 0.93) return table(d);
    if (r < 0.96 && vararg[vararg.length - 1]) return "...";
    return func(d);
  }

  function call(d) {
    const args = [];
    const n = Math.floor(rand() * 4);
    for (let i = 0; i < n; i++) args.push(d > 2 ? atom(3) : expr(d + 1));
    if (chance(0.15)) return `${name()}:${pick(["m", "n"])}(${args.join(", ")})`;
    if (chance(0.1)) return `${name()} ${pick(strings)}`;
    return `${name()}(${args.join(", ")})`;
  }

  function table(d) {
    const items = [];
    const n = Math.floor(rand() * 5);
    for (let i = 0; i < n; i++) {
      const r = rand();
      const v = d > 2 ? atom(3) : expr(d + 1);
      if (r < 0.3) items.push(`${pick(["x", "y", "z", "w"])} = ${v}`);
      else if (r < 0.45) items.push(`[${pick([...numbers, ...strings])}] = ${v}`);
      else if (r < 0.5) items.push(`[${name()}] = ${v}`);
      else items.push(v);
    }
    return `{${items.join(pick([", ", "; "]))}}`;
  }

  function func(d) {
    if (depth > 2) return "nil";
    const params = [];
    const n = Math.floor(rand() * 3);
    for (let i = 0; i < n; i++) params.push(`p${depth}${i}`);
    const va = chance(0.3);
    if (va) params.push("...");
    depth++;
    scopes.push(params.filter((p) => p !== "..."));
    vararg.push(va);
    const body = block(d + 1, 3);
    vararg.pop();
    scopes.pop();
    depth--;
    return `function(${params.join(", ")})\n${body}\nend`;
  }

  function lhs() {
    const r = rand();
    if (r < 0.6) return name();
    if (r < 0.8) return `${name()}.${pick(["x", "y"])}`;
    return `${name()}[${pick([...numbers.slice(0, 6), ...visible()])}]`;
  }

  function stmt(d, inLoop) {
    const r = rand();
    if (d > 3) return `${lhs()} = ${expr(2)}`;
    if (r < 0.2) {
      const n = 1 + Math.floor(rand() * 3);
      const names = [];
      for (let i = 0; i < n; i++) names.push(`l${scopes.length}_${Math.floor(rand() * 4)}`);
      const m = Math.floor(rand() * 4);
      const vals = [];
      for (let i = 0; i < m; i++) vals.push(expr(1));
      scopes[scopes.length - 1].push(...names);
      return `local ${names.join(", ")}${m ? " = " + vals.join(", ") : ""}`;
    }
    if (r < 0.35) {
      const n = 1 + Math.floor(rand() * 3);
      const ls = [];
      for (let i = 0; i < n; i++) ls.push(lhs());
      const m = 1 + Math.floor(rand() * 3);
      const vals = [];
      for (let i = 0; i < m; i++) vals.push(expr(1));
      return `${ls.join(", ")} = ${vals.join(", ")}`;
    }
    if (r < 0.45) return call(1);
    if (r < 0.55) {
      let s = `if ${expr(1)} then\n${block(d + 1, 3, inLoop)}\n`;
      while (chance(0.3)) s += `elseif ${expr(1)} then\n${block(d + 1, 2, inLoop)}\n`;
      if (chance(0.5)) s += `else\n${block(d + 1, 2, inLoop)}\n`;
      return s + "end";
    }
    if (r < 0.62) {
      const v = `i${d}`;
      return `for ${v} = ${pick(numbers)}, ${expr(2)}${chance(0.4) ? ", " + pick(numbers) : ""} do\n${block(d + 1, 3, true, [v])}\nend`;
    }
    if (r < 0.68) {
      const vs = chance(0.5) ? [`k${d}`, `v${d}`] : [`k${d}`];
      return `for ${vs.join(", ")} in ${pick(["pairs", "next", "ipairs", "h", "a"])}(${name()}) do\n${block(d + 1, 3, true, vs)}\nend`;
    }
    if (r < 0.73) return `while ${expr(1)} do\n${block(d + 1, 3, true)}\nend`;
    if (r < 0.77) return `repeat\n${block(d + 1, 3, true)}\nuntil ${expr(1)}`;
    if (r < 0.81) return `do\n${block(d + 1, 3, inLoop)}\nend`;
    if (r < 0.85 && depth < 3) {
      const fname = `f${Math.floor(rand() * 3)}`;
      if (chance(0.5)) {
        scopes[scopes.length - 1].push(fname);
        return `local function ${fname}(x, y)\n${funcBody(d)}\nend`;
      }
      return `function ${pick(["g", "h.x", "a.m", "b:n"])}(x)\n${funcBody(d)}\nend`;
    }
    if (r < 0.9) {
      const l = `L${labelNo++}`;
      if (chance(0.5)) return `goto ${l}\n${lhs()} = ${expr(2)}\n::${l}::`;
      return `::${l}::\n${lhs()} = ${expr(2)}\nif ${expr(2)} then goto ${l} end`;
    }
    return `${lhs()} = ${expr(1)}`;
  }

  function funcBody(d) {
    depth++;
    scopes.push(["x", "y"]);
    vararg.push(false);
    const b = block(d + 1, 3);
    vararg.pop();
    scopes.pop();
    depth--;
    return b;
  }

  function block(d, max, inLoop = false, vars = []) {
    scopes.push([...vars]);
    const out = [];
    const n = Math.floor(rand() * max) + 1;
    for (let i = 0; i < n; i++) out.push(stmt(d, inLoop));
    const r = rand();
    if (inLoop && r < 0.15) out.push("break");
    else if (r < 0.3) {
      const m = Math.floor(rand() * 3);
      const vals = [];
      for (let i = 0; i < m; i++) vals.push(expr(1));
      out.push(`return ${vals.join(", ")}`);
    }
    scopes.pop();
    return out.join("\n");
  }

  const body = [];
  const n = 4 + Math.floor(rand() * 8);
  for (let i = 0; i < n; i++) body.push(stmt(0, false));
  return `local a, b, c = ...\n${body.join("\n")}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const seed = Number(process.argv[2] ?? 1);
  const count = Number(process.argv[3] ?? 1);
  const out = process.argv[4];
  for (let i = 0; i < count; i++) {
    const src = generate(seed + i);
    if (out) {
      mkdirSync(out, { recursive: true });
      writeFileSync(`${out}/r${seed + i}.lua`, src);
    } else {
      process.stdout.write(src);
    }
  }
}
