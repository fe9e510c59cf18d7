/**
 * `--threshold EXPR`: pass/fail conditions on the final statistics.
 *
 * Forms: `SCOPE:METRIC OP VALUE` or, for run-wide values, `METRIC OP VALUE`.
 * - SCOPE is a request type (all its entries merged, e.g. `Submit Image`,
 *   `Job Complete`), an entry name (e.g. `small.tif:centerpoint`, itself
 *   holding colons: the metric and comparator are parsed from the end), or
 *   `Aggregated`.
 * - METRIC for a scope: `pNN` / `pNN.N` (percentile), `avg`, `min`, `max`,
 *   `median`, `count`, `failures`, `fail_ratio`, `rps` (response times in ms).
 * - Run-wide METRIC: `fail_ratio`, `rps`, and the job counters `jobs_failed`
 *   (FAILED + PARTIAL), `jobs_succeeded`, `jobs_sent`, `jobs_partial`,
 *   `jobs_timed_out`, `jobs_in_progress`, `jobs_processed`, `jobs_gb_processed`,
 *   `jobs_pixels_processed` (also without the `jobs_` prefix: `gb_processed`,
 *   `pixels_processed`).
 * - OP is one of `<`, `<=`, `>`, `>=`, `==`.
 *
 * A scope that matches nothing is an error at evaluation time (entries appear
 * during the run), never a silent pass.
 *
 * @example
 * ```ts
 * import { evaluateThresholds, parseThreshold } from "./thresholds.ts";
 * import { StatsAggregator } from "./aggregator.ts";
 * const stats = new StatsAggregator(0);
 * stats.record({ type: "Submit Image", name: "a.tif:m", responseTimeMs: 120, length: 0, at: 2000 });
 * const jobs = {
 *   total_image_sent: 1, total_image_in_progress: 0, total_image_processed: 1, total_image_succeeded: 1,
 *   total_image_failed: 0, total_gb_processed: 0, total_pixels_processed: 0, total_image_partial: 0,
 *   total_image_timed_out: 0,
 * };
 * const [result] = evaluateThresholds([parseThreshold("Submit Image:p95<500")], stats, jobs);
 * if (result?.passed !== true || result.actual !== 120) throw new Error("p95 of one 120 ms request");
 * ```
 * @module
 */

import { UsageError } from "../usage_error.ts";
import type { JobStatistics } from "../model/run_report.ts";
import type { StatsAggregator, StatsEntry } from "./aggregator.ts";

/** A comparison operator. */
export type Comparator = "<" | "<=" | ">" | ">=" | "==";

/** A parsed `--threshold` expression. */
export interface Threshold {
  /** The expression as given. */
  readonly expression: string;
  /** Request type, entry name or `Aggregated`; undefined for run-wide metrics. */
  readonly scope?: string;
  /** Metric name as written, e.g. `p95`, `avg`, `jobs_failed`. */
  readonly metric: string;
  readonly comparator: Comparator;
  readonly value: number;
}

/** The outcome of one threshold. */
export interface ThresholdResult {
  readonly threshold: Threshold;
  /**
   * The measured value; NaN when it could not be measured (e.g. no request
   * had a response time), and then `reason` says why and `passed` is false.
   * Machine-readable outputs write it through `thresholdSummary` (null, never NaN).
   */
  readonly actual: number;
  readonly passed: boolean;
  /** Why there is no value, when `actual` is NaN, e.g. `no "Job Complete" request has a response time`. */
  readonly reason?: string;
  /** One line for the end-of-run listing, e.g. `FAIL Submit Image:p95<500 (actual 620)`. */
  readonly message: string;
}

const ENTRY_METRICS = ["avg", "min", "max", "median", "count", "failures", "fail_ratio", "rps"];
const PERCENTILE = /^p(\d{1,2}(?:\.\d+)?|100)$/;
const JOB_METRICS: Record<string, keyof JobStatistics> = {
  jobs_failed: "total_image_failed",
  jobs_succeeded: "total_image_succeeded",
  jobs_sent: "total_image_sent",
  jobs_partial: "total_image_partial",
  jobs_timed_out: "total_image_timed_out",
  jobs_in_progress: "total_image_in_progress",
  jobs_processed: "total_image_processed",
  jobs_gb_processed: "total_gb_processed",
  jobs_pixels_processed: "total_pixels_processed",
  gb_processed: "total_gb_processed",
  pixels_processed: "total_pixels_processed",
};
const GLOBAL_METRICS = ["fail_ratio", "rps", ...Object.keys(JOB_METRICS)];

const EXAMPLES = 'e.g. "Submit Image:p95<500", "fail_ratio<0.01" or "jobs_failed<=2"';

/**
 * Parse one `--threshold` expression.
 *
 * @throws {UsageError} when the expression is malformed or names an unknown metric.
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { parseThreshold } from "./thresholds.ts";
 * assert.equal(parseThreshold("small.tif:centerpoint:avg<=300").scope, "small.tif:centerpoint");
 * ```
 */
