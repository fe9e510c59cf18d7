/**
 * Threshold verdicts for machine-readable outputs (`--json`, `--junit`,
 * `job_summary.json`): each expression, the observed value and whether it
 * passed. A value that could not be measured is `null` with a `reason`,
 * never NaN (which JSON cannot hold) and never 0.
 *
 * @example
 * ```ts
 * import { thresholdSummary } from "./threshold_summary.ts";
 * import { evaluateThresholds, parseThreshold } from "./thresholds.ts";
 * import { StatsAggregator } from "./aggregator.ts";
 * const jobs = {
 *   total_image_sent: 0, total_image_in_progress: 0, total_image_processed: 0, total_image_succeeded: 0,
 *   total_image_failed: 0, total_gb_processed: 0, total_pixels_processed: 0, total_image_partial: 0,
 *   total_image_timed_out: 0,
 * };
 * const stats = new StatsAggregator(0);
 * stats.record({ type: "Submit Image", name: "a.tif:m", responseTimeMs: 620, length: 0, at: 1000 });
 * const results = evaluateThresholds(
 *   ["Submit Image:p95<500", "jobs_failed<=2"].map(parseThreshold), stats, jobs,
 * );
 * const [p95, failed] = thresholdSummary(results);
 * if (p95?.value !== 620 || p95.passed) throw new Error("620 ms is not under 500");
 * if (failed?.value !== 0 || !failed.passed) throw new Error("no failed job");
 * ```
 * @module
 */

import type { ThresholdResult } from "./thresholds.ts";

/** One threshold's verdict, as JSON outputs write it. */
export interface ThresholdSummaryItem {
  /** The `--threshold` expression as given, e.g. `Submit Image:p95<500`. */
  expression: string;
  /** The observed value; null when it could not be measured (then `reason` says why). */
  value: number | null;
  /** Whether the threshold held; false when the value is unknown. */
  passed: boolean;
  /** Why `value` is null; present only then. */
  reason?: string;
}

/**
 * The verdicts as plain JSON-ready objects, in the order given.
 *
 * @example
 * ```ts
 * import { thresholdSummary } from "./threshold_summary.ts";
 * const [item] = thresholdSummary([{
 *   threshold: { expression: "Job Complete:p95<600000", scope: "Job Complete", metric: "p95", comparator: "<", value: 600000 },
 *   actual: NaN, passed: false, reason: "no job finished", message: "FAIL Job Complete:p95<600000 (no data)",
 * }]);
 * if (JSON.stringify(item) !== '{"expression":"Job Complete:p95<600000","value":null,"passed":false,"reason":"no job finished"}') {
 *   throw new Error("null with a reason, never NaN");
 * }
 * ```
 */
export function thresholdSummary(results: readonly ThresholdResult[]): ThresholdSummaryItem[] {
  return results.map((r) => {
    const known = Number.isFinite(r.actual);
    return {
      expression: r.threshold.expression,
      value: known ? r.actual : null,
      passed: known && r.passed,
      ...(known ? {} : { reason: r.reason ?? "no data" }),
    };
  });
}
