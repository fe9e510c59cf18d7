/**
 * The outputs of a merged result, as a single run writes them: the Locust
 * CSV files (from the CSV output's own row functions, fed with aggregators
 * rebuilt from the document), the output context the HTML report, the JSON
 * stats and the console read, `job_summary.json` (added counters, the merged
 * window, `generators`, `partial`) and `job_status.json` (the union).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { jobStatisticsOf } from "./merge_outputs.ts";
 * assert.equal(jobStatisticsOf({ total_image_sent: 4 }).total_image_failed, 0);
 * ```
 * @module
 */

import type { OutputContext } from "../output/output.ts";
import type { JobStatistics, TimelinePoint } from "../model/run_report.ts";
import {
  EXCEPTIONS_CSV_HEADER,
  exceptionsCsvRows,
  FAILURES_CSV_HEADER,
  failuresCsvRows,
  JOBS_HISTORY_CSV_HEADER,
  jobsHistoryCsvRow,
  locustCsvPaths,
  STATS_CSV_HEADER,
  STATS_HISTORY_CSV_HEADER,
  statsCsvRows,
  statsHistoryCsvRows,
  toCsv,
} from "../output/locust_csv.ts";
import { writeTextFileAtomic } from "../fs/atomic_write.ts";
import type { StatsAggregator } from "../stats/aggregator.ts";
import type { MergeablePoint, MergeableStats } from "../stats/mergeable_stats.ts";
import {
  aggregatorFromSnapshots,
  aggregatorOfState,
  HistoryCursor,
  jobLatencyPercentile,
  WindowPercentiles,
} from "../stats/mergeable_replay.ts";
import { jobSummary } from "../tracker/job_files.ts";
import type { LoadedGenerator } from "./merge_sources.ts";

/** The upstream keys of {@linkcode JobStatistics}, all 0 until added. */
const JOB_KEYS = [
  "total_image_sent",
  "total_image_in_progress",
  "total_image_processed",
  "total_image_succeeded",
  "total_image_failed",
  "total_gb_processed",
  "total_pixels_processed",
  "total_image_partial",
  "total_image_timed_out",
] as const;

/**
 * A document's job counters as the tracker's statistics (missing keys 0; other keys kept).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { jobStatisticsOf } from "./merge_outputs.ts";
 * assert.equal(jobStatisticsOf({}).total_image_sent, 0);
 * ```
 */
export function jobStatisticsOf(jobs: Readonly<Record<string, number>>): JobStatistics {
  const stats: Record<string, number> = {};
  for (const key of JOB_KEYS) stats[key] = 0;
  return { ...stats, ...jobs } as unknown as JobStatistics;
}

/** What a replayed document gives the outputs. */
export interface ReplayedRun {
  /** The final statistics: every entry, the total, failures, exceptions. */
  stats: StatsAggregator;
  /** `_stats_history.csv` data rows (Aggregated rows, one a second). */
  historyRows: string[][];
  /** `_jobs_history.csv` data rows. */
  jobsRows: string[][];
  /** The timeline the HTML report charts. */
  timeline: TimelinePoint[];
}

function timelinePointOf(
  point: MergeablePoint,
  stats: StatsAggregator,
  window: WindowPercentiles,
  second: number,
): TimelinePoint {
  const depth = point.queue_depth;
  return {
    t: point.t,
    users: point.users,
    rps: stats.total.currentRps,
    fps: stats.total.currentFailPerSec,
    p50: window.percentile(second, 0.5),
    p95: window.percentile(second, 0.95),
    p99: window.percentile(second, 0.99),
    jobsInFlight: point.jobs_in_flight,
    jobsSucceeded: point.jobs_succeeded,
    jobsFailed: point.jobs_failed,
    jobsPartial: point.jobs_partial,
    jobsTimedOut: point.jobs_timed_out,
    gbProcessed: point.gb_processed,
    pixelsProcessed: point.pixels_processed,
    // An unknown backlog (null) is a gap, as a point without a reading.
    ...(typeof depth === "number" ? { queueDepth: depth } : {}),
    ...(point.target_rate !== undefined ? { targetRate: point.target_rate } : {}),
  };
}

