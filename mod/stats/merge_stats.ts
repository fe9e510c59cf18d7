/**
 * The exact merge of several generators' `osml-load-stats.json` documents
 * into one document, as Locust's master merges its workers: histograms
 * added (never percentiles averaged, so merged percentiles are those of one
 * run that saw every sample), counts and per-second counts added, running
 * float sums added generator after generator, min/max kept with their kind,
 * failures added by (method, name, error), exceptions by traceback, job
 * statistics added key by key, the window from the earliest start to the
 * latest stop, and the history aligned by Unix second: at every second in
 * which any generator wrote a history row, each generator contributes its
 * latest state at or before that second (its final state once it stopped).
 *
 * The request-queue backlog is not added across generators that sample one
 * queue: per queue the largest reading counts, and the queues are added; an
 * unknown reading makes the sum unknown (null), never smaller.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { StatsAggregator } from "./aggregator.ts";
 * import { MERGEABLE_STATS_SCHEMA, type MergeableStats, snapshotStats } from "./mergeable_stats.ts";
 * import { mergeMergeableStats } from "./merge_stats.ts";
 * // Two generators, each with one sample: 10 ms and 500 ms.
 * const doc = (index: number, ms: number): MergeableStats => {
 *   const stats = new StatsAggregator(0);
 *   stats.record({ type: "T", name: "n", responseTimeMs: ms, length: 0, at: 500 });
 *   return {
 *     schema: MERGEABLE_STATS_SCHEMA, locust_version: "2.46.3", final: true,
 *     generator: { index, host: null, run_id: "r" }, started_at: 0, load_started_at: 0,
 *     stopped_at: 900, written_at: 900, user_count: 0, backlog_queue: null, configuration: [],
 *     stats: snapshotStats(stats), jobs: {}, history: [], final_row: null,
 *   };
 * };
 * const merged = mergeMergeableStats([{ doc: doc(0, 10), source: "gen0" }, { doc: doc(1, 500), source: "gen1" }]);
 * // The histograms are added: the merged one holds both samples.
 * assert.deepEqual(merged.stats.total.response_times, [[10, 1], [500, 1]]);
 * ```
 * @module
 */

import { LOCUST_VERSION } from "./locust_version.ts";
import {
  HistoryRecorder,
  type JobLatencyState,
  MERGEABLE_STATS_SCHEMA,
  type MergeableHistoryRow,
  type MergeablePoint,
  type MergeableStats,
  type MergedGenerator,
  snapshotStats,
} from "./mergeable_stats.ts";
import {
  aggregatorFromSnapshots,
  aggregatorOfStates,
  HistoryCursor,
  type HistoryState,
} from "./mergeable_replay.ts";

/** One document to merge and where it came from. */
export interface MergeInput {
  doc: MergeableStats;
  /** A folder, file or `s3://` URL, for messages and `merged_from`. */
  source: string;
}

/**
 * The generators of a set of documents (a merged document lists the ones it was made of).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { generatorsOf } from "./merge_stats.ts";
 * assert.deepEqual(generatorsOf([]), []);
 * ```
 */
export function generatorsOf(inputs: readonly MergeInput[]): MergedGenerator[] {
  return inputs.flatMap(({ doc, source }) =>
    doc.merged_from ?? [{ ...doc.generator, source, final: doc.final }]
  );
}

/**
 * The order documents are merged in (and float sums added in): by generator
 * index (standalone runs last), then start, then source.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { mergeOrder } from "./merge_stats.ts";
 * assert.deepEqual(mergeOrder([]), []);
 * ```
 */
export function mergeOrder(inputs: readonly MergeInput[]): MergeInput[] {
  return [...inputs].sort((a, b) =>
    (a.doc.generator.index ?? Infinity) - (b.doc.generator.index ?? Infinity) ||
    a.doc.started_at - b.doc.started_at ||
    (a.source < b.source ? -1 : a.source > b.source ? 1 : 0)
  );
}

