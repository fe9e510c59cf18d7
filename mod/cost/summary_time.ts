/**
 * Times in a `job_summary.json`: parsing them the way Python's
 * `datetime.fromisoformat` reads them, and writing them back the way
 * `datetime.isoformat()` and Cost Explorer want them.
 *
 * A time with an offset (`+02:00`) or a trailing `Z` is that instant. A naive
 * time (no offset, as the original suite writes them) is read as LOCAL time of
 * this machine: the original suite wrote its local clock, and upstream's cost
 * report wrongly read it as UTC (docs/compatibility.md#fix-summary-times).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { parseSummaryTime, toCostExplorerHour } from "./summary_time.ts";
 * const t = parseSummaryTime("2025-12-09T10:44:51.123456+02:00")!;
 * assert.equal(toCostExplorerHour(t), "2025-12-09T08:44:51Z");
 * ```
 * @module
 */

/** One instant read from a summary, with what is needed to write it back. */
export interface SummaryTime {
  /** The instant's whole seconds, in ms since the Unix epoch (a multiple of 1000). */
  epochMs: number;
  /** Microseconds past `epochMs` (0–999,999). */
  micros: number;
  /** The UTC offset the time was written in (or the local one, for a naive time), in minutes. */
  offsetMinutes: number;
  /** Whether the text had no offset (and was read as local time). */
  naive: boolean;
  /** The text as given. */
  text: string;
}

const ISO_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2})(?::(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?)?(?:([Zz])|([+-])(\d{2}):?(\d{2})(?::?(\d{2}))?)?$/;

/**
 * Parse an ISO-8601 time as Python's `datetime.fromisoformat` does (after a
 * trailing `Z` is read as UTC). Returns undefined when the text is not such a
 * time; naive times are read as local time.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { parseSummaryTime } from "./summary_time.ts";
 * assert.equal(parseSummaryTime("2025-12-09T10:44:51Z")?.epochMs, 1765277091000);
 * assert.equal(parseSummaryTime("yesterday"), undefined);
 * ```
 */
export function parseSummaryTime(text: string): SummaryTime | undefined {
  const m = ISO_RE.exec(text.trim());
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) =>
    Number(m[i] ?? 0)
  ) as [number, number, number, number, number, number];
  const micros = m[7] === undefined ? 0 : Number(m[7].slice(0, 6).padEnd(6, "0"));
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return undefined;
  const utcFields = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(utcFields);
  if (check.getUTCDate() !== day || check.getUTCMonth() !== month - 1) return undefined;
  if (m[8] !== undefined) {
    return { epochMs: utcFields, micros, offsetMinutes: 0, naive: false, text };
  }
  if (m[9] !== undefined) {
    const sign = m[9] === "-" ? -1 : 1;
    const offsetMinutes = sign * (Number(m[10]) * 60 + Number(m[11]));
    const offsetSeconds = Number(m[12] ?? 0);
    if (Math.abs(offsetMinutes) >= 24 * 60) return undefined;
    const epochMs = utcFields - (offsetMinutes * 60 + sign * offsetSeconds) * 1000;
    return { epochMs, micros, offsetMinutes, naive: false, text };
  }
  const local = new Date(year, month - 1, day, hour, minute, second);
  const epochMs = local.getTime();
  return { epochMs, micros, offsetMinutes: -local.getTimezoneOffset(), naive: true, text };
}

/**
 * The seconds from `start` to `stop`, at microsecond precision (Python's
 * `(stop - start).total_seconds()`).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { parseSummaryTime, secondsBetween } from "./summary_time.ts";
 * assert.equal(secondsBetween(parseSummaryTime("2025-01-01T00:00:00Z")!, parseSummaryTime("2025-01-01T00:30:00.5Z")!), 1800.5);
 * ```
 */
export function secondsBetween(start: SummaryTime, stop: SummaryTime): number {
  const micros = (stop.epochMs - start.epochMs) * 1000 + (stop.micros - start.micros);
  return micros / 1e6;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

/**
 * Python's `datetime.isoformat()` of the time in the offset it was written in
 * (a naive time gets the local offset it was read with): microseconds only when
 * not 0, and the offset as `+HH:MM`.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { parseSummaryTime, pythonIsoformat } from "./summary_time.ts";
 * assert.equal(pythonIsoformat(parseSummaryTime("2025-12-09T10:44:51Z")!), "2025-12-09T10:44:51+00:00");
 * ```
 */
export function pythonIsoformat(time: SummaryTime): string {
  const shifted = new Date(time.epochMs + time.offsetMinutes * 60_000);
  const date = `${pad(shifted.getUTCFullYear(), 4)}-${pad(shifted.getUTCMonth() + 1)}-${
    pad(shifted.getUTCDate())
  }`;
  const clock = `${pad(shifted.getUTCHours())}:${pad(shifted.getUTCMinutes())}:${
    pad(shifted.getUTCSeconds())
  }`;
  const fraction = time.micros === 0 ? "" : `.${pad(time.micros, 6)}`;
  const abs = Math.abs(time.offsetMinutes);
  const offset = `${time.offsetMinutes < 0 ? "-" : "+"}${pad(Math.floor(abs / 60))}:${
    pad(abs % 60)
  }`;
  return `${date}T${clock}${fraction}${offset}`;
}

/**
 * A Cost Explorer HOURLY boundary: the instant (plus `addSeconds`) in UTC as
 * `YYYY-MM-DDTHH:MM:SSZ`, sub-seconds dropped (as upstream's `strftime`).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { parseSummaryTime, toCostExplorerHour } from "./summary_time.ts";
 * assert.equal(toCostExplorerHour(parseSummaryTime("2025-12-09T10:59:59.9Z")!, 1), "2025-12-09T11:00:00Z");
 * ```
 */
export function toCostExplorerHour(time: SummaryTime, addSeconds = 0): string {
  return `${new Date(time.epochMs + addSeconds * 1000).toISOString().slice(0, 19)}Z`;
}

/**
 * A Cost Explorer DAILY boundary: the UTC date of the instant plus `addDays`,
 * as `YYYY-MM-DD` (Cost Explorer's days are UTC days).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { parseSummaryTime, toCostExplorerDate } from "./summary_time.ts";
 * assert.equal(toCostExplorerDate(parseSummaryTime("2025-12-09T23:30:00-02:00")!, 1), "2025-12-11");
 * ```
 */
export function toCostExplorerDate(time: SummaryTime, addDays = 0): string {
  return new Date(time.epochMs + addDays * 86_400_000).toISOString().slice(0, 10);
}
