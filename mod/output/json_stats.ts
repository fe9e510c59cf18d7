/**
 * `--json FILE`: the final statistics as one JSON document for scripts,
 * written atomically at the end of the run. The schema is documented in
 * `docs/json-schema.md`; in short:
 *
 * ```text
 * {
 *   "schema": "osml-load/stats@1",
 *   "started_at": ISO-8601 UTC, "stopped_at": ISO-8601 UTC | null,
 *   "duration_seconds": number, "user_count": int,
 *   "entries": [Entry, ...],      // sorted by (name, type), as the CSV
 *   "total": Entry,               // the Aggregated row, "type": ""
 *   "failures": [{ "method", "name", "error", "occurrences", "first_seen", "last_seen" }],
 *   "exceptions": [{ "count", "message", "traceback", "nodes": [string] }],
 *   "jobs": { job_summary.json counters, + total_image_partial, total_image_timed_out },
 *   "thresholds": [{ "expression", "value": number | null, "passed": bool, "reason"? }],
 *   "configuration": { label: value }
 * }
 * Entry = { "type", "name", "num_requests", "num_failures", "fail_ratio",
 *   "min_response_time", "max_response_time", "avg_response_time", "median_response_time"
 *   (null when no request has a response time), "avg_content_length", "total_rps",
 *   "total_fail_per_sec", "current_rps", "current_fail_per_sec",
 *   "percentiles": { "50%": int, ..., "100%": int } | null (no request has a time) }
 * ```
 *
 * Times are in milliseconds; rates per second. Unknown values are null, never 0 or NaN.
 *
 * The file is streamed (entry by entry, failure by failure) into the temp file that is then
 * renamed: the text is exactly `JSON.stringify(doc, null, 2)`, but never built as one string,
 * so a run with very many distinct failures writes it with memory for one item at a time.
 *
 * @example
 * ```ts
 * import { createJsonStatsOutput } from "./json_stats.ts";
 * const output = createJsonStatsOutput({ path: "out/stats.json" });
 * if (output.name !== "json") throw new Error("named json");
 * ```
 * @module
 */

import type { StatsEntry } from "../stats/aggregator.ts";
import { thresholdSummary, type ThresholdSummaryItem } from "../stats/threshold_summary.ts";
import { PERCENTILES_TO_REPORT, readablePercentiles } from "../stats/response_times.ts";
import { writeFileAtomicStream } from "../fs/atomic_write.ts";
import type { Output, OutputContext } from "./output.ts";
import type { JobStatistics } from "../model/run_report.ts";

/** Identifies this document format; bumped on incompatible changes. */
export const JSON_STATS_SCHEMA = "osml-load/stats@1";

/** One entry (or the Aggregated total) in the JSON document. */
export interface JsonStatsEntry {
  type: string;
  name: string;
  num_requests: number;
  num_failures: number;
  fail_ratio: number;
  /** The response-time values are null when no request has a response time. */
  min_response_time: number | null;
  max_response_time: number | null;
  avg_response_time: number | null;
  median_response_time: number | null;
  avg_content_length: number;
  total_rps: number;
  total_fail_per_sec: number;
  current_rps: number;
  current_fail_per_sec: number;
  percentiles: Record<string, number> | null;
}

/** The whole JSON document written by {@linkcode createJsonStatsOutput}. */
export interface JsonStats {
  schema: typeof JSON_STATS_SCHEMA;
  started_at: string;
  stopped_at: string | null;
  duration_seconds: number;
  user_count: number;
  entries: JsonStatsEntry[];
  total: JsonStatsEntry;
  failures: {
    method: string;
    name: string;
    error: string;
    occurrences: number;
    first_seen: string;
    last_seen: string;
  }[];
  exceptions: { count: number; message: string; traceback: string; nodes: string[] }[];
  jobs: JobStatistics;
  /** The `--threshold` verdicts, in the order given; empty without thresholds. */
  thresholds: ThresholdSummaryItem[];
  configuration: Record<string, string>;
}

const LABELS = readablePercentiles(PERCENTILES_TO_REPORT);

function entryJson(e: StatsEntry): JsonStatsEntry {
  const timed = e.numRequests - e.numNoneRequests > 0;
  return {
    type: e.type,
    name: e.name,
    num_requests: e.numRequests,
    num_failures: e.numFailures,
    fail_ratio: e.failRatio,
    min_response_time: e.minResponseTime,
    max_response_time: timed ? e.maxResponseTime : null,
    avg_response_time: timed ? e.avgResponseTime : null,
    median_response_time: timed ? e.medianResponseTime : null,
    avg_content_length: e.avgContentLength,
    total_rps: e.totalRps,
    total_fail_per_sec: e.totalFailPerSec,
    current_rps: e.currentRps,
    current_fail_per_sec: e.currentFailPerSec,
    percentiles: !timed ? null : Object.fromEntries(
      PERCENTILES_TO_REPORT.map((p, i) => [LABELS[i] ?? String(p), e.percentile(p)]),
    ),
  };
}

/**
 * Build the JSON document from an output context.
 *
 * @example
 * ```ts
 * import { buildJsonStats } from "./json_stats.ts";
 * import { StatsAggregator } from "../stats/aggregator.ts";
 * const doc = buildJsonStats({
 *   stats: new StatsAggregator(0), userCount: () => 0, timeline: () => [], configuration: [],
 *   startedAt: 0, stoppedAt: () => 1000, thresholds: () => [],
 *   jobs: () => ({
 *     total_image_sent: 0, total_image_in_progress: 0, total_image_processed: 0,
 *     total_image_succeeded: 0, total_image_failed: 0, total_gb_processed: 0,
 *     total_pixels_processed: 0, total_image_partial: 0, total_image_timed_out: 0,
 *   }),
 * });
 * if (doc.total.avg_response_time !== null) throw new Error("no requests: unknown, not 0");
 * ```
 */
