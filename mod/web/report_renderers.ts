/**
 * The renderers of `mod/output/` the web UI borrows for its downloads: the
 * Locust CSV writer (an {@linkcode Output}) and the HTML report. Kept in one
 * place so the web UI never duplicates their logic.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { StatsAggregator } from "../stats/aggregator.ts";
 * import { csvOutput, htmlReport } from "./report_renderers.ts";
 * const output = csvOutput({ prefix: "out/run", fullHistory: false });
 * assert.equal(output.name, "csv");
 * const jobs = {
 *   total_image_sent: 0, total_image_in_progress: 0, total_image_processed: 0, total_image_succeeded: 0,
 *   total_image_failed: 0, total_gb_processed: 0, total_pixels_processed: 0, total_image_partial: 0,
 *   total_image_timed_out: 0,
 * };
 * const html = htmlReport({
 *   stats: new StatsAggregator(0), userCount: () => 0, jobs: () => jobs, timeline: () => [],
 *   configuration: [], startedAt: 0, stoppedAt: () => 1000,
 * });
 * assert.ok(html.startsWith("<!doctype html>"));
 * ```
 * @module
 */
import { renderHtmlReport } from "../output/html_report.ts";
import { createLocustCsvOutput, locustCsvPaths } from "../output/locust_csv.ts";
import type { Output, OutputContext } from "../output/output.ts";

export { locustCsvPaths };

/**
 * The Locust CSV files `PREFIX_stats.csv`, `_stats_history.csv`,
 * `_failures.csv`, `_exceptions.csv`, written as the run goes.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { csvOutput } from "./report_renderers.ts";
 * assert.equal(csvOutput({ prefix: "out/run", fullHistory: false }).name, "csv");
 * ```
 */
export function csvOutput(options: { prefix: string; fullHistory: boolean }): Output {
  return createLocustCsvOutput(options);
}

/**
 * The self-contained HTML report of a run (the same as `--html` writes).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { StatsAggregator } from "../stats/aggregator.ts";
 * import { htmlReport } from "./report_renderers.ts";
 * const stats = new StatsAggregator(0);
 * stats.record({ type: "Submit Image", name: "small.tif:m", responseTimeMs: 120, length: 0, at: 500 });
 * const jobs = {
 *   total_image_sent: 1, total_image_in_progress: 0, total_image_processed: 1, total_image_succeeded: 1,
 *   total_image_failed: 0, total_gb_processed: 0, total_pixels_processed: 0, total_image_partial: 0,
 *   total_image_timed_out: 0,
 * };
 * const html = htmlReport({
 *   stats, userCount: () => 1, jobs: () => jobs, timeline: () => [],
 *   configuration: [["Region", "us-west-2"]], startedAt: 0, stoppedAt: () => 1000,
 * });
 * assert.ok(html.includes("small.tif:m"));
 * ```
 */
export function htmlReport(ctx: OutputContext): string {
  return renderHtmlReport(ctx);
}