/**
 * Merge documents into one (see the module doc). `now` dates the result's
 * `written_at`. The result is itself a mergeable document: merged results
 * can be merged again.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { StatsAggregator } from "./aggregator.ts";
 * import { MERGEABLE_STATS_SCHEMA, type MergeableStats, snapshotStats } from "./mergeable_stats.ts";
 * import { mergeMergeableStats } from "./merge_stats.ts";
 * const doc = (index: number, ms: number): MergeableStats => {
 *   const stats = new StatsAggregator(0);
 *   stats.record({ type: "T", name: "n", responseTimeMs: ms, length: 0, at: 500 });
 *   return {
 *     schema: MERGEABLE_STATS_SCHEMA, locust_version: "2.46.3", final: true,
 *     generator: { index, host: null, run_id: "r" }, started_at: 0, load_started_at: 0,
 *     stopped_at: 900, written_at: 900, user_count: 0, backlog_queue: null, configuration: [],
 *     stats: snapshotStats(stats), jobs: { total_image_sent: 1 }, history: [], final_row: null,
 *   };
 * };
 * const merged = mergeMergeableStats([{ doc: doc(0, 10), source: "a" }, { doc: doc(1, 500), source: "b" }]);
 * assert.equal(merged.stats.total.num_requests, 2);
 * assert.deepEqual(merged.stats.total.response_times, [[10, 1], [500, 1]]);
 * assert.equal(merged.jobs.total_image_sent, 2);
 * ```
 */
export function mergeMergeableStats(
  inputs: readonly MergeInput[],
  now: number = Date.now(),
): MergeableStats {
  const ordered = mergeOrder(inputs);
  const docs = ordered.map((i) => i.doc);
  const queues = docs.map((d, i) => d.backlog_queue ?? `\u0000generator ${i}`);
  const cursors = docs.map((d) => new HistoryCursor(d));
  const seconds = [
    ...new Set(docs.flatMap((d) => d.history.map((r) => Math.floor(r.t / 1000)))),
  ].sort((a, b) => a - b);

  const recorder = new HistoryRecorder();
  const history: MergeableHistoryRow[] = [];
  for (const second of seconds) {
    for (const cursor of cursors) cursor.advanceTo(second);
    const row = mergedRow(cursors, queues, second, recorder);
    if (row !== undefined) history.push(row);
  }
  for (const cursor of cursors) cursor.advanceTo(Infinity);
  const stoppedAt = Math.max(...docs.map((d) => d.stopped_at ?? d.written_at));
  const finalRow = mergedRow(cursors, queues, null, recorder, stoppedAt) ?? null;

  const jobs: Record<string, number> = {};
  for (const doc of docs) {
    for (const [key, value] of Object.entries(doc.jobs)) jobs[key] = (jobs[key] ?? 0) + value;
  }
  const loadStarts = docs.map((d) => d.load_started_at).filter((t): t is number => t !== null);
  const runIds = [...new Set(docs.map((d) => d.generator.run_id))];
  const backlogQueues = new Set(docs.map((d) => d.backlog_queue));
  return {
    schema: MERGEABLE_STATS_SCHEMA,
    locust_version: docs[0]?.locust_version ?? LOCUST_VERSION,
    final: docs.every((d) => d.final),
    generator: { index: null, host: null, run_id: runIds.join("+") },
    merged_from: generatorsOf(ordered),
    started_at: Math.min(...docs.map((d) => d.started_at)),
    load_started_at: loadStarts.length ? Math.min(...loadStarts) : null,
    stopped_at: stoppedAt,
    written_at: now,
    user_count: docs.reduce((n, d) => n + d.user_count, 0),
    backlog_queue: backlogQueues.size === 1 ? [...backlogQueues][0] ?? null : null,
    configuration: mergedConfiguration(docs.map((d) => d.configuration)),
    stats: snapshotStats(aggregatorFromSnapshots(docs.map((d) => d.stats))),
    jobs,
    history,
    final_row: finalRow,
  };
}