export function buildJsonStats(ctx: OutputContext): JsonStats {
  const stopped = ctx.stoppedAt();
  const end = stopped ?? Date.now();
  return {
    schema: JSON_STATS_SCHEMA,
    started_at: new Date(ctx.startedAt).toISOString(),
    stopped_at: stopped === undefined ? null : new Date(stopped).toISOString(),
    duration_seconds: (end - ctx.startedAt) / 1000,
    user_count: ctx.userCount(),
    entries: ctx.stats.entries().map(entryJson),
    total: entryJson(ctx.stats.total),
    failures: ctx.stats.sortedFailures().map((f) => ({
      method: f.method,
      name: f.name,
      error: f.error,
      occurrences: f.occurrences,
      first_seen: new Date(f.firstSeen).toISOString(),
      last_seen: new Date(f.lastSeen).toISOString(),
    })),
    exceptions: ctx.stats.exceptions().map((e) => ({
      count: e.count,
      message: e.message,
      traceback: e.traceback,
      nodes: [...e.nodes],
    })),
    jobs: { ...ctx.jobs() },
    thresholds: thresholdSummary(ctx.thresholds?.() ?? []),
    configuration: Object.fromEntries(ctx.configuration.map(([k, v]) => [k, v])),
  };
}

/**
 * The JSON document of `ctx` as text in pieces: exactly `JSON.stringify(buildJsonStats(ctx),
 * null, 2) + "\n"`, with the long lists (entries, failures, exceptions) written one item at a
 * time and never gathered into one string.
 *
 * @example
 * ```ts
 * import { buildJsonStats, jsonStatsPieces } from "./json_stats.ts";
 * import { StatsAggregator } from "../stats/aggregator.ts";
 * const ctx = {
 *   stats: new StatsAggregator(0), userCount: () => 0, timeline: () => [], configuration: [],
 *   startedAt: 0, stoppedAt: () => 1000,
 *   jobs: () => ({
 *     total_image_sent: 0, total_image_in_progress: 0, total_image_processed: 0,
 *     total_image_succeeded: 0, total_image_failed: 0, total_gb_processed: 0,
 *     total_pixels_processed: 0, total_image_partial: 0, total_image_timed_out: 0,
 *   }),
 * };
 * const text = [...jsonStatsPieces(ctx)].join("");
 * if (text !== JSON.stringify(buildJsonStats(ctx), null, 2) + "\n") throw new Error(text);
 * ```
 */
export function* jsonStatsPieces(ctx: OutputContext): Generator<string> {
  const stopped = ctx.stoppedAt();
  const end = stopped ?? Date.now();
  const head: Array<[string, unknown]> = [
    ["schema", JSON_STATS_SCHEMA],
    ["started_at", new Date(ctx.startedAt).toISOString()],
    ["stopped_at", stopped === undefined ? null : new Date(stopped).toISOString()],
    ["duration_seconds", (end - ctx.startedAt) / 1000],
    ["user_count", ctx.userCount()],
  ];
  let first = true;
  const key = (name: string) => {
    const text = `${first ? "{\n" : ",\n"}  ${JSON.stringify(name)}: `;
    first = false;
    return text;
  };
  const value = (v: unknown) => JSON.stringify(v, null, 2).replaceAll("\n", "\n  ");
  function* list<T>(name: string, items: Iterable<T>, map: (item: T) => unknown) {
    let any = false;
    for (const item of items) {
      yield `${any ? ",\n" : `${key(name)}[\n`}    ${
        JSON.stringify(map(item), null, 2).replaceAll("\n", "\n    ")
      }`;
      any = true;
    }
    yield any ? "\n  ]" : `${key(name)}[]`;
  }
  for (const [name, v] of head) yield key(name) + value(v);
  yield* list("entries", ctx.stats.entries(), entryJson);
  yield key("total") + value(entryJson(ctx.stats.total));
  yield* list("failures", ctx.stats.sortedFailures(), (f) => ({
    method: f.method,
    name: f.name,
    error: f.error,
    occurrences: f.occurrences,
    first_seen: new Date(f.firstSeen).toISOString(),
    last_seen: new Date(f.lastSeen).toISOString(),
  }));
  yield* list("exceptions", ctx.stats.exceptions(), (e) => ({
    count: e.count,
    message: e.message,
    traceback: e.traceback,
    nodes: [...e.nodes],
  }));
  yield key("jobs") + value({ ...ctx.jobs() });
  yield* list("thresholds", thresholdSummary(ctx.thresholds?.() ?? []), (t) => t);
  yield key("configuration") +
    value(Object.fromEntries(ctx.configuration.map(([k, v]) => [k, v])));
  yield "\n}\n";
}

/**
 * The `--json FILE` output: writes the document once, at finish, streamed into the temp file
 * that is then renamed.
 *
 * @example
 * ```ts
 * import { createJsonStatsOutput } from "./json_stats.ts";
 * const output = createJsonStatsOutput({ path: "stats.json" });
 * if (output.finish === undefined) throw new Error("writes at finish");
 * ```
 */
export function createJsonStatsOutput(options: { path: string }): Output {
  return {
    name: "json",
    async finish(ctx) {
      await writeFileAtomicStream(options.path, jsonStatsPieces(ctx));
    },
  };
}
