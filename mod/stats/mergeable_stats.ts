/**
 * The mergeable statistics document, `osml-load-stats.json`: everything a
 * merge of several generators needs to write the outputs of one run that saw
 * every sample (schema in `docs/json-schema.md`). Per (type, name) entry it
 * keeps Locust's counters as its master receives them from a worker
 * (`StatsEntry.serialize`): the response-time buckets, counts, the running
 * float sum, min and max with their Python int/float kind, the content
 * length, the per-second request and failure counts and the last request
 * time; then the failures and exceptions tables, the run's window, user
 * count, job statistics, the generator's identity, and the history: one row
 * per `_stats_history.csv` row with the Aggregated state at that second and
 * the job-latency buckets of `_jobs_history.csv`.
 *
 * History rows carry the counters as totals and the maps (buckets,
 * per-second counts) as the keys that changed since the previous row, with
 * their new values (0 = gone), so a long run's file grows with what changed,
 * not with the number of rows times the number of buckets.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { StatsAggregator } from "./aggregator.ts";
 * import { snapshotStats } from "./mergeable_stats.ts";
 * const stats = new StatsAggregator(1_000);
 * stats.record({ type: "Submit Image", name: "a.tif:m", responseTimeMs: 147, length: 9, at: 2_000 });
 * const snapshot = snapshotStats(stats);
 * assert.deepEqual(snapshot.total.response_times, [[150, 1]]);
 * assert.equal(snapshot.start_time, 1);
 * ```
 * @module
 */

import type { StatsAggregator } from "./aggregator.ts";
import type { EntryDelta } from "./delta.ts";

/** Identifies the document format; a merge refuses any other. */
export const MERGEABLE_STATS_SCHEMA = "osml-load/mergeable-stats@1";

/** The document's file name in a run's `--log-dir`. */
export const MERGEABLE_STATS_FILE = "osml-load-stats.json";

/** The request type of end-to-end job latency (`_jobs_history.csv`'s latency columns). */
export const JOB_COMPLETE_TYPE = "Job Complete";

/** A map written as `[key, value]` pairs (bucket → count, Unix second → count). */
export type Pairs = [number, number][];

/** One (type, name) entry, or the Aggregated total: Locust's `StatsEntry` counters. */
export interface MergeableEntry {
  /** Request type; `""` for the Aggregated total. */
  type: string;
  /** Entry name; `Aggregated` for the total. */
  name: string;
  num_requests: number;
  /** Requests without a response time (Locust's `num_none_requests`). */
  num_none_requests: number;
  num_failures: number;
  /** Running float sum of the response times (ms). */
  total_response_time: number;
  /** Smallest response time, or null before the first one. */
  min_response_time: number | null;
  /** Whether the smallest response time is a Python int (`3868`) rather than a float (`3868.0`). */
  min_is_int: boolean;
  /** Largest response time; the int 0 before the first one. */
  max_response_time: number;
  max_is_int: boolean;
  total_content_length: number;
  /** Response-time buckets (int ms) → counts. */
  response_times: Pairs;
  /** Requests per Unix second, the last 64 seconds (Locust's `num_reqs_per_sec`). */
  num_reqs_per_sec: Pairs;
  /** Failures per Unix second, the last 64 seconds (Locust's `num_fail_per_sec`). */
  num_fail_per_sec: Pairs;
  /** When the entry started (its first request, or the last reset), Unix seconds. */
  start_time: number;
  /** End of the latest request, Unix seconds, or null. */
  last_request_timestamp: number | null;
}

/** Failures of one (method, name, error): a row of `_failures.csv`. */
export interface MergeableFailure {
  method: string;
  name: string;
  error: string;
  occurrences: number;
  /** First and last occurrence, ms since the Unix epoch. */
  first_seen: number;
  last_seen: number;
}

/** Errors raised outside requests with one traceback: a row of `_exceptions.csv`. */
export interface MergeableException {
  message: string;
  traceback: string;
  count: number;
  nodes: string[];
  /** First and last occurrence, ms since the Unix epoch. */
  first_seen: number;
  last_seen: number;
}

/** The request statistics at one moment: what `_stats.csv`, `_failures.csv`, `_exceptions.csv` show. */
export interface MergeableStatsSnapshot {
  /** When the statistics started or were last reset, Unix seconds (Locust's `start_time`). */
  start_time: number;
  /** Every entry, sorted by (name, type). */
  entries: MergeableEntry[];
  total: MergeableEntry;
  failures: MergeableFailure[];
  exceptions: MergeableException[];
}

