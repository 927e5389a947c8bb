// The few d3 v7 functions the explorer uses, typed here (the project has no
// @types/d3): linear scales for the timeline, d3-zoom for its pan and zoom,
// d3-hierarchy's tree layout and d3-shape's links for the trace tree.
declare module "d3" {
  export interface ScaleLinear {
    (x: number): number;
    domain(): [number, number];
    domain(d: readonly [number, number]): ScaleLinear;
    range(): [number, number];
    range(r: readonly [number, number]): ScaleLinear;
    invert(y: number): number;
    clamp(c: boolean): ScaleLinear;
    ticks(count?: number): number[];
    copy(): ScaleLinear;
  }
  export function scaleLinear(): ScaleLinear;

  export interface ZoomTransform {
    readonly k: number;
    readonly x: number;
    readonly y: number;
    rescaleX(x: ScaleLinear): ScaleLinear;
    translate(x: number, y: number): ZoomTransform;
    scale(k: number): ZoomTransform;
  }
  export const zoomIdentity: ZoomTransform;

  export interface D3ZoomEvent {
    transform: ZoomTransform;
    sourceEvent: Event | null;
  }

  export interface ZoomBehavior {
    (selection: Selection): void;
    scaleExtent(extent: [number, number]): ZoomBehavior;
    translateExtent(extent: [[number, number], [number, number]]): ZoomBehavior;
    extent(extent: [[number, number], [number, number]]): ZoomBehavior;
    filter(f: (event: Event) => boolean): ZoomBehavior;
    on(type: string, listener: ((event: D3ZoomEvent) => void) | null): ZoomBehavior;
    transform(selection: Selection, t: ZoomTransform): void;
  }
  export function zoom(): ZoomBehavior;

  export interface Selection {
    call(fn: (s: Selection) => void): Selection;
    on(type: string, listener: null): Selection;
  }
  export function select(el: Element): Selection;

  export interface HierarchyNode<T> {
    readonly data: T;
    readonly depth: number;
    readonly parent: HierarchyNode<T> | null;
    readonly children?: HierarchyNode<T>[];
    descendants(): HierarchyNode<T>[];
  }
  export function hierarchy<T>(data: T, children?: (d: T) => Iterable<T> | null | undefined): HierarchyNode<T>;

  export interface HierarchyPointNode<T> extends HierarchyNode<T> {
    readonly x: number;
    readonly y: number;
    readonly parent: HierarchyPointNode<T> | null;
    readonly children?: HierarchyPointNode<T>[];
    descendants(): HierarchyPointNode<T>[];
  }
  export interface TreeLayout<T> {
    (root: HierarchyNode<T>): HierarchyPointNode<T>;
    nodeSize(size: [number, number]): TreeLayout<T>;
    separation(f: (a: HierarchyPointNode<T>, b: HierarchyPointNode<T>) => number): TreeLayout<T>;
  }
  export function tree<T>(): TreeLayout<T>;

  export interface LinkGenerator<L> {
    (link: L): string | null;
    x(f: (p: [number, number]) => number): LinkGenerator<L>;
    y(f: (p: [number, number]) => number): LinkGenerator<L>;
  }
  export function linkHorizontal(): LinkGenerator<{ source: [number, number]; target: [number, number] }>;
}
