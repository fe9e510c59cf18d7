/**
 * The cost report as JSON: upstream's keys in upstream's order, indented by 2
 * spaces as upstream's `--output` writes it.
 *
 * @example
 * ```ts
 * import { formatCostJson } from "./cost_report_json.ts";
 * import type { CostReport } from "./cost_report.ts";
 * declare const report: CostReport;
 * await Deno.writeTextFile("cost_report.json", formatCostJson(report));
 * ```
 * @module
 */
import type { CostReport } from "./cost_report.ts";

/**
 * Serialize the report (with a final newline).
 *
 * @example
 * ```ts
 * import { formatCostJson } from "./cost_report_json.ts";
 * import type { CostReport } from "./cost_report.ts";
 * declare const report: CostReport;
 * JSON.parse(formatCostJson(report)).cost_summary.total_cost_usd;
 * ```
 */
export function formatCostJson(report: CostReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
