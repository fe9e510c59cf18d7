/**
 * Reading a mergeable statistics document back: the final statistics as a
 * `StatsAggregator` (several documents' added as Locust's master adds its
 * workers' reports), and the history replayed row by row with a
 * {@linkcode HistoryCursor}, which rebuilds the Aggregated state and the job
 * latency buckets at any second.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { StatsAggregator } from "./aggregator.ts";
 * import { snapshotStats } from "./mergeable_stats.ts";
 * import { aggregatorFromSnapshots } from "./mergeable_replay.ts";
 * const a = new StatsAggregator(0);
 * const b = new StatsAggregator(0);
 * a.record({ type: "T", name: "n", responseTimeMs: 10, length: 0, at: 1000 });
 * b.record({ type: "T", name: "n", responseTimeMs: 30, length: 0, at: 2000 });
 * const merged = aggregatorFromSnapshots([snapshotStats(a), snapshotStats(b)]);
 * assert.equal(merged.total.numRequests, 2);
 * assert.equal(merged.total.avgResponseTime, 20);
 * ```
 * @module
 */

import { StatsAggregator } from "./aggregator.ts";
import type { EntryDelta, ExceptionDelta, FailureDelta } from "./delta.ts";
import {
  type JobLatencyState,
  type MergeableHistoryRow,
  type MergeablePoint,
  type MergeableStats,
  type MergeableStatsSnapshot,
  mergeableToEntryDelta,
  type Pairs,
} from "./mergeable_stats.ts";
import { diffHistograms, percentileOf } from "./response_times.ts";
import { CURRENT_RESPONSE_TIME_PERCENTILE_WINDOW } from "./stats_entry.ts";

/**
 * One aggregator holding the statistics of every snapshot, added in the
 * order given: per entry and for the total, counts, buckets and per-second
 * counts added, the running float sums added one snapshot after the other
 * (as Locust's master adds each worker's `total_response_time`), min and max
 * kept with their int/float kind (the first one on a tie, as Python's
 * `min`/`max`), the latest last request; failures added by (method, name,
 * error) and exceptions by traceback, in order of first occurrence. The
 * start is the earliest start.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { StatsAggregator } from "./aggregator.ts";
 * import { snapshotStats } from "./mergeable_stats.ts";
 * import { aggregatorFromSnapshots } from "./mergeable_replay.ts";
 * const a = new StatsAggregator(5_000);
 * a.record({ type: "T", name: "n", responseTimeMs: 1, length: 0, at: 6_000, error: "E()" });
 * const merged = aggregatorFromSnapshots([snapshotStats(a), snapshotStats(a)]);
 * assert.equal(merged.failures()[0]?.occurrences, 2);
 * assert.equal(merged.startS, 5);
 * ```
 */
export function aggregatorFromSnapshots(
  snapshots: readonly MergeableStatsSnapshot[],
): StatsAggregator {
  const startS = snapshots.length === 0 ? 0 : Math.min(...snapshots.map((s) => s.start_time));
  const stats = new StatsAggregator(startS * 1000, startS);
  const entryStarts = new Map<string, number>();
  for (const snapshot of snapshots) {
    stats.apply({
      entries: snapshot.entries.map(mergeableToEntryDelta),
      total: mergeableToEntryDelta(snapshot.total),
      failures: [],
      exceptions: [],
    }, startS * 1000);
    for (const e of snapshot.entries) {
      const key = `${e.type}\u0000${e.name}`;
      entryStarts.set(key, Math.min(entryStarts.get(key) ?? Infinity, e.start_time));
    }
  }
  // Locust's extend keeps the earliest start_time of an entry.
  for (const entry of stats.entries()) {
    const start = entryStarts.get(`${entry.type}\u0000${entry.name}`);
    if (start !== undefined) entry.startS = start;
  }
  const failures: FailureDelta[] = snapshots.flatMap((s) =>
    s.failures.map((f) => ({
      method: f.method,
      name: f.name,
      error: f.error,
      occurrences: f.occurrences,
      firstSeen: f.first_seen,
      lastSeen: f.last_seen,
    }))
  );
  const exceptions: ExceptionDelta[] = snapshots.flatMap((s) =>
    s.exceptions.map((e) => ({
      message: e.message,
      traceback: e.traceback,
      count: e.count,
      nodes: [...e.nodes],
      firstSeen: e.first_seen,
      lastSeen: e.last_seen,
    }))
  );
  // Tables list rows in order of first occurrence (a stable sort keeps ties in input order).
  failures.sort((a, b) => a.firstSeen - b.firstSeen);
  exceptions.sort((a, b) => a.firstSeen - b.firstSeen);
  stats.apply({ entries: [], total: null, failures, exceptions }, startS * 1000);
  return stats;
}

