/**
 * Check a run's `--threshold` expressions at the end and print the verdicts.
 *
 * @example
 * ```ts ignore
 * const verdict = evaluateRunThresholds(["fail_ratio<0.01"], stats, jobs, console.log);
 * ```
 * @module
 */
import type { StatsAggregator } from "../stats/aggregator.ts";
import type { JobStatistics } from "../output/run_report.ts";
import { evaluateThresholds, parseThreshold } from "../stats/thresholds.ts";

/** Evaluate; returns `none` when there were none, else `passed` or `failed`. */
export function evaluateRunThresholds(
  expressions: string[],
  stats: StatsAggregator,
  jobs: JobStatistics,
  write: (line: string) => void,
): "none" | "passed" | "failed" {
  if (expressions.length === 0) return "none";
  const results = evaluateThresholds(expressions.map(parseThreshold), stats, jobs);
  const failed = results.filter((r) => !r.passed);
  write("");
  write(`Thresholds: ${results.length - failed.length} passed, ${failed.length} failed`);
  for (const result of results) write(`  ${result.message}`);
  return failed.length ? "failed" : "passed";
}
