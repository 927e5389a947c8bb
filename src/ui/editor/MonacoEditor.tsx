// The Lua editor (Monaco): LuaJIT's syntax errors as markers, the source line
// of the event at the cursor and of the selection as line decorations, and
// Ctrl/Cmd+Enter to run. Loaded lazily by EditorPane.
import { useEffect, useRef } from "react";
import { monaco } from "./monaco.ts";
import type { EditorProps } from "./EditorPane.tsx";

export default function MonacoEditor(props: EditorProps & { takeFocus(): number | null }) {
  const host = useRef<HTMLDivElement>(null);
  const editorRef = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const decorations = useRef<monaco.editor.IEditorDecorationsCollection | null>(null);
  // Latest callbacks, so the editor is created once.
  const latest = useRef(props);
  latest.current = props;

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const editor = monaco.editor.create(el, {
      value: latest.current.value,
      language: "lua",
      theme: latest.current.theme === "dark" ? "vs-dark" : "vs",
      automaticLayout: true,
      minimap: { enabled: false },
      fontSize: 13,
      lineNumbersMinChars: 3,
      scrollBeyondLastLine: false,
      tabSize: 2,
      ariaLabel: "Lua program",
      // Typed and pasted text stays exactly as written: no auto-indent or
      // auto-closing, no suggestion that Enter could accept instead of a newline.
      autoIndent: "none",
      autoClosingBrackets: "never",
      autoClosingQuotes: "never",
      quickSuggestions: false,
      suggestOnTriggerCharacters: false,
      acceptSuggestionOnEnter: "off",
      wordBasedSuggestions: "off",
      renderLineHighlight: "gutter",
      fixedOverflowWidgets: true,
    });
    editorRef.current = editor;
    decorations.current = editor.createDecorationsCollection([]);
    const sub = editor.onDidChangeModelContent(() => {
      const v = editor.getValue();
      if (v !== latest.current.value) latest.current.onChange(v);
    });
    editor.addAction({
      id: "ljscope.run",
      label: "Run program",
      keybindings: [monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter],
      run: () => latest.current.onRun(),
    });
    // Take over from the plain textarea shown while Monaco loaded, caret included.
    const focusAt = latest.current.takeFocus();
    if (focusAt !== null) {
      const pos = editor.getModel()?.getPositionAt(focusAt);
      if (pos) editor.setPosition(pos);
      editor.focus();
    }
    latest.current.onReady?.();
    return () => {
      sub.dispose();
      editor.getModel()?.dispose();
      editor.dispose();
      editorRef.current = null;
    };
  }, []);

  // Outside changes of the program (examples, permalinks, imports).
  useEffect(() => {
    const editor = editorRef.current;
    if (editor && editor.getValue() !== props.value) editor.setValue(props.value);
  }, [props.value]);

  useEffect(() => {
    monaco.editor.setTheme(props.theme === "dark" ? "vs-dark" : "vs");
  }, [props.theme]);

  useEffect(() => {
    const model = editorRef.current?.getModel();
    if (!model) return;
    const err = props.syntaxError;
    let line = err ? Math.min(Math.max(1, err.line ?? 1), model.getLineCount()) : 1;
    // An error at the end of the file names an empty last line: mark the last line with text instead.
    while (line > 1 && model.getLineLength(line) === 0) line--;
    monaco.editor.setModelMarkers(model, "luajit", err ? [{
      severity: monaco.MarkerSeverity.Error,
      message: err.message,
      source: "luajit",
      startLineNumber: line, startColumn: 1,
      endLineNumber: line, endColumn: model.getLineMaxColumn(line),
    }] : []);
  }, [props.syntaxError, props.value]);

  useEffect(() => {
    const editor = editorRef.current;
    const model = editor?.getModel();
    if (!editor || !model) return;
    const lines = model.getLineCount();
    const deco: monaco.editor.IModelDeltaDecoration[] = [];
    const add = (line: number | null, className: string, hover: string): void => {
      if (line === null || line < 1 || line > lines) return;
      deco.push({ range: new monaco.Range(line, 1, line, 1), options: { isWholeLine: true, className, linesDecorationsClassName: className + "-gutter", hoverMessage: { value: hover } } });
    };
    add(props.eventLine, "ljs-line-event", "Source line of the event at the cursor");
    add(props.selectedLine, "ljs-line-selected", "Selected");
    decorations.current?.set(deco);
    const reveal = props.selectedLine ?? props.eventLine;
    if (reveal !== null && reveal >= 1 && reveal <= lines) editor.revealLineInCenterIfOutsideViewport(reveal);
  }, [props.eventLine, props.selectedLine, props.value]);

  return <div ref={host} className="monaco-host" />;
}