/** The job columns of one timeline point (`_jobs_history.csv`, the HTML report's charts). */
export interface MergeablePoint {
  /** Time of the point, ms since the Unix epoch. */
  t: number;
  users: number;
  jobs_in_flight: number;
  jobs_succeeded: number;
  /** FAILED only. */
  jobs_failed: number;
  jobs_partial: number;
  jobs_timed_out: number;
  gb_processed: number;
  pixels_processed: number;
  /** Request-queue backlog; null when it could not be read; absent when not sampled yet. */
  queue_depth?: number | null;
  /** Target arrival rate, jobs/s (open-model shapes). */
  target_rate?: number;
}

/** The Aggregated row's state in a history row: the entry's counters, and what changed. */
export interface MergeableRowTotal extends
  Pick<
    MergeableEntry,
    | "num_requests"
    | "num_none_requests"
    | "num_failures"
    | "total_response_time"
    | "min_response_time"
    | "min_is_int"
    | "max_response_time"
    | "max_is_int"
    | "total_content_length"
    | "last_request_timestamp"
  > {
  /** Buckets whose count changed since the previous row, with the new count (0: gone). */
  changed_response_times: Pairs;
  /** Seconds whose request count changed since the previous row, with the new count. */
  changed_reqs_per_sec: Pairs;
  /** Seconds whose failure count changed since the previous row, with the new count. */
  changed_fail_per_sec: Pairs;
}

/** Every `Job Complete` entry merged, in a history row (the job-latency columns). */
export interface MergeableRowJobLatency {
  num_requests: number;
  num_none_requests: number;
  /** Buckets whose count changed since the previous row, with the new count (0: gone). */
  changed_response_times: Pairs;
}

/** The state behind one `_stats_history.csv` row (and one `_jobs_history.csv` row). */
export interface MergeableHistoryRow {
  /** When the row was taken, ms since the Unix epoch (its second is the CSV's Timestamp). */
  t: number;
  /** Users running. */
  users: number;
  /** The statistics' start (Unix seconds); changes when they are reset. */
  start_time: number;
  total: MergeableRowTotal;
  job_complete: MergeableRowJobLatency;
  /** The timeline point written to `_jobs_history.csv` with this row, or null when none was. */
  point: MergeablePoint | null;
}

/** Which generator wrote a document. */
export interface GeneratorIdentity {
  /** The generator's index in a distributed run (0-based), or null for a standalone run. */
  index: number | null;
  /** The host it ran on, or null when unknown. */
  host: string | null;
  /** The run it belongs to: every generator of one distributed run shares it. */
  run_id: string;
}

/** A generator that went into a merged document. */
export interface MergedGenerator extends GeneratorIdentity {
  /** Where it was read from (a folder or an `s3://` URL). */
  source: string;
  /** Whether its document was written at the end of its run. */
  final: boolean;
}

/** The whole `osml-load-stats.json` document. */
export interface MergeableStats {
  schema: typeof MERGEABLE_STATS_SCHEMA;
  /** The Locust version whose numbers these are. */
  locust_version: string;
  /** True when written at the end of the run; false while it runs (or when it died). */
  final: boolean;
  generator: GeneratorIdentity;
  /** In a merged document, the generators it was made from. */
  merged_from?: MergedGenerator[];
  /** When the run started (ms since the Unix epoch). */
  started_at: number;
  /** When the load started (the first user), or null before. */
  load_started_at: number | null;
  /** When the run stopped, or null while it runs. */
  stopped_at: number | null;
  /** When this document was written. */
  written_at: number;
  /** Users running when written. */
  user_count: number;
  /**
   * The request queue whose backlog the points sample (`account/region/queue`), or null when
   * unknown: generators of one deployment see one backlog, so a merge takes the largest reading
   * per queue, and adds the queues.
   */
  backlog_queue: string | null;
  /** The run's resolved configuration, label/value pairs. */
  configuration: [string, string][];
  stats: MergeableStatsSnapshot;
  /** The job statistics (`job_summary.json`'s counters); a merge adds every key. */
  jobs: Record<string, number>;
  /** One row per `_stats_history.csv` row, oldest first. */
  history: MergeableHistoryRow[];
  /**
   * The state at the end when the run ended in the second of its last history row (the CSV
   * keeps that second's first row): relative to the last row. Null otherwise.
   */
  final_row: MergeableHistoryRow | null;
}

function pairs(flat: readonly number[]): Pairs {
  const out: Pairs = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([flat[i] as number, flat[i + 1] as number]);
  return out;
}

/**
 * A statistics entry's counters (as `StatsEntry.toDelta` gives them) as a document entry.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { StatsAggregator } from "./aggregator.ts";
 * import { entryToMergeable } from "./mergeable_stats.ts";
 * const stats = new StatsAggregator(0);
 * stats.record({ type: "T", name: "n", responseTimeMs: 3, responseTimeIsInt: true, length: 0, at: 1500 });
 * const entry = entryToMergeable(stats.total.toDelta(), stats.total.startS);
 * assert.equal(entry.min_is_int, true);
 * assert.deepEqual(entry.num_reqs_per_sec, [[1, 1]]);
 * ```
 */
