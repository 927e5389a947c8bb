// Number formatting against LuaJIT: fixtures recorded with the target build
// (test/fixtures/numfmt/gen.lua), the oracle's formatting cases, hand-picked
// edge cases, and a property test of %.14g against an independent reference.
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { exactDecimal, roundDecimal } from "../../src/util/decimal.ts";
import { formatNumber, formatPrintf, parseFormat, parseSpec } from "../../src/util/numfmt.ts";

const fixture = (name: string): string[][] =>
  readFileSync(new URL(`../fixtures/numfmt/${name}`, import.meta.url), "latin1")
    .split("\n").filter((l) => l !== "").map((l) => l.split("\t"));

function fromBits(hex: string): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt("0x" + hex));
  return view.getFloat64(0);
}

/** Applies a format string the way string.format does, for the tests below. */
function sprintf(fmt: string, ...values: (number | string)[]): string {
  let k = 0;
  return parseFormat(fmt).map((t) => {
    if (t.kind === "literal") return t.text;
    if (t.kind === "error") throw new Error(`invalid option '${t.text}' to 'format'`);
    return formatPrintf(t.spec, values[k++]);
  }).join("");
}

describe("formatNumber (tostring, %.14g)", () => {
  it("prints what LuaJIT prints for special values and integers", () => {
    expect([0 / 0, -(0 / 0), 1 / 0, -1 / 0, -0, 0, 2 ** 53, 2 ** 63, 1e15, 1e100, 0.1, 123456789012345].map(formatNumber))
      .toEqual(["nan", "nan", "inf", "-inf", "-0", "0", "9.007199254741e+15", "9.2233720368548e+18", "1e+15",
        "1e+100", "0.1", "1.2345678901235e+14"]);
    expect([3, -1, 255, 99999999999999, 100000000000000, -(2 ** 31), 5e-324].map(formatNumber))
      .toEqual(["3", "-1", "255", "99999999999999", "1e+14", "-2147483648", "4.9406564584125e-324"]);
  });

  it("rounds exact ties away from zero", () => {
    expect(formatNumber(12345678901234.5)).toBe("12345678901235");
    expect(formatNumber(-12345678901234.5)).toBe("-12345678901235");
    expect(formatNumber(100000000000005)).toBe("1.0000000000001e+14");
  });

  it("matches LuaJIT on 6000 recorded doubles", () => {
    const rows = fixture("g14.tsv");
    expect(rows.length).toBeGreaterThan(6000);
    const bad = rows.filter(([bits, want]) => formatNumber(fromBits(bits)) !== want);
    expect(bad.slice(0, 10)).toEqual([]);
  });

  // Independent reference: ECMAScript's toExponential/toFixed pick the nearest 14-digit
  // decimal of the exact value and, on a tie, the larger one, which is %.14g's
  // rounding; then C's rule picks the style and trailing zeros go.
  function reference(x: number): string {
    if (x === 0) return Object.is(x, -0) ? "-0" : "0";
    const a = Math.abs(x);
    const [m, ex] = a.toExponential(13).split("e");
    const e = Number(ex);
    const s = e < -4 || e >= 14
      ? m.replace(/\.?0+$/, "") + "e" + (e < 0 ? "-" : "+") + String(Math.abs(e)).padStart(2, "0")
      : a.toFixed(13 - e).replace(/\.0*$|(\.\d*?)0+$/, "$1");
    return (x < 0 ? "-" : "") + s;
  }

  it("agrees with the toExponential/toFixed reference on random doubles", () => {
    fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
      expect(formatNumber(x)).toBe(reference(x));
    }), { numRuns: 20000 });
  });

  it("agrees with the reference on random decimals with few digits (many exact ties)", () => {
    fc.assert(fc.property(fc.integer({ min: -(2 ** 50), max: 2 ** 50 }), fc.integer({ min: 0, max: 20 }), (m, k) => {
      const x = m / 2 ** k;
      expect(formatNumber(x)).toBe(reference(x));
    }), { numRuns: 20000 });
  });
});

describe("exact decimals", () => {
  it("expands doubles exactly and rounds half away from zero", () => {
    expect(exactDecimal(2.675)).toEqual({ digits: "267499999999999982236431605997495353221893310546875", exp: 1 });
    expect(exactDecimal(0)).toEqual({ digits: "", exp: 0 });
    expect(exactDecimal(1e21)).toEqual({ digits: "1", exp: 22 });
    expect(roundDecimal({ digits: "25", exp: 1 }, 1)).toEqual({ digits: "3", exp: 1 });
    expect(roundDecimal({ digits: "9995", exp: 0 }, 3)).toEqual({ digits: "1", exp: 1 });
    expect(roundDecimal({ digits: "4", exp: -2 }, 0)).toEqual({ digits: "", exp: 0 });
  });
});

