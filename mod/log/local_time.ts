/**
 * Local times as the tool writes them: ISO-8601 with the UTC offset (the tool's own files),
 * Python logging's `asctime` (the run log) and upstream's `start_time` (`job_status.json`).
 * One home for every local-time format.
 *
 * @example
 * ```ts
 * import { asctime, formatStartTime } from "./local_time.ts";
 * const d = new Date(2025, 11, 9, 10, 44, 51, 7);
 * if (formatStartTime(d) !== "12/09/2025/10:44:51") throw new Error("upstream start_time");
 * if (asctime(d) !== "2025-12-09 10:44:51,007") throw new Error("Python asctime");
 * ```
 * @module
 */

/**
 * ISO-8601 local time with its UTC offset, e.g. `2025-12-09T10:44:51.123+01:00`
 * (upstream wrote naive local times without an offset: defect §13.12).
 *
 * @example
 * ```ts
 * import { isoLocalWithOffset } from "./local_time.ts";
 * isoLocalWithOffset(new Date()); // e.g. "2026-11-27T21:08:49.557+00:00"
 * ```
 */
export function isoLocalWithOffset(date: Date): string {
  const p = (n: number, w = 2) => String(Math.abs(n)).padStart(w, "0");
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? "+" : "-";
  return `${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())}T${
    p(date.getHours())
  }:${p(date.getMinutes())}:${p(date.getSeconds())}.${p(date.getMilliseconds(), 3)}${sign}${
    p(Math.floor(Math.abs(offset) / 60))
  }:${p(Math.abs(offset) % 60)}`;
}

/** Python logging's `asctime`: `YYYY-MM-DD HH:MM:SS,mmm` in local time. */
export function asctime(date: Date = new Date()): string {
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())} ${
    p(date.getHours())
  }:${p(date.getMinutes())}:${p(date.getSeconds())},${p(date.getMilliseconds(), 3)}`;
}

/** Upstream's `start_time` format: `%m/%d/%Y/%H:%M:%S` in local time. */
export function formatStartTime(date: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${p(date.getMonth() + 1)}/${p(date.getDate())}/${date.getFullYear()}/${
    p(date.getHours())
  }:${p(date.getMinutes())}:${p(date.getSeconds())}`;
}
