/**
 * The cost report as CSV: one `service,cost_usd` row per service (highest
 * cost first, 2 decimals as in the report), then a `Total` row.
 *
 * @example
 * ```ts
 * import { formatCostCsv } from "./cost_report_csv.ts";
 * import type { CostReport } from "./cost_report.ts";
 * declare const report: CostReport;
 * await Deno.writeTextFile("cost_report.csv", formatCostCsv(report));
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
 * import { formatCostCsv } from "./cost_report_csv.ts";
 * import type { CostReport } from "./cost_report.ts";
 * declare const report: CostReport;
 * formatCostCsv(report).split("\n")[0]; // "service,cost_usd"
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
