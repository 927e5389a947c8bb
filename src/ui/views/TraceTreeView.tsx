// The trace tree at the cursor: root traces with their side traces and
// stitched traces, and where each trace links to (loop, -> N, return...).
// Layout in layout/traceTree.ts; colours from the registry's palette.
import { useMemo, type CSSProperties } from "react";
import { NODE_H, NODE_W, traceTreeLayout, type TreeNode } from "../layout/traceTree.ts";
import { traceColour } from "../layout/palette.ts";
import { useSelection, useTimeline } from "./context.ts";
import { saveSvgView, exportableSvg } from "./svgExport.ts";

/** Characters of monospace text that fit in a node. */
const FIT = Math.floor((NODE_W - 14) / 6.7);

/** Keep the end of a long location (the line number matters most). */
function fit(text: string): string {
  return text.length <= FIT ? text : "…" + text.slice(text.length - FIT + 1);
}

function nodeStyle(n: TreeNode): CSSProperties {
  const c = traceColour(n.tr);
  return { "--tc": c.fill, "--tc-text": c.text } as CSSProperties;
}

function nodeTitle(n: TreeNode): string {
  const kind = n.kind === "side" ? `side trace of trace ${n.parent}, exit ${n.exit}` : n.kind === "stitch" ? `stitched trace after trace ${n.parent}` : "root trace";
  return `Trace ${n.label}: ${kind}, ${n.state}; starts at ${n.loc}${n.linkLabel ? `; ${n.linkLabel}` : ""}${n.orphan ? "; its parent is gone" : ""}`;
}

export function TraceTreeView() {
  const timeline = useTimeline();
  const [sel, broker] = useSelection();
  const traces = timeline.state.traces;
  const layout = useMemo(() => traceTreeLayout(traces), [traces]);
  const current = timeline.current;
  const currentTr = current && "tr" in current ? current.tr : undefined;
  const count = { root: 0, side: 0, stitch: 0 };
  for (const n of layout.nodes) count[n.kind]++;
  const base = (timeline.meta.name.replace(/\.(lua|jsonl)$/i, "") || "ljscope") + `.tree.${timeline.cursor + 1}`;
  const save = (format: "svg" | "png"): void => {
    const svg = exportableSvg("trace-tree");
    if (svg) void saveSvgView(svg, base, format);
  };

  return (
    <section className="panel trace-tree" aria-label="Trace tree">
      <header className="panel-head">
        <h2>Trace tree</h2>
        <span className="panel-sub">{count.root} root · {count.side} side · {count.stitch} stitched</span>
        <span className="head-actions">
          <button data-testid="tree-export-svg" disabled={layout.nodes.length === 0} onClick={() => save("svg")} title="Save the tree as SVG">SVG</button>
          <button data-testid="tree-export-png" disabled={layout.nodes.length === 0} onClick={() => save("png")} title="Save the tree as PNG">PNG</button>
        </span>
      </header>
      <div className="panel-body tree-body">
        {layout.nodes.length === 0 ? (
          <p className="muted small">No traces at this point of the log.</p>
        ) : (
          <svg
            className="tree-svg"
            data-testid="trace-tree"
            data-export="trace-tree"
            width={layout.width}
            height={layout.height}
            viewBox={`0 0 ${layout.width} ${layout.height}`}
            role="group"
            aria-label={`${layout.nodes.length} traces`}
          >
            <defs>
              <marker id="ljs-tree-arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                <path className="tt-arrowhead" d="M0,0 L8,4 L0,8 z" />
              </marker>
            </defs>
            <g>
              {layout.edges.map((e) => (
                <g key={`e${e.from}-${e.to}`} data-testid="tree-edge" data-from={e.from} data-to={e.to} data-kind={e.kind}>
                  <path className={`tt-edge tt-edge-${e.kind}`} d={e.path} />
                  <text className="tt-edge-label" x={e.lx} y={e.ly} textAnchor="middle">{e.label}</text>
                </g>
              ))}
            </g>
            <g>
              {layout.links.map((l) => (
                <g key={`l${l.from}-${l.to}`} data-testid="tree-link" data-from={l.from} data-to={l.to} data-linktype={l.linktype}>
                  <title>{`Trace ${l.from}: ${l.label}`}</title>
                  <path className={`tt-link tt-link-${l.linktype}${l.flushed ? " tt-link-flushed" : ""}`} d={l.path} markerEnd="url(#ljs-tree-arrow)" />
                </g>
              ))}
            </g>
            <g>
              {layout.nodes.map((n) => {
                const selected = sel.trace === n.tr;
                return (
                  <g
                    key={n.tr}
                    className={`tt-node tt-${n.state}${selected ? " selected" : ""}${currentTr === n.tr ? " current" : ""}`}
                    transform={`translate(${n.x},${n.y})`}
                    style={nodeStyle(n)}
                    data-testid="tree-node"
                    data-traceno={n.tr}
                    data-kind={n.kind}
                    data-state={n.state}
                    data-label={n.label}
                    {...(n.parent !== undefined ? { "data-parent": n.parent } : {})}
                    role="button"
                    tabIndex={0}
                    aria-pressed={selected}
                    aria-label={nodeTitle(n)}
                    onClick={() => broker.select(selected ? {} : { trace: n.tr })}
                    onKeyDown={(e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); e.stopPropagation(); broker.select(selected ? {} : { trace: n.tr }); } }}
                  >
                    <title>{nodeTitle(n)}</title>
                    <rect className="tt-box" width={NODE_W} height={NODE_H} rx={6} />
                    <text className="tt-label" x={8} y={15}>{n.label}{n.orphan ? " ⚠" : ""}</text>
                    <text className="tt-loc" x={8} y={28}>{fit(n.loc)}</text>
                    <text className="tt-linktext" x={8} y={40}>{n.state === "flushed" ? "flushed" : n.linkLabel}</text>
                  </g>
                );
              })}
            </g>
          </svg>
        )}
        {layout.nodes.length > 0 && (
          <p className="tree-legend small muted">
            <span className="lg lg-side" /> side exit <span className="lg lg-stitch" /> stitch <span className="lg lg-link" /> link (where the trace continues)
          </p>
        )}
      </div>
    </section>
  );
}
