// Text <-> Lua binary strings (one char per byte): the editor and the DOM
// speak UTF-16, the compiler and the VM speak bytes (lj_str keeps bytes).

const encoder = new TextEncoder();

/** UTF-8 bytes of `text`, one char per byte, as the compiler expects its source. */
export function utf8ToBinary(text: string): string {
  const bytes = encoder.encode(text);
  let out = "";
  // Chunks keep String.fromCharCode's argument list short.
  for (let i = 0; i < bytes.length; i += 8192) out += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return out;
}

/** Bytes of a binary string. */
export function binaryToBytes(s: string): Uint8Array {
  const bytes = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i) & 0xff;
  return bytes;
}

/** A binary string read as UTF-8 (invalid sequences become U+FFFD). */
export function binaryToUtf8(s: string): string {
  // Pure ASCII (the common case) needs no decoding.
  if (!/[\x80-\xff]/.test(s)) return s;
  return new TextDecoder().decode(binaryToBytes(s));
}

/** A streaming UTF-8 decoder for program output written in arbitrary pieces. */
export class Utf8Stream {
  private readonly decoder = new TextDecoder();
  /** The decoder may hold the first bytes of a sequence split across writes. */
  private pending = false;

  push(s: string): string {
    if (s === "") return "";
    if (!this.pending && !/[\x80-\xff]/.test(s)) return s;
    this.pending = s.length > 0 && s.charCodeAt(s.length - 1) >= 0x80;
    return this.decoder.decode(binaryToBytes(s), { stream: true });
  }
}
