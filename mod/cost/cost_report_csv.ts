/**
 * The cost report as CSV: one `service,cost_usd` row per service (highest
 * cost first, 2 decimals as in the report), then a `Total` row.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { formatCostCsv } from "./cost_report_csv.ts";
 * import { computeCostReport } from "./cost_report.ts";
 * import { parseSummaryTime } from "./summary_time.ts";
 * const report = computeCostReport({
 *   start: parseSummaryTime("2025-12-09T10:00:00Z")!,
 *   stop: parseSummaryTime("2025-12-09T12:00:00Z")!,
 *   imagesSent: 10, imagesProcessed: 10, imagesSucceeded: 9, gbProcessed: 2, pixelsProcessed: 4e9,
 * }, { total: 3.5, byService: new Map([["Amazon SageMaker", 3], ["Amazon Simple Queue Service", 0.5]]) });
 * assert.equal(
 *   formatCostCsv(report),
 *   "service,cost_usd\nAmazon SageMaker,3.00\nAmazon Simple Queue Service,0.50\nTotal,3.50\n",
 * );
 * ```
 * @module
 */
import { stringify } from "csv-stringify/sync";
import type { CostReport } from "./cost_report.ts";
import { pythonFixed } from "../stats/python_format.ts";

/** The CSV header row. */
export const COST_CSV_HEADER = ["service", "cost_usd"] as const;

/**
 * Serialize the report's costs as CSV (LF line ends, final newline).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { formatCostCsv } from "./cost_report_csv.ts";
 * import { computeCostReport } from "./cost_report.ts";
 * import { parseSummaryTime } from "./summary_time.ts";
 * const report = computeCostReport({
 *   start: parseSummaryTime("2025-12-09T10:00:00Z")!,
 *   stop: parseSummaryTime("2025-12-09T12:00:00Z")!,
 *   imagesSent: 10, imagesProcessed: 10, imagesSucceeded: 9, gbProcessed: 2, pixelsProcessed: 4e9,
 * }, { total: 3.5, byService: new Map([["Amazon SageMaker", 3], ["Amazon Simple Queue Service", 0.5]]) });
 * assert.equal(formatCostCsv(report).split("\n")[0], "service,cost_usd");
 * ```
 */
export function formatCostCsv(report: CostReport): string {
  const rows: string[][] = [[...COST_CSV_HEADER]];
  for (const [service, cost] of Object.entries(report.costs_by_service)) {
    rows.push([service, pythonFixed(cost, 2)]);
  }
  rows.push(["Total", pythonFixed(report.cost_summary.total_cost_usd, 2)]);
  return stringify(rows);
}
