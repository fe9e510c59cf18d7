/**
 * A run's `--threshold` expressions: checked against the entries the run can
 * produce before any load (an unknown entry is a usage error then, not after
 * the run), and evaluated at the end, with the verdicts printed.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { StatsAggregator } from "../stats/aggregator.ts";
 * import { evaluateRunThresholds } from "./run_thresholds.ts";
 * const stats = new StatsAggregator(0);
 * stats.record({ type: "Submit Image", name: "a.tif:m", responseTimeMs: 120, length: 0, at: 2000 });
 * const jobs = {
 *   total_image_sent: 1, total_image_in_progress: 0, total_image_processed: 1, total_image_succeeded: 1,
 *   total_image_failed: 0, total_gb_processed: 0, total_pixels_processed: 0, total_image_partial: 0,
 *   total_image_timed_out: 0,
 * };
 * const lines: string[] = [];
 * const results = evaluateRunThresholds(
 *   ["Submit Image:p95<500", "Process Image:p95<500"], stats, jobs, (line) => lines.push(line),
 * );
 * assert.deepEqual(results.map((r) => r.passed), [true, false]);
 * assert.equal(lines[1], "Thresholds: 1 passed, 1 failed");
 * ```
 * @module
 */
import type { StatsAggregator } from "../stats/aggregator.ts";
import type { JobStatistics } from "../model/run_report.ts";
import { evaluateThresholds, parseThreshold, type ThresholdResult } from "../stats/thresholds.ts";
import { UsageError } from "../usage_error.ts";
import { entryName, requestEntryName } from "../requests/image_request.ts";
import { PROCESS_IMAGE } from "../users/model_runner_user.ts";
import { JOB_COMPLETE } from "./job_complete_sample.ts";
import type { PreparedRun } from "./prepare_run.ts";

/** Request types each user kind records. */
const TYPES_OF_KIND: Record<string, string[]> = {
  "load-test": ["Submit Image", JOB_COMPLETE],
  predefined: [PROCESS_IMAGE, JOB_COMPLETE],
  random: [PROCESS_IMAGE, JOB_COMPLETE],
};

/** Every scope (request type, entry name, `Aggregated`) the prepared run can produce. */
export function possibleScopes(prepared: PreparedRun): Set<string> {
  const { settings, images, userInputs } = prepared;
  const scopes = new Set<string>(["Aggregated"]);
  for (const { kind } of settings.userMix) {
    for (const type of TYPES_OF_KIND[kind] ?? [JOB_COMPLETE]) scopes.add(type);
  }
  for (const image of images) scopes.add(entryName(image.url, settings.modelName));
  for (const image of userInputs.randomImages) {
    for (const endpoint of userInputs.endpoints) scopes.add(entryName(image.url, endpoint));
  }
  for (const request of userInputs.predefinedRequests) {
    scopes.add(requestEntryName(request));
  }
  return scopes;
}

/**
 * Refuse, before any load, a threshold whose scope names no request type or
 * entry the run can produce.
 */
export function checkThresholdScopes(expressions: readonly string[], prepared: PreparedRun): void {
  if (expressions.length === 0) return;
  const scopes = possibleScopes(prepared);
  for (const expression of expressions) {
    const { scope } = parseThreshold(expression);
    if (scope === undefined || scopes.has(scope)) continue;
    const shown = [...scopes].slice(0, 12).map((s) => `"${s}"`).join(", ");
    throw new UsageError(
      `--threshold "${expression}": this run records no request type or entry named "${scope}"; ` +
        `use one of ${shown}${scopes.size > 12 ? ", …" : ""}`,
    );
  }
}

/**
 * Evaluate every threshold and print the verdicts; a scope that recorded
 * nothing is a failure with no data (it was checked before the run).
 */
export function evaluateRunThresholds(
  expressions: readonly string[],
  stats: StatsAggregator,
  jobs: JobStatistics,
  write: (line: string) => void,
): ThresholdResult[] {
  if (expressions.length === 0) return [];
  const results = expressions.map((expression) => {
    const threshold = parseThreshold(expression);
    try {
      return evaluateThresholds([threshold], stats, jobs)[0]!;
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      return {
        threshold,
        actual: Number.NaN,
        passed: false,
        message: `FAIL ${expression} (no data)`,
      };
    }
  });
  const failed = results.filter((r) => !r.passed);
  write("");
  write(`Thresholds: ${results.length - failed.length} passed, ${failed.length} failed`);
  for (const result of results) write(`  ${result.message}`);
  return results;
}