export function entryToMergeable(delta: EntryDelta, startS: number): MergeableEntry {
  return {
    type: delta.type,
    name: delta.name,
    num_requests: delta.numRequests,
    num_none_requests: delta.numNoneRequests,
    num_failures: delta.numFailures,
    total_response_time: delta.totalResponseTime,
    min_response_time: delta.minResponseTime,
    min_is_int: delta.minIsInt,
    max_response_time: delta.maxResponseTime,
    max_is_int: delta.maxIsInt,
    total_content_length: delta.totalContentLength,
    response_times: pairs(delta.responseTimes).sort((a, b) => a[0] - b[0]),
    num_reqs_per_sec: pairs(delta.reqsPerSec),
    num_fail_per_sec: pairs(delta.failsPerSec),
    start_time: startS,
    last_request_timestamp: delta.lastRequestS,
  };
}

/**
 * A document entry as the delta `StatsAggregator.apply` / `StatsEntry.extend` merge.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { mergeableToEntryDelta } from "./mergeable_stats.ts";
 * const delta = mergeableToEntryDelta({
 *   type: "T", name: "n", num_requests: 2, num_none_requests: 0, num_failures: 0,
 *   total_response_time: 30, min_response_time: 10, min_is_int: false, max_response_time: 20,
 *   max_is_int: false, total_content_length: 0, response_times: [[10, 1], [20, 1]],
 *   num_reqs_per_sec: [[5, 2]], num_fail_per_sec: [], start_time: 4, last_request_timestamp: 5.5,
 * });
 * assert.deepEqual(delta.responseTimes, [10, 1, 20, 1]);
 * ```
 */
export function mergeableToEntryDelta(entry: MergeableEntry): EntryDelta {
  return {
    type: entry.type,
    name: entry.name,
    numRequests: entry.num_requests,
    numNoneRequests: entry.num_none_requests,
    numFailures: entry.num_failures,
    totalResponseTime: entry.total_response_time,
    minResponseTime: entry.min_response_time,
    minIsInt: entry.min_is_int,
    maxResponseTime: entry.max_response_time,
    maxIsInt: entry.max_is_int,
    totalContentLength: entry.total_content_length,
    responseTimes: entry.response_times.flat(),
    reqsPerSec: entry.num_reqs_per_sec.flat(),
    failsPerSec: entry.num_fail_per_sec.flat(),
    lastRequestS: entry.last_request_timestamp,
  };
}

/**
 * The statistics of an aggregator now: every entry, the total, failures and exceptions.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { StatsAggregator } from "./aggregator.ts";
 * import { snapshotStats } from "./mergeable_stats.ts";
 * const stats = new StatsAggregator(0);
 * stats.record({ type: "T", name: "n", responseTimeMs: 5, length: 0, at: 1000, error: "Boom()" });
 * const snapshot = snapshotStats(stats);
 * assert.equal(snapshot.failures[0]?.occurrences, 1);
 * assert.equal(snapshot.entries.length, 1);
 * ```
 */
export function snapshotStats(stats: StatsAggregator): MergeableStatsSnapshot {
  return {
    start_time: stats.startS,
    entries: stats.entries().map((e) => entryToMergeable(e.toDelta(), e.startS)),
    total: entryToMergeable(stats.total.toDelta(), stats.total.startS),
    failures: stats.failures().map((f) => ({
      method: f.method,
      name: f.name,
      error: f.error,
      occurrences: f.occurrences,
      first_seen: f.firstSeen,
      last_seen: f.lastSeen,
    })),
    exceptions: stats.exceptions().map((e) => ({
      message: e.message,
      traceback: e.traceback,
      count: e.count,
      nodes: [...e.nodes],
      first_seen: e.firstSeen,
      last_seen: e.lastSeen,
    })),
  };
}

/** What one history row is made of. */
export interface HistoryInput {
  /** When the row is taken, ms since the Unix epoch. */
  t: number;
  users: number;
  /** The statistics' start, Unix seconds. */
  startS: number;
  /** The Aggregated entry's counters. */
  total: EntryDelta;
  /** Every `Job Complete` entry merged, or null when there is none. */
  jobComplete: JobLatencyState | null;
  point: MergeablePoint | null;
}

/** The job-latency buckets at one moment. */
export interface JobLatencyState {
  numRequests: number;
  numNoneRequests: number;
  responseTimes: ReadonlyMap<number, number>;
}

