// A draggable divider between two panes (role="separator"), also movable
// with the arrow keys; reports the new size of the pane before it.
import { useRef } from "react";

export interface SplitterProps {
  orientation: "vertical" | "horizontal";
  /** Size in px of the pane the splitter resizes. */
  value: number;
  min: number;
  max: number;
  label: string;
  /** Dragging right/down grows the pane (1) or shrinks it (-1, for a pane after the splitter). */
  direction?: 1 | -1;
  onChange(value: number): void;
}

export function Splitter({ orientation, value, min, max, label, direction = 1, onChange }: SplitterProps) {
  const start = useRef<{ pos: number; value: number } | null>(null);
  const clamp = (v: number): number => Math.max(min, Math.min(max, Math.round(v)));
  const pos = (e: React.PointerEvent): number => (orientation === "vertical" ? e.clientX : e.clientY);
  return (
    <div
      className={`splitter ${orientation}`}
      role="separator"
      aria-orientation={orientation}
      aria-label={label}
      aria-valuenow={Math.round(value)}
      aria-valuemin={min}
      aria-valuemax={max}
      tabIndex={0}
      onPointerDown={(e) => { start.current = { pos: pos(e), value }; e.currentTarget.setPointerCapture(e.pointerId); }}
      onPointerMove={(e) => { if (start.current) onChange(clamp(start.current.value + direction * (pos(e) - start.current.pos))); }}
      onPointerUp={() => { start.current = null; }}
      onKeyDown={(e) => {
        const less = orientation === "vertical" ? "ArrowLeft" : "ArrowUp";
        const more = orientation === "vertical" ? "ArrowRight" : "ArrowDown";
        if (e.key !== less && e.key !== more) return;
        e.preventDefault();
        e.stopPropagation();
        onChange(clamp(value + direction * (e.key === more ? 24 : -24)));
      }}
    />
  );
}
