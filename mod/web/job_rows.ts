/**
 * The Jobs tab's rows: the live `job_status.json` records filtered by status,
 * sorted by a column, and capped (the newest first by default), with counts
 * so the page can say how many it does not show.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { selectJobRows } from "./job_rows.ts";
 * const page = selectJobRows({}, { status: "FAILED" });
 * assert.equal(page.rows.length, 0);
 * ```
 * @module
 */
import type { JobStatusRecord } from "../model/job_record.ts";
import type { JobPage } from "../frontend/wire.ts";

export type { JobPage };

/** Most rows the Jobs tab gets at once. */
export const MAX_JOB_ROWS = 500;

/** Columns the Jobs tab can sort by. */
export const JOB_SORT_KEYS = [
  "start_time",
  "job_id",
  "image_url",
  "status",
  "size",
  "pixels",
  "processing_duration",
] as const;

/** One of {@linkcode JOB_SORT_KEYS}. */
export type JobSortKey = typeof JOB_SORT_KEYS[number];

/** What the Jobs tab asks for. */
export interface JobQuery {
  /** Only this status (`STARTED`, `IN_PROGRESS`, `SUCCESS`, `PARTIAL`, `FAILED`); all when absent. */
  status?: string;
  /** Sort column; submission order when absent. */
  sort?: JobSortKey;
  /** `desc` (default) or `asc`. */
  dir?: "asc" | "desc";
  /** Row cap (default and maximum {@linkcode MAX_JOB_ROWS}). */
  limit?: number;
}

/**
 * Parse a `JobQuery` from URL search parameters (`status`, `sort`, `dir`,
 * `limit`); unknown values are ignored.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { jobQueryFromParams } from "./job_rows.ts";
 * assert.equal(jobQueryFromParams(new URLSearchParams("sort=size&dir=asc")).dir, "asc");
 * ```
 */
export function jobQueryFromParams(params: URLSearchParams): JobQuery {
  const query: JobQuery = {};
  const status = params.get("status");
  if (status) query.status = status;
  const sort = params.get("sort");
  if (sort && (JOB_SORT_KEYS as readonly string[]).includes(sort)) query.sort = sort as JobSortKey;
  const dir = params.get("dir");
  if (dir === "asc" || dir === "desc") query.dir = dir;
  const limit = Number(params.get("limit"));
  if (Number.isInteger(limit) && limit > 0) query.limit = limit;
  return query;
}

/**
 * Order two records by `key`, `descending` or not; unknown values (null) come last either way.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { compareJobRecords } from "./job_rows.ts";
 * const r = (d: number | null) => ({ job_id: "j", image_url: "u", message_id: "m",
 *   status: "SUCCESS" as const, completed: true, size: 1, pixels: 1, start_time: "t",
 *   processing_duration: d });
 * const sorted = [r(null), r(2), r(9)].sort((a, b) => compareJobRecords(a, b, "processing_duration", true));
 * assert.deepEqual(sorted.map((x) => x.processing_duration), [9, 2, null]);
 * ```
 */
export function compareJobRecords(
  a: JobStatusRecord,
  b: JobStatusRecord,
  key: JobSortKey,
  descending: boolean,
): number {
  const x = a[key];
  const y = b[key];
  if (x === y) return 0;
  if (x === null) return 1;
  if (y === null) return -1;
  const order = typeof x === "number" && typeof y === "number"
    ? x - y
    : String(x) < String(y)
    ? -1
    : 1;
  return descending ? -order : order;
}

/**
 * Filter, sort and cap job records. Without a sort column the newest
 * submissions come first (`dir: "asc"` gives the oldest first).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { selectJobRows } from "./job_rows.ts";
 * assert.equal(selectJobRows({}, {}).total, 0);
 * ```
 */
export function selectJobRows(
  records: Record<string, JobStatusRecord>,
  query: JobQuery,
): JobPage {
  const all = Object.values(records);
  const limit = Math.min(query.limit ?? MAX_JOB_ROWS, MAX_JOB_ROWS);
  const matching = query.status ? all.filter((r) => r.status === query.status) : all;
  const descending = query.dir !== "asc";
  let rows: JobStatusRecord[];
  // start_time ("MM/DD/YYYY/HH:MM:SS") sorts as submission order, which it is.
  if (query.sort && query.sort !== "start_time") {
    const key = query.sort;
    rows = [...matching].sort((a, b) => compareJobRecords(a, b, key, descending));
    rows = rows.slice(0, limit);
  } else {
    rows = descending ? matching.slice(-limit).reverse() : matching.slice(0, limit);
  }
  return { total: all.length, matched: matching.length, rows };
}