/** A generator's Aggregated state and job latency at one second of its history. */
export interface HistoryState {
  /** When its row was taken, ms since the Unix epoch. */
  t: number;
  users: number;
  /** The statistics' start, Unix seconds. */
  startS: number;
  /** The Aggregated counters (a delta holding everything up to `t`). */
  total: EntryDelta;
  jobComplete: JobLatencyState;
  /** The latest timeline point up to `t`, or null before the first. */
  point: MergeablePoint | null;
  /** The second of the row that carried {@linkcode point}. */
  pointSecond: number | null;
}

/**
 * The Aggregated-only aggregator of a history state: what `_stats_history.csv`'s
 * Aggregated row is computed from (the totals, current rates and cumulative percentiles).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { aggregatorOfState } from "./mergeable_replay.ts";
 * const stats = aggregatorOfState({
 *   t: 3000, users: 1, startS: 1, point: null, pointSecond: null,
 *   jobComplete: { numRequests: 0, numNoneRequests: 0, responseTimes: new Map() },
 *   total: {
 *     type: "", name: "Aggregated", numRequests: 2, numNoneRequests: 0, numFailures: 0,
 *     totalResponseTime: 30, minResponseTime: 10, minIsInt: false, maxResponseTime: 20,
 *     maxIsInt: false, totalContentLength: 0, responseTimes: [10, 1, 20, 1],
 *     reqsPerSec: [2, 2], failsPerSec: [], lastRequestS: 2.5,
 *   },
 * });
 * assert.equal(stats.total.totalRps, 2 / 1.5);
 * ```
 */
export function aggregatorOfState(state: HistoryState): StatsAggregator {
  return aggregatorOfStates([state]);
}

/**
 * One Aggregated-only aggregator holding several states, added in order (start: the earliest).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { aggregatorOfStates } from "./mergeable_replay.ts";
 * assert.equal(aggregatorOfStates([]).total.numRequests, 0);
 * ```
 */
export function aggregatorOfStates(states: readonly HistoryState[]): StatsAggregator {
  const startS = states.length === 0 ? 0 : Math.min(...states.map((s) => s.startS));
  const stats = new StatsAggregator(startS * 1000, startS);
  for (const state of states) {
    stats.apply({ entries: [], total: state.total, failures: [], exceptions: [] }, startS * 1000);
  }
  return stats;
}

/** Per-second counts older than this (seconds before a row) are never read again. */
const PER_SECOND_KEEP_S = 70;

/**
 * Walks one document's history: {@linkcode advanceTo} a second, then read
 * the {@linkcode state} there (the latest row at or before it; past the end
 * of the run, the final state).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { HistoryCursor } from "./mergeable_replay.ts";
 * import { MERGEABLE_STATS_SCHEMA } from "./mergeable_stats.ts";
 * const cursor = new HistoryCursor({
 *   schema: MERGEABLE_STATS_SCHEMA, locust_version: "2.46.3", final: true,
 *   generator: { index: 0, host: null, run_id: "r" }, started_at: 0, load_started_at: 0,
 *   stopped_at: 500, written_at: 500, user_count: 0, backlog_queue: null, configuration: [],
 *   stats: {
 *     start_time: 0, entries: [], failures: [], exceptions: [],
 *     total: {
 *       type: "", name: "Aggregated", num_requests: 0, num_none_requests: 0, num_failures: 0,
 *       total_response_time: 0, min_response_time: null, min_is_int: false, max_response_time: 0,
 *       max_is_int: true, total_content_length: 0, response_times: [], num_reqs_per_sec: [],
 *       num_fail_per_sec: [], start_time: 0, last_request_timestamp: null,
 *     },
 *   },
 *   jobs: {}, history: [], final_row: null,
 * });
 * cursor.advanceTo(10);
 * assert.equal(cursor.state(), undefined);
 * ```
 */
export class HistoryCursor {
  /** The document walked. */
  readonly doc: MergeableStats;
  #next = 0;
  #row: MergeableHistoryRow | undefined;
  #buckets = new Map<number, number>();
  #reqs = new Map<number, number>();
  #fails = new Map<number, number>();
  #jobs = new Map<number, number>();
  #point: MergeablePoint | null = null;
  #pointSecond: number | null = null;
  #finalApplied = false;

  /** Start before the first row. */
  constructor(doc: MergeableStats) {
    this.doc = doc;
  }

  /** The second the run stopped in (for a run that did not finish: its last write). */
  get stopSecond(): number {
    return Math.floor((this.doc.stopped_at ?? this.doc.written_at) / 1000);
  }