/**
 * Replay a document: its final statistics, and for each history row the
 * Aggregated history row, the jobs history row and the timeline point.
 * Cumulative cells are exact; the timeline's p50/p95/p99 (current window) are
 * computed from the rows about 10 s apart (see `WindowPercentiles`).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { StatsAggregator } from "../stats/aggregator.ts";
 * import { MERGEABLE_STATS_SCHEMA, type MergeableStats, snapshotStats } from "../stats/mergeable_stats.ts";
 * import { replayDocument } from "./merge_outputs.ts";
 * const stats = new StatsAggregator(0);
 * stats.record({ type: "Submit Image", name: "small.tif:m", responseTimeMs: 100, length: 0, at: 500 });
 * const doc: MergeableStats = {
 *   schema: MERGEABLE_STATS_SCHEMA, locust_version: "2.46.3", final: true,
 *   generator: { index: 0, host: null, run_id: "r" }, started_at: 0, load_started_at: 0,
 *   stopped_at: 900, written_at: 900, user_count: 0, backlog_queue: null, configuration: [],
 *   stats: snapshotStats(stats), jobs: { total_image_sent: 1 }, history: [], final_row: null,
 * };
 * const run = replayDocument(doc);
 * assert.equal(run.stats.total.numRequests, 1);
 * assert.deepEqual(run.historyRows, []);
 * ```
 */
export function replayDocument(doc: MergeableStats): ReplayedRun {
  const cursor = new HistoryCursor(doc);
  const window = new WindowPercentiles();
  const historyRows: string[][] = [];
  const jobsRows: string[][] = [];
  const timeline: TimelinePoint[] = [];
  for (const row of doc.history) {
    const second = Math.floor(row.t / 1000);
    cursor.advanceTo(second);
    const state = cursor.state();
    if (state === undefined) continue;
    const stats = aggregatorOfState(state);
    historyRows.push(
      ...statsHistoryCsvRows(stats, { now: row.t, userCount: state.users, fullHistory: false }),
    );
    window.add(
      second,
      stats.total.responseTimes,
      state.total.numRequests - state.total.numNoneRequests,
    );
    if (row.point !== null) {
      jobsRows.push(jobsHistoryCsvRow(timelinePointOf(row.point, stats, window, second), {
        p50: jobLatencyPercentile(state.jobComplete, 0.5),
        p95: jobLatencyPercentile(state.jobComplete, 0.95),
      }));
      timeline.push(timelinePointOf(row.point, stats, window, second));
    }
  }
  // A run that ended in the second of its last row wrote its final state in place of that row
  // (see createLocustCsvOutput): the final row replaces it here too.
  const last = doc.final_row;
  if (last !== null && historyRows.length > 0) {
    const second = Math.floor(last.t / 1000);
    cursor.advanceTo(Number.MAX_SAFE_INTEGER);
    const state = cursor.state();
    if (state !== undefined) {
      const stats = aggregatorOfState(state);
      historyRows.splice(
        historyRows.length - 1,
        1,
        ...statsHistoryCsvRows(stats, { now: last.t, userCount: state.users, fullHistory: false }),
      );
      if (last.point !== null && jobsRows.length > 0) {
        const point = timelinePointOf(last.point, stats, window, second);
        jobsRows[jobsRows.length - 1] = jobsHistoryCsvRow(point, {
          p50: jobLatencyPercentile(state.jobComplete, 0.5),
          p95: jobLatencyPercentile(state.jobComplete, 0.95),
        });
        timeline[timeline.length - 1] = point;
      }
    }
  }
  return { stats: aggregatorFromSnapshots([doc.stats]), historyRows, jobsRows, timeline };
}

