/**
 * The renderers of `mod/output/` the web UI borrows for its downloads: the
 * Locust CSV writer (an {@linkcode Output}) and the HTML report. Kept in one
 * place so the web UI never duplicates their logic.
 *
 * @example
 * ```ts ignore
 * import { csvOutput, htmlReport } from "./report_renderers.ts";
 * const output = csvOutput({ prefix: "out/run", fullHistory: false });
 * const html = htmlReport(ctx);
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
 * ```ts ignore
 * import { htmlReport } from "./report_renderers.ts";
 * const html = htmlReport(ctx);
 * ```
 */
export function htmlReport(ctx: OutputContext): string {
  return renderHtmlReport(ctx);
}
