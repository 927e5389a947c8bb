// A number field that lets people type freely and reports whole numbers.
import { useEffect, useState } from "react";

export function IntField({ value, onChange, ...rest }: { value: number; onChange(v: number): void } & Omit<React.InputHTMLAttributes<HTMLInputElement>, "value" | "onChange">) {
  const [text, setText] = useState(String(value));
  useEffect(() => { if (Number(text) !== value) setText(String(value)); }, [value]);
  return (
    <input
      type="number"
      inputMode="numeric"
      {...rest}
      value={text}
      onChange={(e) => {
        setText(e.target.value);
        const v = Number(e.target.value);
        if (e.target.value !== "" && Number.isFinite(v) && v >= 0) onChange(Math.floor(v));
      }}
    />
  );
}