/**
 * Write the five CSV files of `prefix` (Locust's four and `_jobs_history.csv`); returns their paths.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { StatsAggregator } from "../stats/aggregator.ts";
 * import { MERGEABLE_STATS_SCHEMA, type MergeableStats, snapshotStats } from "../stats/mergeable_stats.ts";
 * import { replayDocument, writeMergedCsv } from "./merge_outputs.ts";
 * const stats = new StatsAggregator(0);
 * stats.record({ type: "Submit Image", name: "small.tif:m", responseTimeMs: 100, length: 0, at: 500 });
 * const doc: MergeableStats = {
 *   schema: MERGEABLE_STATS_SCHEMA, locust_version: "2.46.3", final: true,
 *   generator: { index: 0, host: null, run_id: "r" }, started_at: 0, load_started_at: 0,
 *   stopped_at: 900, written_at: 900, user_count: 0, backlog_queue: null, configuration: [],
 *   stats: snapshotStats(stats), jobs: { total_image_sent: 1 }, history: [], final_row: null,
 * };
 * const dir = await Deno.makeTempDir();
 * const paths = await writeMergedCsv(`${dir}/osml-load`, replayDocument(doc));
 * assert.deepEqual(paths.map((p) => p.slice(dir.length + 1)), [
 *   "osml-load_stats.csv", "osml-load_stats_history.csv", "osml-load_failures.csv",
 *   "osml-load_exceptions.csv", "osml-load_jobs_history.csv",
 * ]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeMergedCsv(prefix: string, run: ReplayedRun): Promise<string[]> {
  const paths = locustCsvPaths(prefix);
  const files: [string, string][] = [
    [paths.stats, toCsv([STATS_CSV_HEADER, ...statsCsvRows(run.stats)])],
    [paths.history, toCsv([STATS_HISTORY_CSV_HEADER, ...run.historyRows])],
    [
      paths.failures,
      toCsv([FAILURES_CSV_HEADER, ...failuresCsvRows(run.stats.sortedFailures())]),
    ],
    [
      paths.exceptions,
      toCsv([EXCEPTIONS_CSV_HEADER, ...exceptionsCsvRows(run.stats.exceptions())]),
    ],
    [paths.jobsHistory, toCsv([JOBS_HISTORY_CSV_HEADER, ...run.jobsRows])],
  ];
  for (const [path, text] of files) await writeTextFileAtomic(path, text);
  return files.map(([path]) => path);
}

/**
 * The output context of a merged result, for the HTML report, the JSON stats and the console.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { StatsAggregator } from "../stats/aggregator.ts";
 * import { MERGEABLE_STATS_SCHEMA, type MergeableStats, snapshotStats } from "../stats/mergeable_stats.ts";
 * import { mergedContext, replayDocument } from "./merge_outputs.ts";
 * const stats = new StatsAggregator(0);
 * stats.record({ type: "Submit Image", name: "small.tif:m", responseTimeMs: 100, length: 0, at: 500 });
 * const doc: MergeableStats = {
 *   schema: MERGEABLE_STATS_SCHEMA, locust_version: "2.46.3", final: true,
 *   generator: { index: 0, host: null, run_id: "r" }, started_at: 0, load_started_at: 0,
 *   stopped_at: 900, written_at: 900, user_count: 0, backlog_queue: null, configuration: [],
 *   stats: snapshotStats(stats), jobs: { total_image_sent: 1 }, history: [], final_row: null,
 * };
 * const ctx = mergedContext(doc, replayDocument(doc), () => []);
 * assert.equal(ctx.jobs().total_image_sent, 1);
 * assert.equal(ctx.stats.total.numRequests, 1);
 * ```
 */