/**
 * The history input of a live aggregator: its Aggregated counters and its
 * `Job Complete` entries merged.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { StatsAggregator } from "./aggregator.ts";
 * import { historyInputOf } from "./mergeable_stats.ts";
 * const stats = new StatsAggregator(0);
 * stats.record({ type: "Job Complete", name: "a", responseTimeMs: 61_234, length: 0, at: 1000 });
 * const input = historyInputOf(stats, { t: 2000, users: 1, point: null });
 * assert.equal(input.jobComplete?.responseTimes.get(61_000), 1);
 * ```
 */
export function historyInputOf(
  stats: StatsAggregator,
  at: { t: number; users: number; point: MergeablePoint | null },
): HistoryInput {
  // What `stats.mergedType(JOB_COMPLETE_TYPE)` holds, without building a merged entry each tick.
  const buckets = new Map<number, number>();
  let jobComplete: JobLatencyState | null = null;
  let numRequests = 0;
  let numNoneRequests = 0;
  for (const entry of stats.entries()) {
    if (entry.type !== JOB_COMPLETE_TYPE) continue;
    numRequests += entry.numRequests;
    numNoneRequests += entry.numNoneRequests;
    for (const [bucket, count] of entry.responseTimes) {
      buckets.set(bucket, (buckets.get(bucket) ?? 0) + count);
    }
    jobComplete = { numRequests, numNoneRequests, responseTimes: buckets };
  }
  return { ...at, startS: stats.startS, total: stats.total.toDelta(), jobComplete };
}

/**
 * Makes history rows: counters as totals, maps as the keys changed since the
 * previous row made by this recorder.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { StatsAggregator } from "./aggregator.ts";
 * import { HistoryRecorder, historyInputOf } from "./mergeable_stats.ts";
 * const stats = new StatsAggregator(0);
 * const recorder = new HistoryRecorder();
 * stats.record({ type: "T", name: "n", responseTimeMs: 10, length: 0, at: 500 });
 * recorder.row(historyInputOf(stats, { t: 1000, users: 1, point: null }));
 * stats.record({ type: "T", name: "n", responseTimeMs: 20, length: 0, at: 1500 });
 * const row = recorder.row(historyInputOf(stats, { t: 2000, users: 1, point: null }));
 * assert.deepEqual(row.total.changed_response_times, [[20, 1]]);
 * assert.equal(row.total.num_requests, 2);
 * ```
 */
export class HistoryRecorder {
  #buckets = new Map<number, number>();
  #reqs = new Map<number, number>();
  #fails = new Map<number, number>();
  #jobs = new Map<number, number>();

  /** The row for `input`; the next row's changes are relative to it. */
  row(input: HistoryInput): MergeableHistoryRow {
    const t = input.total;
    const jobs = input.jobComplete;
    return {
      t: input.t,
      users: input.users,
      start_time: input.startS,
      total: {
        num_requests: t.numRequests,
        num_none_requests: t.numNoneRequests,
        num_failures: t.numFailures,
        total_response_time: t.totalResponseTime,
        min_response_time: t.minResponseTime,
        min_is_int: t.minIsInt,
        max_response_time: t.maxResponseTime,
        max_is_int: t.maxIsInt,
        total_content_length: t.totalContentLength,
        last_request_timestamp: t.lastRequestS,
        changed_response_times: changes(this.#buckets, mapOfFlat(t.responseTimes)),
        changed_reqs_per_sec: changes(this.#reqs, mapOfFlat(t.reqsPerSec)),
        changed_fail_per_sec: changes(this.#fails, mapOfFlat(t.failsPerSec)),
      },
      job_complete: {
        num_requests: jobs?.numRequests ?? 0,
        num_none_requests: jobs?.numNoneRequests ?? 0,
        changed_response_times: changes(this.#jobs, jobs?.responseTimes ?? new Map()),
      },
      point: input.point,
    };
  }
}

function mapOfFlat(flat: readonly number[]): Map<number, number> {
  const map = new Map<number, number>();
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const key = flat[i] as number;
    map.set(key, (map.get(key) ?? 0) + (flat[i + 1] as number));
  }
  return map;
}

/** The keys of `now` that differ from `held` (0 for the gone ones); updates `held`. */
function changes(held: Map<number, number>, now: ReadonlyMap<number, number>): Pairs {
  const out: Pairs = [];
  for (const [key, value] of now) {
    if (value === 0) continue;
    if (held.get(key) !== value) {
      out.push([key, value]);
      held.set(key, value);
    }
  }
  for (const key of [...held.keys()]) {
    if (!((now.get(key) ?? 0) !== 0)) {
      out.push([key, 0]);
      held.delete(key);
    }
  }
  return out.sort((a, b) => a[0] - b[0]);
}
