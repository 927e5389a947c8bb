// Layout of the trace tree at one point of a log: root traces with their side
// traces (parent/exit, as jit.v names them: `2 (1/5)`) and stitched traces
// as a left-to-right forest (d3's tree layout), plus each trace's link.
// Pure: the view draws what this computes.
import { hierarchy, linkHorizontal, tree, type HierarchyPointNode } from "d3";
import type { LinkType, TraceKind } from "../../engine/events.ts";
import { linkText } from "../model/explain.ts";
import type { TraceRecord, TraceState } from "../model/state.ts";

export const NODE_W = 164;
export const NODE_H = 44;
/** Horizontal room between a trace and its side traces (the exit label sits there). */
const H_GAP = 64;
const V_GAP = 10;
const PAD = 12;
/** Room left of the roots for their loops and for links between trees. */
const LINK_ROOM = 34;

export interface TreeNode {
  tr: number;
  kind: TraceKind;
  state: TraceState;
  /** jit.v's name: `1`, `2 (1/5)`, `3 (2/stitch)`. */
  label: string;
  loc: string;
  /** jit.v's link text (`loop`, `-> 1`, `return`...), or what the trace is doing. */
  linkLabel: string;
  linktype?: LinkType;
  link?: number;
  parent?: number;
  exit?: number;
  /** The parent is not in the tree any more (flushed and freed). */
  orphan: boolean;
  /** Top-left corner. */
  x: number;
  y: number;
}

/** A side or stitched trace hanging off the trace it continues. */
export interface TreeEdge {
  from: number;
  to: number;
  kind: "side" | "stitch";
  label: string;
  path: string;
  /** Where the label goes (middle of the edge, above it). */
  lx: number;
  ly: number;
}

/** Where a trace's machine code continues when it ends: another trace of the tree, or itself. */
export interface LinkEdge {
  from: number;
  to: number;
  linktype: LinkType;
  /** jit.v's link text, for the tooltip (the node shows it too). */
  label: string;
  path: string;
  /** The trace was flushed: its link is history. */
  flushed: boolean;
}

export interface TreeLayout {
  nodes: TreeNode[];
  edges: TreeEdge[];
  links: LinkEdge[];
  width: number;
  height: number;
}

/** The name jit.v gives a trace in its `[TRACE ...]` lines. */
export function traceLabel(rec: Pick<TraceRecord, "tr" | "origin">): string {
  const o = rec.origin;
  if (o?.kind === "side") return `${rec.tr} (${o.parent ?? "?"}/${o.exit ?? "?"})`;
  if (o?.kind === "stitch") return `${rec.tr} (${o.parent ?? "?"}/stitch)`;
  return String(rec.tr);
}

interface Item {
  rec: TraceRecord | null;
  children: Item[];
}

const sideLink = linkHorizontal();