/** The merged history row at `second` (null: the final state at `t`), or undefined with no state. */
function mergedRow(
  cursors: readonly HistoryCursor[],
  queues: readonly string[],
  second: number | null,
  recorder: HistoryRecorder,
  t?: number,
): MergeableHistoryRow | undefined {
  const states: HistoryState[] = [];
  const stateQueues: string[] = [];
  cursors.forEach((cursor, i) => {
    const state = cursor.state();
    if (state !== undefined) {
      states.push(state);
      stateQueues.push(queues[i] as string);
    }
  });
  if (states.length === 0) return undefined;
  const stats = aggregatorOfStates(states);
  const rowT = t ?? Math.max(...states.map((s) => s.t));
  // A jobs-history row exists in a second where some generator wrote one.
  const hasPoint = second === null
    ? states.some((s) => s.point !== null)
    : states.some((s) => s.pointSecond === second);
  return recorder.row({
    t: rowT,
    users: states.reduce((n, s) => n + s.users, 0),
    startS: stats.startS,
    total: stats.total.toDelta(),
    jobComplete: mergedJobLatency(states.map((s) => s.jobComplete)),
    point: hasPoint ? mergedPoint(rowT, states, stateQueues) : null,
  });
}

function mergedJobLatency(parts: readonly JobLatencyState[]): JobLatencyState {
  const responseTimes = new Map<number, number>();
  let numRequests = 0;
  let numNoneRequests = 0;
  for (const part of parts) {
    numRequests += part.numRequests;
    numNoneRequests += part.numNoneRequests;
    for (const [bucket, count] of part.responseTimes) {
      responseTimes.set(bucket, (responseTimes.get(bucket) ?? 0) + count);
    }
  }
  return { numRequests, numNoneRequests, responseTimes };
}

/**
 * The sum of the generators' latest points. The backlog: per queue the largest known reading
 * (null when every reading of it failed), then the queues added; unknown when any queue is.
 */
function mergedPoint(
  t: number,
  states: readonly HistoryState[],
  queues: readonly string[],
): MergeablePoint {
  const point: MergeablePoint = {
    t,
    users: 0,
    jobs_in_flight: 0,
    jobs_succeeded: 0,
    jobs_failed: 0,
    jobs_partial: 0,
    jobs_timed_out: 0,
    gb_processed: 0,
    pixels_processed: 0,
  };
  const perQueue = new Map<string, (number | null | undefined)[]>();
  let targetRate: number | undefined;
  states.forEach((state, i) => {
    const p = state.point;
    const queue = queues[i] as string;
    if (!perQueue.has(queue)) perQueue.set(queue, []);
    if (p === null) {
      perQueue.get(queue)?.push(undefined);
      return;
    }
    point.users += p.users;
    point.jobs_in_flight += p.jobs_in_flight;
    point.jobs_succeeded += p.jobs_succeeded;
    point.jobs_failed += p.jobs_failed;
    point.jobs_partial += p.jobs_partial;
    point.jobs_timed_out += p.jobs_timed_out;
    point.gb_processed += p.gb_processed;
    point.pixels_processed += p.pixels_processed;
    perQueue.get(queue)?.push(p.queue_depth);
    if (p.target_rate !== undefined) targetRate = (targetRate ?? 0) + p.target_rate;
  });
  const depths = [...perQueue.values()].map((readings) => {
    const known = readings.filter((r): r is number => typeof r === "number");
    if (known.length > 0) return Math.max(...known);
    return readings.some((r) => r === null) ? null : undefined;
  });
  if (depths.some((d) => d !== undefined)) {
    point.queue_depth = depths.every((d) => typeof d === "number")
      ? depths.reduce((n: number, d) => n + (d as number), 0)
      : null;
  }
  if (targetRate !== undefined) point.target_rate = targetRate;
  return point;
}

/**
 * The configurations of several runs as one: every label in order of first
 * appearance, its distinct values joined with ` | `.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { mergedConfiguration } from "./merge_stats.ts";
 * assert.deepEqual(
 *   mergedConfiguration([[["Users", "5"], ["Model", "m"]], [["Users", "7"], ["Model", "m"]]]),
 *   [["Users", "5 | 7"], ["Model", "m"]],
 * );
 * ```
 */
export function mergedConfiguration(
  configurations: readonly (readonly (readonly [string, string])[])[],
): [string, string][] {
  const values = new Map<string, string[]>();
  for (const configuration of configurations) {
    for (const [label, value] of configuration) {
      const list = values.get(label) ?? [];
      if (!list.includes(value)) list.push(value);
      values.set(label, list);
    }
  }
  return [...values].map(([label, list]) => [label, list.join(" | ")]);
}
