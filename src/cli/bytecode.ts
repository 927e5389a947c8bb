// The -b option: argument handling of jit/bcsave.lua (docmd), of which ljscope
// implements listing (-l) only; the listing itself is src/bc/listing.ts.
import { listBytecode } from "../bc/listing.ts";
import { compile } from "../lang/compile.ts";
import { LuaSyntaxError } from "../lang/errors.ts";
import { loadFileError, strerror, type CliIO } from "./io.ts";

export const BC_USAGE = `Save or list LuaJIT bytecode: ljscope -b[options] input [output]
  -l        Only list bytecode (the only mode ljscope implements).
  -s, -g    Strip / keep debug info (accepted, no effect on listings).
  -W, -X    32/64 bit bytecode (accepted, no effect on listings).
  -d        Deterministic bytecode (accepted, no effect on listings).
  -F name   Override filename (default: input filename).
  -e chunk  Use chunk string as input.
  --        Stop handling options.
  -         Use stdin as input and/or stdout as output.
`;

interface BcRequest {
  list: boolean;
  /** -e: the input is the chunk text itself. */
  string: boolean;
  /** -F name: chunk name "@name" for a file input. */
  filename: string | null;
  inputs: string[];
}

/** bcsave's option loop; null means "print usage". `args` is argv from the -b on. */
export function parseBcArgs(args: readonly string[]): BcRequest | null {
  // "-bl" reaches bcsave as "-l"; a bare "-b" contributes nothing.
  const arg = args[0].length > 2 ? ["-" + args[0].slice(2), ...args.slice(1)] : args.slice(1);
  const req: BcRequest = { list: false, string: false, filename: null, inputs: [] };
  let n = 0;
  while (n < arg.length) {
    const a = arg[n];
    if (!a.startsWith("-") || a === "-") { n++; continue; }
    arg.splice(n, 1);
    if (a === "--") break;
    for (let m = 1; m < a.length; m++) {
      const opt = a[m];
      if (opt === "l") req.list = true;
      else if ("sgWXd".includes(opt)) continue;
      else {
        // Options with a value must come last in their group and have the value next.
        if (n >= arg.length || m !== a.length - 1) return null;
        if (opt === "e") {
          if (n !== 0) return null;
          req.string = true;
        } else if (opt === "F") {
          req.filename = arg.splice(n, 1)[0];
        } else if ("ntao".includes(opt)) {
          arg.splice(n, 1); // module name, file type, arch, OS: only matter for saving
        } else {
          return null;
        }
      }
    }
  }
  req.inputs = arg;
  return req;
}

/** Run -b...: returns the exit status. Messages name the program `progname`. */
export function runBytecode(args: readonly string[], io: CliIO, progname: string): number {
  const req = parseBcArgs(args);
  if (!req) { io.stderr(BC_USAGE); return 1; }
  // DIVERGENCE: only listing; saving bytecode (.raw/.c/.h/.o) is out of scope.
  if (!req.list) {
    io.stderr(`${progname}: saving bytecode is not supported, only listing it (-bl)\n`);
    return 1;
  }
  if (req.inputs.length === 0 || req.inputs.length > 2) { io.stderr(BC_USAGE); return 1; }
  const [input, output = "-"] = req.inputs;
  const fail = (msg: string): number => { io.stderr(`${progname}: ${msg}\n`); return 1; };

  let source: string, chunkname: string;
  if (req.string) {
    source = input;
    chunkname = input;
  } else {
    try {
      source = input === "-" ? io.readStdin() : io.readFile(input);
    } catch (e) {
      return fail(loadFileError(input, e));
    }
    chunkname = req.filename !== null ? "@" + req.filename : input === "-" ? "=stdin" : "@" + input;
  }

  let text: string;
  try {
    text = listBytecode(compile(source, chunkname));
  } catch (e) {
    if (e instanceof LuaSyntaxError) return fail(e.message);
    throw e;
  }
  if (output === "-") {
    io.stdout(text);
  } else {
    try { io.writeFile(output, text); } catch (e) { return fail(`${output}: ${strerror(e)}`); }
  }
  return 0;
}
