// The explorer's top-level component. For now a placeholder page: the editor,
// bytecode, trace and timeline views arrive with the explorer issue.
export function App() {
  return (
    <main className="app" data-testid="app">
      <header>
        <h1>ljscope</h1>
        <p className="tagline">A visual explorer of LuaJIT 2.1&rsquo;s tracing JIT</p>
      </header>
      <section className="placeholder" data-testid="placeholder">
        <p>
          The explorer is coming: write Lua in an editor, then step through its bytecode, hot
          counters, traces, patching and flushing as LuaJIT would do them.
        </p>
        <p>
          Until then, the command line prints LuaJIT&rsquo;s bytecode listing:{" "}
          <code>bin/ljscope -bl FILE.lua</code>
        </p>
      </section>
    </main>
  );
}
