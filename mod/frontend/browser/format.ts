/**
 * Number formats of the web UI and the HTML report's charts. Pure: no DOM,
 * so the server's tests can check them too. Unknown values (null) show as
 * `–`, never as 0.
 *
 * @example
 * ```ts
 * /// <reference lib="deno.ns" />
 * import { compact, fmtInt } from "./format.ts";
 * if (fmtInt(12345) !== "12,345" || compact(25000) !== "25k") throw new Error("formats");
 * ```
 * @module
 */

/** What an unknown number shows as. */
export const UNKNOWN = "–";

/**
 * A whole number with thousands separators; `–` for null.
 *
 * @example
 * ```ts
 * /// <reference lib="deno.ns" />
 * import { fmtInt } from "./format.ts";
 * if (fmtInt(null) !== "–") throw new Error("unknown");
 * ```
 */
export function fmtInt(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return UNKNOWN;
  return Math.round(n).toLocaleString("en-US");
}

/**
 * A number with `digits` decimals; `–` for null.
 *
 * @example
 * ```ts
 * /// <reference lib="deno.ns" />
 * import { fmtFixed } from "./format.ts";
 * if (fmtFixed(2.345, 1) !== "2.3") throw new Error("one decimal");
 * ```
 */
export function fmtFixed(n: number | null | undefined, digits: number): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return UNKNOWN;
  return n.toFixed(digits);
}

/**
 * Milliseconds as the statistics table shows them: whole from 100 ms, one decimal below.
 *
 * @example
 * ```ts
 * /// <reference lib="deno.ns" />
 * import { fmtMs } from "./format.ts";
 * if (fmtMs(1234.5) !== "1,235" || fmtMs(12.34) !== "12.3") throw new Error("ms");
 * ```
 */
export function fmtMs(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return UNKNOWN;
  return n >= 100 ? fmtInt(n) : String(Math.round(n * 10) / 10);
}

/**
 * Bytes in binary units: `512 B`, `1.5 MiB`.
 *
 * @example
 * ```ts
 * /// <reference lib="deno.ns" />
 * import { fmtBytes } from "./format.ts";
 * if (fmtBytes(1536) !== "1.5 KiB") throw new Error("KiB");
 * ```
 */
export function fmtBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return UNKNOWN;
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let b = bytes;
  let i = 0;
  while (b >= 1024 && i < units.length - 1) {
    b /= 1024;
    i++;
  }
  return `${i === 0 ? String(Math.round(b)) : b.toFixed(1)} ${units[i]}`;
}

/**
 * A short axis label: `950`, `1.5k`, `25k`, `1.2M`, `0.25`; small numbers keep what they need.
 *
 * @example
 * ```ts
 * /// <reference lib="deno.ns" />
 * import { compact } from "./format.ts";
 * if (compact(1500) !== "1.5k" || compact(2_000_000) !== "2M" || compact(0.25) !== "0.25") {
 *   throw new Error("compact");
 * }
 * ```
 */
export function compact(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return "";
  const abs = Math.abs(n);
  const trim = (text: string) => text.includes(".") ? text.replace(/\.?0+$/, "") : text;
  if (abs >= 1e9) return `${trim((n / 1e9).toFixed(1))}G`;
  if (abs >= 1e6) return `${trim((n / 1e6).toFixed(1))}M`;
  if (abs >= 1e4) return `${trim((n / 1e3).toFixed(0))}k`;
  if (abs >= 1e3) return `${trim((n / 1e3).toFixed(1))}k`;
  if (abs >= 10 || abs === 0) return trim(n.toFixed(0));
  return trim(n.toPrecision(2));
}

/**
 * Seconds as `1h 2m`, `4m 5s`, `12s`.
 *
 * @example
 * ```ts
 * /// <reference lib="deno.ns" />
 * import { fmtDuration } from "./format.ts";
 * if (fmtDuration(125) !== "2m 5s") throw new Error("2m 5s");
 * ```
 */
export function fmtDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${rest}s`;
  return `${rest}s`;
}