  /** Apply every row up to and including `second`; past the stop second, the final state too. */
  advanceTo(second: number): void {
    const rows = this.doc.history;
    while (this.#next < rows.length) {
      const row = rows[this.#next] as MergeableHistoryRow;
      if (Math.floor(row.t / 1000) > second) break;
      this.#apply(row);
      this.#next++;
    }
    if (
      second > this.stopSecond && !this.#finalApplied && this.#next >= rows.length &&
      this.doc.final_row !== null
    ) {
      this.#finalApplied = true;
      this.#apply(this.doc.final_row, false);
    }
  }

  #apply(row: MergeableHistoryRow, carriesPoint = true): void {
    this.#row = row;
    setPairs(this.#buckets, row.total.changed_response_times);
    setPairs(this.#reqs, row.total.changed_reqs_per_sec);
    setPairs(this.#fails, row.total.changed_fail_per_sec);
    setPairs(this.#jobs, row.job_complete.changed_response_times);
    const oldest = Math.floor(row.t / 1000) - PER_SECOND_KEEP_S;
    for (const map of [this.#reqs, this.#fails]) {
      for (const second of map.keys()) if (second < oldest) map.delete(second);
    }
    if (row.point !== null) {
      this.#point = row.point;
      if (carriesPoint) this.#pointSecond = Math.floor(row.t / 1000);
    }
  }

  /** The state at the second advanced to, or undefined before the first row. */
  state(): HistoryState | undefined {
    const row = this.#row;
    if (row === undefined) return undefined;
    const t = row.total;
    return {
      t: row.t,
      users: row.users,
      startS: row.start_time,
      total: {
        type: "",
        name: "Aggregated",
        numRequests: t.num_requests,
        numNoneRequests: t.num_none_requests,
        numFailures: t.num_failures,
        totalResponseTime: t.total_response_time,
        minResponseTime: t.min_response_time,
        minIsInt: t.min_is_int,
        maxResponseTime: t.max_response_time,
        maxIsInt: t.max_is_int,
        totalContentLength: t.total_content_length,
        responseTimes: [...this.#buckets].flat(),
        reqsPerSec: [...this.#reqs].flat(),
        failsPerSec: [...this.#fails].flat(),
        lastRequestS: t.last_request_timestamp,
      },
      jobComplete: {
        numRequests: row.job_complete.num_requests,
        numNoneRequests: row.job_complete.num_none_requests,
        responseTimes: new Map(this.#jobs),
      },
      point: this.#point,
      pointSecond: this.#pointSecond,
    };
  }
}

function setPairs(map: Map<number, number>, changed: Pairs): void {
  for (const [key, value] of changed) {
    if (value === 0) map.delete(key);
    else map.set(key, value);
  }
}

/**
 * The job-latency percentile (int ms, Locust's buckets) of a state; null
 * when no `Job Complete` request has a response time.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { jobLatencyPercentile } from "./mergeable_replay.ts";
 * const state = { numRequests: 2, numNoneRequests: 0, responseTimes: new Map([[41_000, 2]]) };
 * assert.equal(jobLatencyPercentile(state, 0.95), 41_000);
 * ```
 */
export function jobLatencyPercentile(state: JobLatencyState, percent: number): number | null {
  const timed = state.numRequests - state.numNoneRequests;
  if (timed === 0) return null;
  return percentileOf(state.responseTimes, timed, percent);
}

/**
 * Current-window percentiles of a replayed history (the timeline's p50, p95,
 * p99): the buckets added since the row about 10 s earlier, looked up as
 * Locust looks up its cached copies (10 s back, then 9 or 11, ... up to 18).
 * Locust caches a copy when the latest request enters a new second; here the
 * copies are the history rows, so the value can differ from a single run's
 * by the requests of a second.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { WindowPercentiles } from "./mergeable_replay.ts";
 * const window = new WindowPercentiles();
 * window.add(100, new Map([[10, 5]]), 5);
 * window.add(110, new Map([[10, 5], [500, 1]]), 6);
 * assert.equal(window.percentile(110, 0.5), 500);
 * assert.equal(window.percentile(100, 0.5), null);
 * ```
 */
export class WindowPercentiles {
  #copies = new Map<number, { buckets: Map<number, number>; timed: number }>();

  /** Keep the cumulative buckets and timed requests of `second`. */
  add(second: number, buckets: ReadonlyMap<number, number>, timed: number): void {
    this.#copies.set(second, { buckets: new Map(buckets), timed });
    const oldest = second - CURRENT_RESPONSE_TIME_PERCENTILE_WINDOW - 10;
    for (const kept of this.#copies.keys()) if (kept < oldest) this.#copies.delete(kept);
  }

  /** The percentile over the window ending at `second`, or null without a copy 2–18 s back. */
  percentile(second: number, percent: number): number | null {
    const now = this.#copies.get(second);
    if (now === undefined) return null;
    const w = CURRENT_RESPONSE_TIME_PERCENTILE_WINDOW;
    const acceptable = [second - w];
    for (let i = 1; i < 9; i++) acceptable.push(second - w - i, second - w + i);
    for (const s of acceptable) {
      const old = this.#copies.get(s);
      if (old !== undefined) {
        return percentileOf(
          diffHistograms(now.buckets, old.buckets),
          now.timed - old.timed,
          percent,
        );
      }
    }
    return null;
  }
}