export function parseThreshold(expr: string): Threshold {
  const m = /^(.*?)\s*(<=|>=|==|<|>)\s*([^<>=]*)$/s.exec(expr);
  if (!m) {
    throw new UsageError(
      `--threshold "${expr}" has no comparator: write [SCOPE:]METRIC OP VALUE with OP one of < <= > >= ==, ${EXAMPLES}`,
    );
  }
  const [, left = "", comparator = "", rawValue = ""] = m;
  const valueText = rawValue.trim();
  const value = Number(valueText);
  if (valueText === "" || !Number.isFinite(value)) {
    throw new UsageError(
      `--threshold "${expr}": "${valueText}" is not a number: put a number after the comparator, ${EXAMPLES}`,
    );
  }
  const colon = left.lastIndexOf(":");
  const metric = (colon < 0 ? left : left.slice(colon + 1)).trim();
  const scope = colon < 0 ? undefined : left.slice(0, colon).trim();
  if (scope === undefined) {
    if (!GLOBAL_METRICS.includes(metric)) {
      throw new UsageError(
        `--threshold "${expr}": "${metric}" is not a run-wide metric (${
          GLOBAL_METRICS.join(", ")
        }); ` +
          `for a request type or entry write SCOPE:METRIC, ${EXAMPLES}`,
      );
    }
  } else {
    if (scope === "") {
      throw new UsageError(
        `--threshold "${expr}": the scope before ":" is empty: name a request type or entry, ${EXAMPLES}`,
      );
    }
    if (!ENTRY_METRICS.includes(metric) && !PERCENTILE.test(metric)) {
      throw new UsageError(
        `--threshold "${expr}": "${metric}" is not a metric; use pNN (e.g. p95, p99.9) or one of ${
          ENTRY_METRICS.join(", ")
        }`,
      );
    }
  }
  return {
    expression: expr,
    ...(scope === undefined ? {} : { scope }),
    metric,
    comparator: comparator as Comparator,
    value,
  };
}

function compare(actual: number, op: Comparator, limit: number): boolean {
  switch (op) {
    case "<":
      return actual < limit;
    case "<=":
      return actual <= limit;
    case ">":
      return actual > limit;
    case ">=":
      return actual >= limit;
    case "==":
      return actual === limit;
  }
}

function entryMetric(entry: StatsEntry, metric: string): number {
  // Response-time metrics need a request with a response time; counts and rates do not.
  const timed = entry.numRequests - entry.numNoneRequests > 0;
  const p = PERCENTILE.exec(metric);
  if (p) return timed ? entry.percentile(Number(p[1]) / 100) : NaN;
  switch (metric) {
    case "avg":
      return timed ? entry.avgResponseTime : NaN;
    case "min":
      return entry.minResponseTime ?? NaN;
    case "max":
      return timed ? entry.maxResponseTime : NaN;
    case "median":
      return timed ? entry.medianResponseTime : NaN;
    case "count":
      return entry.numRequests;
    case "failures":
      return entry.numFailures;
    case "fail_ratio":
      return entry.failRatio;
    default: // rps
      return entry.totalRps;
  }
}

/**
 * Find the statistics a scope names: `Aggregated`, else a request type (all
 * its entries merged), else an entry name (all types with that name merged).
 */
function resolveScope(stats: StatsAggregator, scope: string): StatsEntry | undefined {
  if (scope === "Aggregated") return stats.total;
  const byType = stats.mergedType(scope);
  if (byType) return byType;
  return stats.mergedName(scope);
}

/**
 * Evaluate thresholds against the final statistics and job totals.
 *
 * @throws {UsageError} when a scope names no request type or entry (listing the known ones).
 * @example
 * ```ts
 * import { evaluateThresholds, parseThreshold } from "./thresholds.ts";
 * import { StatsAggregator } from "./aggregator.ts";
 * const jobs = {
 *   total_image_sent: 4, total_image_in_progress: 0, total_image_processed: 4, total_image_succeeded: 1,
 *   total_image_failed: 3, total_gb_processed: 0, total_pixels_processed: 0, total_image_partial: 0,
 *   total_image_timed_out: 0,
 * };
 * const [result] = evaluateThresholds([parseThreshold("jobs_failed<=2")], new StatsAggregator(0), jobs);
 * if (result?.passed !== false || result.actual !== 3) throw new Error("3 failed jobs > 2");
 * ```
 */
export function evaluateThresholds(
  list: readonly Threshold[],
  stats: StatsAggregator,
  jobs: JobStatistics,
): ThresholdResult[] {
  return list.map((threshold): ThresholdResult => {
    let actual: number;
    let reason: string | undefined;
    if (threshold.scope === undefined) {
      const jobKey = JOB_METRICS[threshold.metric];
      if (jobKey !== undefined) {
        // A job total that could not be measured (e.g. pixels of unreadable images) is null.
        const value: number | null | undefined = jobs[jobKey];
        actual = value ?? NaN;
        if (value === null || value === undefined) {
          reason = `${threshold.metric} is unknown (${jobKey} could not be measured)`;
        }
      } else if (threshold.metric === "fail_ratio") actual = stats.failRatio;
      else actual = stats.total.totalRps;
    } else {
      const entry = resolveScope(stats, threshold.scope);
      if (entry === undefined) {
        const known = [
          "Aggregated",
          ...stats.types(),
          ...new Set(stats.entries().map((e) => e.name)),
        ];
        throw new UsageError(
          `--threshold "${threshold.expression}": no request type or entry is named "${threshold.scope}"; ` +
            `known scopes: ${known.map((k) => `"${k}"`).join(", ")}`,
        );
      }
      actual = entryMetric(entry, threshold.metric);
      if (Number.isNaN(actual)) {
        reason =
          `no "${threshold.scope}" request has a response time, so ${threshold.metric} is unknown`;
      }
    }
    const passed = !Number.isNaN(actual) && compare(actual, threshold.comparator, threshold.value);
    const shown = Number.isNaN(actual)
      ? "no data"
      : `actual ${Number.isInteger(actual) ? actual : actual.toFixed(4)}`;
    return {
      threshold,
      actual,
      passed,
      ...(Number.isNaN(actual) ? { reason: reason ?? "no data" } : {}),
      message: `${passed ? "PASS" : "FAIL"} ${threshold.expression} (${shown})`,
    };
  });
}
