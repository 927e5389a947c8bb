// Keyboard shortcuts, what the views show, and how to capture a log from
// your own luajit with public/capture.lua.
import { useEffect, useRef } from "react";

export function HelpDialog({ open, onClose }: { open: boolean; onClose(): void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog ref={ref} className="help" aria-labelledby="help-title" onClose={onClose}>
      <h2 id="help-title">ljscope — help</h2>
      <h3>Keys</h3>
      <table className="keys">
        <tbody>
          <tr><td><kbd>Space</kbd></td><td>play / pause</td></tr>
          <tr><td><kbd>←</kbd> <kbd>→</kbd></td><td>step back / forward</td></tr>
          <tr><td><kbd>Shift</kbd>+<kbd>←</kbd> <kbd>→</kbd></td><td>previous / next flush, abort or violation</td></tr>
          <tr><td><kbd>Home</kbd> <kbd>End</kbd></td><td>first / last event</td></tr>
          <tr><td><kbd>Ctrl</kbd>+<kbd>Enter</kbd></td><td>run (also in the editor)</td></tr>
          <tr><td><kbd>?</kbd></td><td>this help; <kbd>Esc</kbd> closes it</td></tr>
        </tbody>
      </table>
      <p className="small">Keys other than Ctrl+Enter act when the focus is not in the editor or a form field. The timeline zooms with the mouse wheel and pans by dragging; the strip above it scrubs.</p>
      <h3>What you see</h3>
      <ul className="small">
        <li><b>Bytecode</b>: each instruction as it is at the cursor. Tinted slots were patched; a coloured <code>→ N</code> enters trace N; red marks a stale reference.</li>
        <li><b>Traces</b>: trace numbers and their state — <i>live</i>, <i>rec</i>ording, <i>flushed</i> (flushed by <code>jit.flush(n)</code> but still allocated until a GC frees it) or <i>free</i> — and each prototype's chain of root traces.</li>
        <li><b>Trace tree</b>: the traces at the cursor — root traces, their side traces named as jit.v names them (<code>2 (1/5)</code>: trace 2 from exit 5 of trace 1), stitched traces — and where each links to (dashed arrows: <i>loop</i>, <code>-&gt; N</code>).</li>
        <li><b>Timeline</b>: LuaJIT's own events (trace start/stop/abort, flush) and ours (bytecode patches, single-trace flushes, violations, output).</li>
        <li><b>Compare</b>: the program run under two builds or two sets of -O options, the event logs side by side, lined up on LuaJIT's own events; the first divergence is marked.</li>
        <li><b>Export</b>: the event log, the <code>-jv</code> and <code>-bl</code> text, the trace tree or the timeline overview as SVG or PNG, and a <code>luajit … -jv -e '…'</code> line to run the program under a real LuaJIT.</li>
        <li><b>Options</b>: the program's first line <code>-- luajit-args: -Ohotloop=1</code> fills in the option fields; the fields win when you change them.</li>
      </ul>
      <h3>Logs from your own LuaJIT</h3>
      <p className="small">Download <a href="capture.lua" download>capture.lua</a> and run, next to your program:</p>
      <pre className="small">luajit -Ohotloop=1 capture.lua prog.lua prog.events.jsonl 2&gt;&gt;prog.events.jsonl</pre>
      <p className="small">Then <b>Import</b> the .jsonl together with prog.lua (select both files). A failed assertion printed on stderr ends up in the log and is shown as LuaJIT's crash. Name the log <code>*.prefix-assert.jsonl</code>, <code>*.prefix-release.jsonl</code> or <code>*.fixed.jsonl</code> to say which LuaJIT build it comes from.</p>
      <form method="dialog"><button autoFocus>Close</button></form>
    </dialog>
  );
}
