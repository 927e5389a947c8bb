// A view's SVG as a file of its own: a copy with the computed styles written
// into style attributes (the page's CSS and theme variables do not travel
// with it), on the panel's background; and the same picture as a PNG.
import { downloadFile } from "./download.ts";

/** Inherited properties: written where they differ from the parent's. */
const INHERITED = [
  "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-opacity", "stroke-dasharray",
  "stroke-dashoffset", "stroke-linecap", "stroke-linejoin", "font-family", "font-size", "font-weight",
  "font-style", "letter-spacing", "text-anchor", "dominant-baseline", "visibility", "paint-order",
] as const;
/** Properties that do not inherit: written where they differ from their initial value. */
const OWN: Record<string, (v: string) => boolean> = {
  "opacity": (v) => v !== "1",
  "display": (v) => v === "none",
  "text-decoration-line": (v) => v !== "none",
  "text-decoration-color": () => true,
};

export interface SvgFile {
  markup: string;
  width: number;
  height: number;
}

/** The first colour behind an element that is not transparent (the panel it sits on). */
function backgroundOf(el: Element): string {
  for (let e: Element | null = el; e; e = e.parentElement) {
    const bg = getComputedStyle(e).backgroundColor;
    if (bg && bg !== "transparent" && !/^rgba\(.*,\s*0\)$/.test(bg)) return bg;
  }
  return "#ffffff";
}

function inlineStyles(src: Element, dst: Element, parent: CSSStyleDeclaration | null): void {
  const cs = getComputedStyle(src);
  const decls: string[] = [];
  for (const p of INHERITED) {
    const v = cs.getPropertyValue(p);
    if (v && (!parent || parent.getPropertyValue(p) !== v)) decls.push(`${p}:${v}`);
  }
  for (const [p, keep] of Object.entries(OWN)) {
    const v = cs.getPropertyValue(p);
    if (v && keep(v) && (p !== "text-decoration-color" || cs.getPropertyValue("text-decoration-line") !== "none")) decls.push(`${p}:${v}`);
  }
  if (decls.length > 0) dst.setAttribute("style", decls.join(";"));
  else dst.removeAttribute("style");
  dst.removeAttribute("class");
  const kids = src.children;
  for (let i = 0; i < kids.length; i++) inlineStyles(kids[i], dst.children[i], cs);
}

/** The SVG as a standalone file, looking as it does on the page. */
export function serializeSvg(svg: SVGSVGElement): SvgFile {
  const box = svg.getBoundingClientRect();
  const width = Math.max(1, Math.round(Number(svg.getAttribute("width")) || box.width));
  const height = Math.max(1, Math.round(Number(svg.getAttribute("height")) || box.height));
  const copy = svg.cloneNode(true) as SVGSVGElement;
  inlineStyles(svg, copy, null);
  copy.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  copy.setAttribute("width", String(width));
  copy.setAttribute("height", String(height));
  if (!copy.hasAttribute("viewBox")) copy.setAttribute("viewBox", `0 0 ${width} ${height}`);
  const bg = document.createElementNS("http://www.w3.org/2000/svg", "rect");
  bg.setAttribute("x", "0");
  bg.setAttribute("y", "0");
  bg.setAttribute("width", "100%");
  bg.setAttribute("height", "100%");
  bg.setAttribute("fill", backgroundOf(svg));
  copy.insertBefore(bg, copy.firstChild);
  const markup = `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(copy)}\n`;
  return { markup, width, height };
}

/** Draw an SVG file on a canvas (`scale` pixels per CSS pixel) and encode it as PNG. */
export async function rasterize(file: SvgFile, scale = 2): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([file.markup], { type: "image/svg+xml;charset=utf-8" }));
  try {
    const img = new Image();
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error("the SVG could not be drawn"));
      img.src = url;
    });
    const canvas = document.createElement("canvas");
    canvas.width = Math.ceil(file.width * scale);
    canvas.height = Math.ceil(file.height * scale);
    const ctx = canvas.getContext("2d");
    if (!ctx) throw new Error("no 2D canvas");
    ctx.scale(scale, scale);
    ctx.drawImage(img, 0, 0, file.width, file.height);
    return await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error("PNG encoding failed"))), "image/png"));
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** The views that can be saved as pictures, by the data-export name on their <svg>. */
export function exportableSvg(name: string): SVGSVGElement | null {
  return document.querySelector<SVGSVGElement>(`svg[data-export="${name}"]`);
}

/** Save a view's SVG as `base.svg` or `base.png`. */
export async function saveSvgView(svg: SVGSVGElement, base: string, format: "svg" | "png"): Promise<void> {
  const file = serializeSvg(svg);
  if (format === "svg") downloadFile(`${base}.svg`, file.markup, "image/svg+xml;charset=utf-8");
  else downloadFile(`${base}.png`, await rasterize(file));
}
