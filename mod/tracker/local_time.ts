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