export function mergedContext(
  doc: MergeableStats,
  run: ReplayedRun,
  filesWritten: () => readonly string[],
): OutputContext {
  const generators = doc.merged_from ?? [];
  const configuration: [string, string][] = [
    [
      "Generators",
      `${generators.length} (${
        generators.map((g) => (g.index === null ? g.source : `#${g.index} ${g.source}`)).join(
          ", ",
        )
      })`,
    ],
    ...doc.configuration,
  ];
  return {
    stats: run.stats,
    userCount: () => doc.user_count,
    jobs: () => jobStatisticsOf(doc.jobs),
    timeline: () => run.timeline,
    configuration,
    startedAt: doc.started_at,
    stoppedAt: () => doc.stopped_at ?? undefined,
    thresholds: () => [],
    phase: () => "finish",
    loadStartedAt: () => doc.load_started_at ?? undefined,
    filesWritten,
  };
}

/** A generator that is not in the result, or not all of it. */
export interface GeneratorProblem {
  index: number | null;
  run_id: string;
  /** Where it was read from; absent for a missing generator. */
  source?: string;
  reason: string;
}

/** Keys of the generators' summaries added up (counts). */
const SUMMED = new Set([
  "status_messages_received",
  "status_messages_malformed",
  "status_messages_foreign",
  "status_transitions_refused",
  "status_duplicates",
  "images_pixels_unknown",
  "open_model_scheduled",
  "open_model_sent",
  "open_model_late",
  "open_model_dropped",
  "open_model_target_rate",
  "open_model_achieved_rate",
]);
/** Keys of the generators' summaries whose largest value counts. */
const LARGEST = new Set(["max_queue_backlog", "setup_duration_s"]);
/** Keys that cannot be merged from summaries (percentiles, readings): null when they differ. */
const UNMERGEABLE = new Set([
  "open_model_lateness_p50_ms",
  "open_model_lateness_p99_ms",
  "queue_backlog",
]);
/** Keys the merge writes itself. */
const OWN = new Set([
  ...JOB_KEYS,
  "start_time",
  "stop_time",
  "generators",
  "partial",
  "missing_generators",
  "failed_generators",
  "tool_failures",
]);

/**
 * The extra keys of the generators' `job_summary.json` files, merged: counts
 * added, maxima kept, equal values kept, differing texts joined with `, `,
 * percentiles and readings that cannot be merged from summaries null, and
 * `tool_failures` prefixed with each generator.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { mergedSummaryExtras } from "./merge_outputs.ts";
 * const extras = mergedSummaryExtras([
 *   { label: "#0", summary: { aws_region: "us-west-2", status_messages_received: 3, max_queue_backlog: 9 } },
 *   { label: "#1", summary: { aws_region: "us-west-2", status_messages_received: 4, max_queue_backlog: 2 } },
 * ]);
 * assert.deepEqual(extras, { aws_region: "us-west-2", status_messages_received: 7, max_queue_backlog: 9 });
 * ```
 */
export function mergedSummaryExtras(
  parts: readonly { label: string; summary: Record<string, unknown> }[],
): Record<string, unknown> {
  const keys: string[] = [];
  for (const { summary } of parts) {
    for (const key of Object.keys(summary)) {
      if (!keys.includes(key) && !OWN.has(key)) keys.push(key);
    }
  }
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const values = parts.map((p) => p.summary[key]).filter((v) => v !== undefined && v !== null);
    if (values.length === 0) {
      out[key] = null;
      continue;
    }
    const numbers = values.every((v) => typeof v === "number") ? (values as number[]) : undefined;
    const same = values.every((v) => JSON.stringify(v) === JSON.stringify(values[0]));
    if (numbers && SUMMED.has(key)) out[key] = numbers.reduce((a, b) => a + b, 0);
    else if (numbers && LARGEST.has(key)) out[key] = Math.max(...numbers);
    else if (same && (parts.length === 1 || !UNMERGEABLE.has(key))) out[key] = values[0];
    else if (UNMERGEABLE.has(key)) out[key] = null;
    else if (values.every((v) => typeof v === "string")) {
      out[key] = [...new Set(values as string[])].join(", ");
    } else if (values.every((v) => typeof v === "boolean")) out[key] = values.some(Boolean);
    else out[key] = null;
  }
  const failures = parts.flatMap((p) =>
    typeof p.summary.tool_failures === "string" && p.summary.tool_failures
      ? [`${p.label}: ${p.summary.tool_failures}`]
      : []
  );
  if (failures.length) out.tool_failures = failures.join("; ");
  return out;
}