/** Traces allocated at this point (live, recording, flushed but not yet freed), laid out as a forest. */
export function traceTreeLayout(traces: ReadonlyMap<number, TraceRecord>): TreeLayout {
  const shown = [...traces.values()].filter((r) => r.state !== "free").sort((a, b) => a.started - b.started || a.tr - b.tr);
  const items = new Map<number, Item>(shown.map((r) => [r.tr, { rec: r, children: [] }]));
  const forest: Item = { rec: null, children: [] };
  for (const r of shown) {
    const parent = r.origin?.kind !== "root" && r.origin?.parent !== undefined ? items.get(r.origin.parent) : undefined;
    // A trace is its parent's child only if the parent is older (a reused number is another trace).
    (parent && parent.rec && parent.rec.started < r.started ? parent : forest).children.push(items.get(r.tr) as Item);
  }
  if (shown.length === 0) return { nodes: [], edges: [], links: [], width: 0, height: 0 };

  const top = (n: HierarchyPointNode<Item>): HierarchyPointNode<Item> => {
    let t = n;
    while (t.parent && t.parent.parent) t = t.parent;
    return t;
  };
  const root = tree<Item>()
    .nodeSize([NODE_H + V_GAP, NODE_W + H_GAP])
    // Separate trees a little more than siblings.
    .separation((a, b) => (top(a) === top(b) ? 1 : 1.25))(hierarchy(forest, (d) => d.children));
  const points = root.descendants().filter((p) => p.data.rec !== null);
  const minX = Math.min(...points.map((p) => p.x));
  // d3 lays trees out top-down (x across, y down); ours grow to the right.
  const at = (p: HierarchyPointNode<Item>): { x: number; y: number } => ({
    x: PAD + (p.depth - 1) * (NODE_W + H_GAP),
    y: Math.round(PAD + (p.x - minX)),
  });

  const nodes: TreeNode[] = points.map((p) => {
    const r = p.data.rec as TraceRecord;
    const o = r.origin;
    const { x, y } = at(p);
    const inTree = p.parent !== null && p.parent.data.rec !== null;
    return {
      tr: r.tr, kind: o?.kind ?? "root", state: r.state, label: traceLabel(r), loc: o?.loc ?? "?",
      linkLabel: r.state === "recording" ? "recording…" : r.linktype ? linkText(r.linktype, r.link ?? 0, r.tr) : "",
      linktype: r.linktype, link: r.link, parent: o?.parent, exit: o?.exit,
      orphan: o?.kind !== undefined && o.kind !== "root" && !inTree,
      x, y,
    };
  });
  nodes.sort((p, q) => p.tr - q.tr);
  const byTr = new Map(nodes.map((n) => [n.tr, n]));
  const treeEdges = points.filter((p) => p.parent && p.parent.data.rec !== null)
    .map((p) => ({ from: byTr.get((p.parent?.data.rec as TraceRecord).tr) as TreeNode, to: byTr.get((p.data.rec as TraceRecord).tr) as TreeNode }));

  // Links: to itself (a loop), back to an ancestor (a side trace to its root), or to another tree.
  const pointOf = new Map(points.map((p) => [(p.data.rec as TraceRecord).tr, p]));
  const isAncestor = (anc: number, tr: number): boolean => {
    for (let p = pointOf.get(tr)?.parent; p && p.data.rec; p = p.parent) if (p.data.rec.tr === anc) return true;
    return false;
  };
  const routes: { from: TreeNode; to: TreeNode; route: "self" | "back" | "bracket" }[] = [];
  for (const n of nodes) {
    if (n.state === "recording" || !n.linktype || n.link === undefined || n.link === 0) continue;
    const target = byTr.get(n.link);
    // A trace that ends in a stitch links to its stitched trace: the tree edge already shows it.
    if (!target || treeEdges.some((e) => e.from === n && e.to === target)) continue;
    routes.push({ from: n, to: target, route: target === n ? "self" : isAncestor(target.tr, n.tr) ? "back" : "bracket" });
  }
  // Brackets between trees and the loops of roots run in a margin left of the roots.
  if (routes.some((r) => r.route === "bracket" || (r.route === "self" && r.from.kind === "root"))) for (const n of nodes) n.x += LINK_ROOM;

  const edges: TreeEdge[] = treeEdges.map(({ from, to }) => {
    const kind = to.kind === "stitch" ? "stitch" : "side";
    return {
      from: from.tr, to: to.tr, kind,
      label: kind === "stitch" ? "stitch" : `exit ${to.exit ?? "?"}`,
      path: sideLink({ source: [from.x + NODE_W, from.y + NODE_H / 2], target: [to.x, to.y + NODE_H / 2] }) ?? "",
      lx: (from.x + NODE_W + to.x) / 2,
      ly: (from.y + to.y) / 2 + NODE_H / 2 - 5,
    };
  });
  const links: LinkEdge[] = routes.map(({ from, to, route }) => ({
    from: from.tr, to: to.tr, linktype: from.linktype as LinkType, label: from.linkLabel, flushed: from.state === "flushed",
    path: route === "self" ? selfLoop(from) : route === "back" ? backEdge(from, to) : bracket(from, to),
  }));

  const width = Math.max(...nodes.map((n) => n.x + NODE_W)) + PAD + 40;
  const height = Math.max(...nodes.map((n) => n.y + NODE_H)) + PAD;
  return { nodes, edges, links, width, height };
}

/** A loop back into the trace itself: on the left of a root (nothing enters it there), else on the right. */
function selfLoop(n: TreeNode): string {
  const y0 = n.y + 12, y1 = n.y + NODE_H - 12;
  const [x, bow] = n.kind === "root" && !n.orphan ? [n.x, -24] : [n.x + NODE_W, 24];
  return `M${x},${y0} C${x + bow},${y0 - 10} ${x + bow},${y1 + 10} ${x + Math.sign(bow) * 2},${y1}`;
}

/** Back to an ancestor: a curve under the tree edge, ending at the ancestor's right side. */
function backEdge(a: TreeNode, b: TreeNode): string {
  return sideLink({ source: [a.x, a.y + NODE_H - 10], target: [b.x + NODE_W + 2, b.y + NODE_H - 10] }) ?? "";
}

/** To a trace of another tree: a bracket in the margin left of the roots. */
function bracket(a: TreeNode, b: TreeNode): string {
  const sy = a.y + NODE_H / 2 + 6, ty = b.y + NODE_H / 2 - 6;
  const bow = Math.min(LINK_ROOM - 4, 22 + Math.abs(sy - ty) / 40);
  return `M${a.x},${sy} C${a.x - bow},${sy} ${b.x - bow},${ty} ${b.x - 2},${ty}`;
}
