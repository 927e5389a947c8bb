// Calendar time for os.date/os.time: struct tm from time_t and back (gmtime,
// localtime, mktime) and strftime in the C locale with glibc's extensions.
// UTC arithmetic is our own (any year an int holds); local time asks JS Date
// for the zone offset.

/** struct tm, with glibc's tm_gmtoff and tm_zone. */
export interface Tm {
  sec: number;
  min: number;
  hour: number;
  mday: number;
  /** 0..11 */
  mon: number;
  /** Full year (tm_year + 1900). */
  year: number;
  /** 0..6, Sunday = 0 */
  wday: number;
  /** 0..365 */
  yday: number;
  /** 1, 0, or -1 when unknown. */
  isdst: number;
  /** Seconds east of UTC. */
  gmtoff: number;
  zone: string;
}

const floorDiv = (a: number, b: number): number => Math.floor(a / b);
const mod = (a: number, b: number): number => a - Math.floor(a / b) * b;

/** Days since 1970-01-01 of a proleptic Gregorian date (month 1..12). */
export function daysFromCivil(y: number, m: number, d: number): number {
  if (m <= 2) y--;
  const era = floorDiv(y, 400);
  const yoe = y - era * 400;
  const doy = floorDiv(153 * (m > 2 ? m - 3 : m + 9) + 2, 5) + d - 1;
  const doe = yoe * 365 + floorDiv(yoe, 4) - floorDiv(yoe, 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Breaks t (seconds since the epoch, UTC plus gmtoff) down; null if the year does not fit an int. */
function breakDown(t: number, gmtoff: number, isdst: number, zone: string): Tm | null {
  const local = t + gmtoff;
  const days = floorDiv(local, 86400);
  const secs = local - days * 86400;
  const z = days + 719468;
  const era = floorDiv(z, 146097);
  const doe = z - era * 146097;
  const yoe = floorDiv(doe - floorDiv(doe, 1460) + floorDiv(doe, 36524) - floorDiv(doe, 146096), 365);
  const doy = doe - (365 * yoe + floorDiv(yoe, 4) - floorDiv(yoe, 100));
  const mp = floorDiv(5 * doy + 2, 153);
  const mday = doy - floorDiv(153 * mp + 2, 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  if (year - 1900 > 2147483647 || year - 1900 < -2147483648) return null;
  return {
    sec: secs % 60,
    min: floorDiv(secs, 60) % 60,
    hour: floorDiv(secs, 3600),
    mday,
    mon: month - 1,
    year,
    wday: mod(days + 4, 7),
    yday: days - daysFromCivil(year, 1, 1),
    isdst,
    gmtoff,
    zone,
  };
}

/** The largest time JS Date can place; beyond it we reuse the offset at the edge. */
const JS_DATE_MAX_S = 8.64e12;

function clampForDate(t: number): number {
  return Math.max(-JS_DATE_MAX_S, Math.min(JS_DATE_MAX_S, t));
}

/** Seconds east of UTC at time t in the host's zone. */
function offsetAt(t: number): number {
  return -new Date(clampForDate(t) * 1000).getTimezoneOffset() * 60;
}

/** Standard and daylight offsets of t's year: the smaller and larger of January's and July's. */
function yearOffsets(t: number): [number, number] {
  const y = new Date(clampForDate(t) * 1000).getUTCFullYear();
  const jan = -new Date(y, 0, 1).getTimezoneOffset() * 60;
  const jul = -new Date(y, 6, 1).getTimezoneOffset() * 60;
  return jan < jul ? [jan, jul] : [jul, jan];
}

/** DST is on when the offset exceeds the standard one. */
function dstAt(t: number, offset: number): number {
  return offset > yearOffsets(t)[0] ? 1 : 0;
}

function zoneName(t: number): string {
  try {
    const parts = new Intl.DateTimeFormat("en-US", { timeZoneName: "short" }).formatToParts(new Date(clampForDate(t) * 1000));
    return parts.find((p) => p.type === "timeZoneName")?.value ?? "";
  } catch {
    return "";
  }
}

export function gmtime(t: number): Tm | null {
  return breakDown(t, 0, 0, "GMT");
}

/** DIVERGENCE: the zone's rules come from JS Date/Intl, not the C library's tz database and TZ handling. */
export function localtime(t: number): Tm | null {
  const off = offsetAt(t);
  return breakDown(t, off, dstAt(t, off), zoneName(t));
}

/** Seconds since the epoch of a broken-down UTC time, fields normalised as mktime does. */
function utcSeconds(year: number, mon: number, mday: number, hour: number, min: number, sec: number): number {
  const y = year + floorDiv(mon, 12);
  const m = mod(mon, 12);
  return (daysFromCivil(y, m + 1, 1) + mday - 1) * 86400 + hour * 3600 + min * 60 + sec;
}

/** The zone offset the previous mktime settled on: glibc starts its search there. */
let lastOffset = 0;

/**
 * mktime: local time fields (any range) to time_t. Like glibc, the search
 * starts from the previous call's offset, so an ambiguous time (clocks going
 * back) resolves as glibc would; a time in a gap uses the offset before it.
 * isdst >= 0 asks for that DST state, shifting by an hour if it is not in effect.
 */
export function mktime(year: number, mon: number, mday: number, hour: number, min: number, sec: number, isdst: number): number {
  const u = utcSeconds(year, mon, mday, hour, min, sec);
  const o = offsetAt(u - lastOffset);
  let t = u - o;
  if (offsetAt(t) !== o) t = u - offsetAt(u - 86400);
  if (isdst >= 0) {
    const want = isdst > 0 ? 1 : 0;
    const actual = dstAt(t, offsetAt(t));
    // glibc shifts by an hour in zones without DST.
    const [std, dst] = yearOffsets(t);
    if (actual !== want) t += (actual - want) * (dst > std ? dst - std : 3600);
  }
  lastOffset = u - t;
  return t;
}

// -- strftime ---------------------------------------------------------------------

const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
  "October", "November", "December"];

function isoWeeksInYear(y: number): number {
  const p = (x: number): number => mod(x + floorDiv(x, 4) - floorDiv(x, 100) + floorDiv(x, 400), 7);
  return p(y) === 4 || p(y - 1) === 3 ? 53 : 52;
}

/** ISO 8601 week-based year and week number. */
function isoWeek(tm: Tm): [number, number] {
  const wdayMon = (tm.wday + 6) % 7;
  let week = floorDiv(tm.yday - wdayMon + 10, 7);
  let year = tm.year;
  if (week < 1) {
    year--;
    week = isoWeeksInYear(year);
  } else if (week > isoWeeksInYear(year)) {
    year++;
    week = 1;
  }
  return [year, week];
}

/** A conversion's value: a number with its default width and pad, or text. */
type Piece = { num: number; width: number; pad: string } | { text: string } | { fmt: string };

function piece(c: string, tm: Tm): Piece | null {
  const n = (num: number, width = 2, pad = "0"): Piece => ({ num, width, pad });
  const h12 = tm.hour % 12 === 0 ? 12 : tm.hour % 12;
  switch (c) {
    case "a": return { text: DAYS[tm.wday].slice(0, 3) };
    case "A": return { text: DAYS[tm.wday] };
    case "b": case "h": return { text: MONTHS[tm.mon].slice(0, 3) };
    case "B": return { text: MONTHS[tm.mon] };
    case "c": return { fmt: "%a %b %e %H:%M:%S %Y" };
    case "C": return n(floorDiv(tm.year, 100));
    case "d": return n(tm.mday);
    case "D": case "x": return { fmt: "%m/%d/%y" };
    case "e": return n(tm.mday, 2, " ");
    case "F": return { fmt: "%Y-%m-%d" };
    case "g": return n(mod(isoWeek(tm)[0], 100));
    case "G": return n(isoWeek(tm)[0], 1);
    case "H": return n(tm.hour);
    case "I": return n(h12);
    case "j": return n(tm.yday + 1, 3);
    case "k": return n(tm.hour, 2, " ");
    case "l": return n(h12, 2, " ");
    case "m": return n(tm.mon + 1);
    case "M": return n(tm.min);
    case "n": return { text: "\n" };
    case "p": return { text: tm.hour < 12 ? "AM" : "PM" };
    case "P": return { text: tm.hour < 12 ? "am" : "pm" };
    case "r": return { fmt: "%I:%M:%S %p" };
    case "R": return { fmt: "%H:%M" };
    // glibc: mktime of the fields, so "!%s" is shifted by the local offset.
    case "s": return n(mktime(tm.year, tm.mon, tm.mday, tm.hour, tm.min, tm.sec, tm.isdst), 1);
    case "S": return n(tm.sec);
    case "t": return { text: "\t" };
    case "T": case "X": return { fmt: "%H:%M:%S" };
    case "u": return n(tm.wday === 0 ? 7 : tm.wday, 1);
    case "U": return n(floorDiv(tm.yday + 7 - tm.wday, 7));
    case "V": return n(isoWeek(tm)[1]);
    case "w": return n(tm.wday, 1);
    case "W": return n(floorDiv(tm.yday + 7 - ((tm.wday + 6) % 7), 7));
    case "y": return n(mod(tm.year, 100));
    case "Y": return n(tm.year, 1);
    case "z": {
      const off = Math.abs(tm.gmtoff);
      const hhmm = floorDiv(off, 3600) * 100 + floorDiv(off % 3600, 60);
      return { text: (tm.gmtoff < 0 ? "-" : "+") + String(hhmm).padStart(4, "0") };
    }
    case "Z": return { text: tm.zone };
    case "%": return { text: "%" };
    default: return null;
  }
}

const SPEC = /%([_\-0^#]*)(\d*)([EO]?)(.?)/y;

/** strftime(fmt, tm) in the C locale. Unknown conversions are copied as written. */
export function strftime(fmt: string, tm: Tm): string {
  let out = "";
  let i = 0;
  while (i < fmt.length) {
    const pct = fmt.indexOf("%", i);
    if (pct < 0) { out += fmt.slice(i); break; }
    out += fmt.slice(i, pct);
    SPEC.lastIndex = pct;
    const m = SPEC.exec(fmt)!;
    const [whole, flags, widthText, modifier, conv] = m;
    i = pct + whole.length;
    const p = conv ? piece(conv, tm) : null;
    if (p === null || (modifier === "E" && !"cCxXyY".includes(conv)) || (modifier === "O" && !"deHImMSuUVwWy".includes(conv))) {
      out += whole;
      continue;
    }
    let s: string;
    if ("fmt" in p) {
      s = strftime(p.fmt, tm);
    } else if ("text" in p) {
      s = p.text;
      const width = widthText ? Number(widthText) : 0;
      if (s.length < width) s = (flags.includes("0") ? "0" : " ").repeat(width - s.length) + s;
    } else {
      const neg = p.num < 0;
      let digits = String(Math.abs(p.num));
      const pad = flags.includes("_") ? " " : flags.includes("0") ? "0" : p.pad;
      const width = widthText ? Number(widthText) : p.width;
      if (!flags.includes("-") && digits.length + (neg ? 1 : 0) < width) {
        digits = pad === "0" ? "0".repeat(width - digits.length - (neg ? 1 : 0)) + digits : digits;
      }
      s = (neg ? "-" : "") + digits;
      if (!flags.includes("-") && s.length < width) s = " ".repeat(width - s.length) + s;
    }
    if (flags.includes("^")) s = s.toUpperCase();
    out += s;
  }
  return out;
}