describe("formatPrintf", () => {
  it("matches LuaJIT on 5000 recorded conversions", () => {
    const rows = fixture("printf.tsv");
    expect(rows.length).toBe(5000);
    const bad = rows.filter(([spec, bits, want]) => formatPrintf(spec, fromBits(bits)) !== (want ?? ""))
      .map(([spec, bits, want]) => ({ spec, bits, want, got: formatPrintf(spec, fromBits(bits)) }));
    expect(bad.slice(0, 10)).toEqual([]);
  });

  it("reproduces the oracle's sem_format_rounding and sem_number_tostring lines", () => {
    expect(sprintf("%.0f %.0f %.0f %.0f", 0.5, 1.5, 2.5, -2.5)).toBe("1 2 3 -3");
    expect(sprintf("%.1f %.1f %.2e %.3g", 0.25, 0.375, 1.125, 2.5e-5)).toBe("0.3 0.4 1.13e+00 2.5e-05");
    expect(sprintf("%.14g", 123456789012345)).toBe("1.2345678901235e+14");
    expect(sprintf("%.3f %5.1f %g %e", 3.14159, 2.5, 1e20, 12345.678)).toBe("3.142   2.5 1e+20 1.234568e+04");
    expect(sprintf("%d %5d %-5d| %05d %x %X %o", 42, 42, 42, 42, 255, 255, 8)).toBe("42    42 42   | 00042 ff FF 10");
    expect(sprintf("%.2f", 2.675)).toBe("2.67"); // the double is just below 2.675
  });

  it("formats integers like LuaJIT (truncation, 64-bit wrap-around)", () => {
    expect(sprintf("%d|%d|%d|%x|%u|%o", 3.7, -3.7, 1e30, -1, -1, 8))
      .toBe("3|-3|-9223372036854775808|ffffffffffffffff|18446744073709551615|10");
    expect(sprintf("%x|%x|%u|%d|%x", 2 ** 64, 2 ** 63, 2 ** 64 + 2 ** 53, 0 / 0, -0.5))
      .toBe("0|8000000000000000|9007199254740992|-9223372036854775808|0");
    expect(sprintf("%#x|%#o|%#o|%.0d|%+.3d|% 05d|%-+5d|", 255, 8, 0, 0, 3, 3, 3)).toBe("0xff|010|0||+003| 0003|+3   |");
  });

  it("formats non-finite values without a NaN sign and without zero padding", () => {
    expect(sprintf("%f %e %g %a %5.1f|%-6g|%+g|% g", 0 / 0, -(0 / 0), 1 / 0, -1 / 0, 0 / 0, 0 / 0, 1 / 0, 1 / 0))
      .toBe("nan nan inf -inf   nan|nan   |+inf| inf");
    expect(sprintf("%10f|%-10f|%010f|%+F|%F|%E|%G", 1 / 0, -1 / 0, 0 / 0, 1 / 0, 0 / 0, -1 / 0, 0 / 0))
      .toBe("       inf|-inf      |       nan|+INF|NAN|-INF|NAN");
  });

  it("formats %a like LuaJIT (normalised subnormals, rounding carries into the lead digit)", () => {
    expect(sprintf("%a|%a|%a|%.0a|%.1a|%A|%a|%a", 1, 0.1, -0, 1.96875, 1.96875, 255.5, 5e-324, 2 ** -1022))
      .toBe("0x1p+0|0x1.999999999999ap-4|-0x0p+0|0x2p+0|0x2.0p+0|0X1.FFP+7|0x1p-1074|0x1p-1022");
  });

  it("formats %s, %c and %q", () => {
    expect(sprintf("%.3s|%-5s|%5s|%05s|%5.1s|", "abcdef", "ab", "ab", "ab", "xyz")).toBe("abc|ab   |   ab|   ab|    x|");
    expect(sprintf("%c|%3c|%-3c|", 65, 66, 67)).toBe("A|  B|C  |");
    expect(sprintf("%c", 256 + 65)).toBe("A");
    expect(sprintf("%c", 1e10)).toBe("\0");
    expect(sprintf("%s %s", 1.5, 10)).toBe("1.5 10");
    expect(sprintf("%q", "a\"b\\c\nd\re\0f\x001\x7f\x80\xff")).toBe('"a\\"b\\\\c\\\nd\\13e\\0f\\0001\\127\x80\xff"');
  });

  it("formats %p like lj_strfmt_wptr", () => {
    expect(formatPrintf("%p", 0)).toBe("NULL");
    expect(formatPrintf("%p", 0x1234)).toBe("0x00001234");
    expect(formatPrintf("%p", 0x7f668c988b10)).toBe("0x7f668c988b10");
  });

  it("handles large precisions exactly", () => {
    expect(sprintf("%.99f", 1 / 3).length).toBe(101);
    expect(sprintf("%.99e", 1 / 3).slice(0, 30)).toBe("3.3333333333333331482961625624");
    expect(sprintf("%.20g|%#g|%.0g|%e", 0.1, 1, 0.5, 0)).toBe("0.10000000000000000555|1.00000|0.5|0.000000e+00");
  });
});

describe("format strings", () => {
  it("splits literals, %% and conversions", () => {
    expect(parseFormat("a%%b%5.2fc")).toEqual([
      { kind: "literal", text: "a%b" },
      { kind: "spec", text: "%5.2f", spec: expect.objectContaining({ conv: "f", width: 5, precision: 2 }) },
      { kind: "literal", text: "c" },
    ]);
    expect(parseSpec("%-+0 #12.f")).toEqual({
      conv: "f", left: true, plus: true, zero: true, space: true, alt: true, width: 12, precision: 0,
    });
  });

  it("reports invalid conversions with LuaJIT's quoted text", () => {
    const err = (fmt: string) => parseFormat(fmt).find((t) => t.kind === "error")?.text;
    expect(err("%123d")).toBe("%123");
    expect(err("%.123d")).toBe("%.123");
    expect(err("%y")).toBe("%y");
    expect(err("x%")).toBe("%");
    expect(err("%5")).toBe("%5");
    expect(err("%\n")).toBe("%");
    expect(err("%5d")).toBeUndefined();
  });
});
