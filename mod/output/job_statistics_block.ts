/**
 * The upstream suite's job statistics block (seven labelled lines, GB to 2
 * decimals), plus this tool's partial and timed-out counts when non-zero.
 *
 * @example
 * ```ts
 * import { formatJobStatistics } from "./job_statistics_block.ts";
 * formatJobStatistics({
 *   total_image_sent: 3, total_image_in_progress: 0, total_image_processed: 3,
 *   total_image_succeeded: 3, total_image_failed: 0, total_gb_processed: 0.5,
 *   total_pixels_processed: 100, total_image_partial: 0, total_image_timed_out: 0,
 * })[0]; // "Total Images Sent: 3"
 * ```
 * @module
 */

import { pythonFixed } from "../stats/python_format.ts";
import type { JobStatistics } from "./run_report.ts";

/**
 * The block's lines, without indentation.
 *
 * @example
 * ```ts
 * import { formatJobStatistics } from "./job_statistics_block.ts";
 * // formatJobStatistics(ctx.jobs()).forEach((line) => console.log(line));
 * ```
 */
export function formatJobStatistics(jobs: JobStatistics): string[] {
  const lines = [
    `Total Images Sent: ${jobs.total_image_sent}`,
    `Total Images In-Progress: ${jobs.total_image_in_progress}`,
    `Total Images Processed: ${jobs.total_image_processed}`,
    `Total Images Succeeded: ${jobs.total_image_succeeded}`,
    `Total Images Failed: ${jobs.total_image_failed}`,
    `Total GB Processed: ${pythonFixed(jobs.total_gb_processed, 2)}`,
    `Total Pixels Processed: ${jobs.total_pixels_processed}`,
  ];
  if (jobs.total_image_partial > 0) lines.push(`Total Images Partial: ${jobs.total_image_partial}`);
  if (jobs.total_image_timed_out > 0) {
    lines.push(`Total Images Timed Out: ${jobs.total_image_timed_out}`);
  }
  return lines;
}