/**
 * The merged `job_summary.json` object: the added counters under upstream's
 * keys, `start_time` (the earliest load start) and `stop_time` (the latest
 * stop, or last write of a generator that did not finish), this tool's
 * additions, the generators' other keys merged, then `generators` (how many),
 * `partial`, and when partial `missing_generators` and `failed_generators`.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { StatsAggregator } from "../stats/aggregator.ts";
 * import { MERGEABLE_STATS_SCHEMA, type MergeableStats, snapshotStats } from "../stats/mergeable_stats.ts";
 * import { mergedJobSummary } from "./merge_outputs.ts";
 * const stats = new StatsAggregator(0);
 * stats.record({ type: "Submit Image", name: "small.tif:m", responseTimeMs: 100, length: 0, at: 500 });
 * const doc: MergeableStats = {
 *   schema: MERGEABLE_STATS_SCHEMA, locust_version: "2.46.3", final: true,
 *   generator: { index: 0, host: null, run_id: "r" }, started_at: 0, load_started_at: 0,
 *   stopped_at: 900, written_at: 900, user_count: 0, backlog_queue: null, configuration: [],
 *   stats: snapshotStats(stats), jobs: { total_image_sent: 1 }, history: [], final_row: null,
 * };
 * const missing = [{ index: 1, run_id: "r", reason: "no results" }];
 * const summary = mergedJobSummary(doc, [{ source: "gen0", doc }], missing, []);
 * assert.equal(summary.total_image_sent, 1);
 * assert.equal(summary.partial, true);
 * assert.deepEqual(summary.missing_generators, [1]);
 * ```
 */
export function mergedJobSummary(
  doc: MergeableStats,
  generators: readonly LoadedGenerator[],
  missing: readonly GeneratorProblem[],
  failed: readonly GeneratorProblem[],
): Record<string, unknown> {
  const summary = jobSummary(jobStatisticsOf(doc.jobs), {
    startedAt: doc.load_started_at ?? doc.started_at,
    stoppedAt: doc.stopped_at ?? doc.written_at,
  });
  // Counters beyond upstream's (added by the merge like the others).
  for (const [key, value] of Object.entries(doc.jobs)) {
    if (!(key in summary)) summary[key] = value;
  }
  Object.assign(
    summary,
    mergedSummaryExtras(
      generators.flatMap((g) =>
        g.jobSummary === undefined ? [] : [{
          label: g.doc.generator.index === null
            ? `generator ${g.source}`
            : `generator ${g.doc.generator.index}`,
          summary: g.jobSummary,
        }]
      ),
    ),
  );
  summary.generators = (doc.merged_from ?? []).length;
  summary.partial = missing.length > 0 || failed.length > 0;
  if (summary.partial) {
    summary.missing_generators = missing.map((m) => m.index);
    summary.failed_generators = failed;
  }
  return summary;
}

/**
 * The union of the generators' `job_status.json` records (image id → record),
 * and how many ids came more than once with different records (the first is kept).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { unionJobStatus } from "./merge_outputs.ts";
 * const { records, conflicts } = unionJobStatus([{ a: { status: "SUCCESS" } }, { b: {} }]);
 * assert.deepEqual(Object.keys(records), ["a", "b"]);
 * assert.equal(conflicts, 0);
 * ```
 */
export function unionJobStatus(
  parts: readonly Record<string, unknown>[],
): { records: Record<string, unknown>; conflicts: number } {
  const records: Record<string, unknown> = {};
  let conflicts = 0;
  for (const part of parts) {
    for (const [id, record] of Object.entries(part)) {
      if (!(id in records)) records[id] = record;
      else if (JSON.stringify(records[id]) !== JSON.stringify(record)) conflicts++;
    }
  }
  return { records, conflicts };
}
