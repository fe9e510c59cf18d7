/**
 * The upstream suite's job statistics block (seven labelled lines, GB to 2
 * decimals), plus this tool's partial and timed-out counts when non-zero.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { formatJobStatistics } from "./job_statistics_block.ts";
 * assert.equal(formatJobStatistics({
 *   total_image_sent: 3, total_image_in_progress: 0, total_image_processed: 3,
 *   total_image_succeeded: 3, total_image_failed: 0, total_gb_processed: 0.5,
 *   total_pixels_processed: 100, total_image_partial: 0, total_image_timed_out: 0,
 * })[0], "Total Images Sent: 3");
 * ```
 * @module
 */

import { statisticsBlock } from "../tracker/job_files.ts";
import type { JobStatistics, JobStatisticsExtra } from "../model/run_report.ts";

/**
 * The block's lines, without indentation.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { formatJobStatistics } from "./job_statistics_block.ts";
 * assert.deepEqual(formatJobStatistics({
 *   total_image_sent: 3, total_image_in_progress: 0, total_image_processed: 3,
 *   total_image_succeeded: 2, total_image_failed: 1, total_gb_processed: 0.5,
 *   total_pixels_processed: 100, total_image_partial: 1, total_image_timed_out: 0,
 * }), [
 *   "Total Images Sent: 3",
 *   "Total Images In-Progress: 0",
 *   "Total Images Processed: 3",
 *   "Total Images Succeeded: 2",
 *   "Total Images Failed: 1",
 *   "Total GB Processed: 0.50",
 *   "Total Pixels Processed: 100",
 *   "Total Images Partial: 1", // shown because it is not 0; timed out (0) is not
 * ]);
 * ```
 */
export function formatJobStatistics(
  jobs: JobStatistics & Partial<JobStatisticsExtra>,
): string[] {
  // Upstream's seven lines, as the log writes them (with the unknown-pixels note).
  const lines = statisticsBlock(jobs);
  if (jobs.total_image_partial > 0) lines.push(`Total Images Partial: ${jobs.total_image_partial}`);
  if (jobs.total_image_timed_out > 0) {
    lines.push(`Total Images Timed Out: ${jobs.total_image_timed_out}`);
  }
  return lines;
}
