// The CLI's contact with the outside world, behind an interface so that tests
// can run it in-process. Lua strings are binary strings, files are bytes (latin1).
import { readFileSync, writeFileSync } from "node:fs";
import type { FileError } from "../vm/state.ts";

export interface CliIO {
  /** Write a binary string to stdout / stderr. */
  stdout(s: string): void;
  stderr(s: string): void;
  /** Read a whole file / stdin as a binary string; throws a Node error (with .code) on failure. */
  readFile(path: string): string;
  readStdin(): string;
  writeFile(path: string, s: string): void;
  stdinIsTTY(): boolean;
  /** An environment variable (LUA_PATH, LUA_CPATH); undefined if unset. */
  getenv?(name: string): string | undefined;
}

export const nodeIO: CliIO = {
  stdout: (s) => { process.stdout.write(Buffer.from(s, "latin1")); },
  stderr: (s) => { process.stderr.write(Buffer.from(s, "latin1")); },
  readFile: (path) => readFileSync(path, "latin1"),
  readStdin: () => readFileSync(0, "latin1"),
  writeFile: (path, s) => writeFileSync(path, Buffer.from(s, "latin1")),
  stdinIsTTY: () => !!process.stdin.isTTY,
  getenv: (name) => process.env[name],
};

const STRERROR: Record<string, string> = {
  ENOENT: "No such file or directory",
  EACCES: "Permission denied",
  EISDIR: "Is a directory",
  ENOTDIR: "Not a directory",
  ELOOP: "Too many levels of symbolic links",
  ENAMETOOLONG: "File name too long",
  EMFILE: "Too many open files",
  EPERM: "Operation not permitted",
  EROFS: "Read-only file system",
  ENOSPC: "No space left on device",
};

/** C's strerror() text for a Node file-system error. */
export function strerror(err: unknown): string {
  const code = (err as { code?: string } | null)?.code;
  if (code && STRERROR[code]) return STRERROR[code];
  return err instanceof Error ? err.message : String(err);
}

/** VMOptions.readFile over a CliIO: the text, or why it failed (a directory opens but cannot be read). */
export function vmFileReader(io: CliIO): (path: string) => string | FileError {
  return (path) => {
    try {
      return io.readFile(path);
    } catch (e) {
      const code = (e as { code?: string } | null)?.code;
      return { reason: strerror(e), failed: code === "EISDIR" ? "read" : "open" };
    }
  };
}

/**
 * luaL_loadfile's wording for a file it can't load: opening fails -> "cannot open",
 * a directory opens but fails to read -> "cannot read".
 */
export function loadFileError(name: string, err: unknown): string {
  const code = (err as { code?: string } | null)?.code;
  return `${code === "EISDIR" ? "cannot read" : "cannot open"} ${name}: ${strerror(err)}`;
}
