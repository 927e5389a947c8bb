// Entry of the engine's Web Worker: runs programs and compile checks sent by
// client.ts. A run is synchronous; Stop terminates the whole worker.
/// <reference lib="webworker" />
import type { WorkerReply, WorkerRequest } from "./protocol.ts";
import { checkProgram, listProgram, runProgram } from "./runner.ts";

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (r: WorkerReply): void => scope.postMessage(r);

scope.onmessage = (e: MessageEvent<WorkerRequest>) => {
  const req = e.data;
  try {
    if (req.kind === "run") runProgram(req.id, req.source, req.chunkname, req.options, post);
    else if (req.kind === "list") post({ kind: "listed", id: req.id, ...listProgram(req.source, req.chunkname) });
    else post({ kind: "checked", id: req.id, ...checkProgram(req.source, req.chunkname) });
  } catch (err) {
    post({ kind: "failed", id: req.id, message: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
  }
};
