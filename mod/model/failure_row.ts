/**
 * Failures of one (method, name, error): a row of `_failures.csv`, as the statistics count it,
 * as a user worker's batch carries it and as the web UI shows it. (The mergeable stats file keeps
 * its own snake_case JSON form, `MergeableFailure`.)
 *
 * @example
 * ```ts
 * import type { FailureRow } from "./failure_row.ts";
 * const row: FailureRow = {
 *   method: "Submit Image", name: "a.tif:centerpoint", error: "AccessDenied",
 *   occurrences: 2, firstSeen: 1000, lastSeen: 2000,
 * };
 * if (row.lastSeen < row.firstSeen) throw new Error("last after first");
 * ```
 * @module
 */

/** Failures of one (method, name, error). */
export interface FailureRow {
  /** Request type, e.g. `Submit Image`. */
  method: string;
  name: string;
  /** The error text, with `object at 0x…` addresses masked as Locust does. */
  error: string;
  occurrences: number;
  /** First and last occurrence (ms since epoch). */
  firstSeen: number;
  lastSeen: number;
}
