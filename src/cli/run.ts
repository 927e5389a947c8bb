// Running a compiled chunk: the single place where the CLI hands a program to
// the interpreter and the JIT simulation (lua_pcall of the main chunk in luajit.c).
import type { Proto } from "../bc/proto.ts";
import type { CliOptions } from "./args.ts";
import type { CliIO } from "./io.ts";

/** Run a main chunk with its arguments; returns the exit status. */
export function runChunk(main: Proto, args: readonly string[], options: CliOptions, io: CliIO, progname: string): number {
  void main; void args; void options;
  // NOT IMPLEMENTED YET: the interpreter (and with it -jv, --events, --build
  // and the -O/-j settings) is a later issue. Until then every run stops here.
  io.stderr(`${progname}: running programs is not implemented yet\n`);
  return 1;
}
