// Permalinks: the program, its options, the build and the cursor in the URL
// hash, e.g. #v=1&name=x.lua&build=fixed&hotloop=1&cursor=12&z=<deflated>.
// Unknown keys are ignored and missing ones take defaults, so old links keep
// working when fields are added (Compiler Explorer's url.ts does the same).
import { isBuildName, type BuildName } from "../../engine/protocol.ts";

export interface Permalink {
  code: string;
  name: string;
  build: BuildName;
  hotloop: number;
  /** Further -O arguments ("maxtrace=4,hotexit=2"). */
  opts: string;
  /** Event index of the cursor; null: the end of the log. */
  cursor: number | null;
}

const VERSION = "1";

function toBase64Url(bytes: Uint8Array): string {
  let bin = "";
  for (let i = 0; i < bytes.length; i += 8192) bin += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(s: string): Uint8Array {
  const bin = atob(s.replace(/-/g, "+").replace(/_/g, "/"));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const blob = new Blob([bytes as BlobPart]);
  return new Uint8Array(await new Response(blob.stream().pipeThrough(stream)).arrayBuffer());
}

const canCompress = (): boolean => typeof CompressionStream !== "undefined" && typeof DecompressionStream !== "undefined";

/** The hash (without "#") for a permalink. Code is deflated when the browser can. */
export async function encodePermalink(p: Permalink): Promise<string> {
  const q = new URLSearchParams({ v: VERSION, name: p.name, build: p.build, hotloop: String(p.hotloop) });
  if (p.opts) q.set("opts", p.opts);
  if (p.cursor !== null) q.set("cursor", String(p.cursor));
  const utf8 = new TextEncoder().encode(p.code);
  if (canCompress()) q.set("z", toBase64Url(await pipe(utf8, new CompressionStream("deflate-raw"))));
  else q.set("code", toBase64Url(utf8));
  return q.toString();
}

/** Read a hash ("#..." or without "#"); null if it holds no program. */
export async function decodePermalink(hash: string): Promise<Permalink | null> {
  const q = new URLSearchParams(hash.replace(/^#/, ""));
  let code: string | null = null;
  try {
    const z = q.get("z"), raw = q.get("code");
    if (z !== null && canCompress()) code = new TextDecoder().decode(await pipe(fromBase64Url(z), new DecompressionStream("deflate-raw")));
    else if (raw !== null) code = new TextDecoder().decode(fromBase64Url(raw));
  } catch {
    return null;
  }
  if (code === null) return null;
  const build = q.get("build");
  const hotloop = Number(q.get("hotloop"));
  const cursor = q.get("cursor");
  return {
    code,
    name: sanitizeName(q.get("name")),
    build: isBuildName(build) ? build : "fixed",
    hotloop: Number.isInteger(hotloop) && hotloop >= 0 ? hotloop : 56,
    opts: q.get("opts") ?? "",
    cursor: cursor !== null && /^-?\d+$/.test(cursor) ? Number(cursor) : null,
  };
}

/** A plain file name for the chunk ("main.lua" when there is none or it looks odd). */
export function sanitizeName(name: string | null): string {
  const n = (name ?? "").trim();
  return /^[\w.+-]{1,80}$/.test(n) ? n : "main.lua";
}
