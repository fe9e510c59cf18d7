/**
 * The cost report as upstream prints it on the console, character for
 * character (upstream's `print_report`: docs/compatibility.md#cost-report).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { formatCostTable } from "./cost_table.ts";
 * import { computeCostReport } from "./cost_report.ts";
 * import { parseSummaryTime } from "./summary_time.ts";
 * const report = computeCostReport({
 *   start: parseSummaryTime("2025-12-09T10:00:00Z")!,
 *   stop: parseSummaryTime("2025-12-09T12:00:00Z")!,
 *   imagesSent: 10, imagesProcessed: 10, imagesSucceeded: 9, gbProcessed: 2, pixelsProcessed: 4e9,
 * }, { total: 3.5, byService: new Map([["Amazon SageMaker", 3], ["Amazon Simple Queue Service", 0.5]]) });
 * const table = formatCostTable(report);
 * assert.ok(table.includes("\nLOAD TEST COST REPORT\n"));
 * assert.ok(table.includes("  Cost per Hour:         $1.75\n"));
 * ```
 * @module
 */
import type { CostReport } from "./cost_report.ts";
import { pythonFixed } from "../stats/python_format.ts";

const RULE = "=".repeat(80);

function row(label: string, value: string): string {
  return `  ${label.padEnd(22)} ${value}`;
}

/**
 * Format the report as upstream's console table. The text starts with a blank
 * line and ends with the closing rule and a blank line (with a final newline),
 * exactly what upstream writes to stdout. Service lines show the rounded cost
 * and its share of the rounded total (0 when the total is 0); a service is
 * listed only if its share is above 0 or its cost above $0.01. An unknown cost
 * per gigapixel is printed as `unknown` with the reason.
 *
 * @example
 * ```ts
 * import { formatCostTable } from "./cost_table.ts";
 * import { strict as assert } from "node:assert";
 * import { computeCostReport } from "./cost_report.ts";
 * import { parseSummaryTime } from "./summary_time.ts";
 * const report = computeCostReport({
 *   start: parseSummaryTime("2025-12-09T10:00:00Z")!,
 *   stop: parseSummaryTime("2025-12-09T12:00:00Z")!,
 *   imagesSent: 10, imagesProcessed: 10, imagesSucceeded: 9, gbProcessed: 2, pixelsProcessed: 4e9,
 * }, { total: 3.5, byService: new Map([["Amazon SageMaker", 3], ["Amazon Simple Queue Service", 0.5]]) });
 * assert.ok(formatCostTable(report).includes("  Amazon SageMaker                              $3.00 ( 85.7%)\n"));
 * ```
 */
export function formatCostTable(report: CostReport): string {
  const summary = report.load_test_summary;
  const costs = report.cost_summary;
  const lines = [
    "",
    RULE,
    "LOAD TEST COST REPORT",
    RULE,
    "",
    "Test Period:",
    `  Start Time: ${summary.start_time}`,
    `  Stop Time:  ${summary.stop_time}`,
    `  Duration:   ${pythonFixed(summary.duration_hours, 2)} hours`,
    "",
    "Test Metrics:",
    row("Images Sent:", String(summary.total_images_sent)),
    row("Images Processed:", String(summary.total_images_processed)),
    row("Images Succeeded:", String(summary.total_images_succeeded)),
    row("GB Processed:", pythonFixed(summary.total_gb_processed, 2)),
    row(
      "Gigapixels Processed:",
      pythonFixed(summary.gigapixels_processed, 3) +
        (summary.jobs_pixels_unknown
          ? ` (known pixels only: ${summary.jobs_pixels_unknown} job(s) unknown)`
          : ""),
    ),
    "",
    "Cost Summary:",
    row("Total Cost:", `$${pythonFixed(costs.total_cost_usd, 2)}`),
    row("Cost per Hour:", `$${pythonFixed(costs.cost_per_hour, 2)}`),
    row("Cost per Image:", `$${pythonFixed(costs.cost_per_image, 4)}`),
    row("Cost per GB:", `$${pythonFixed(costs.cost_per_gb, 2)}`),
    row(
      "Cost per Gigapixel:",
      costs.cost_per_gigapixel === null
        ? `unknown (the pixels of ${summary.jobs_pixels_unknown ?? "some"} job(s) are unknown)`
        : `$${pythonFixed(costs.cost_per_gigapixel, 4)}`,
    ),
    "",
    "Costs by Service:",
  ];
  const total = costs.total_cost_usd;
  for (const [service, cost] of Object.entries(report.costs_by_service)) {
    const percentage = total > 0 ? cost / total * 100 : 0;
    if (percentage > 0 || cost > 0.01) {
      lines.push(
        `  ${service.padEnd(45)} $${pythonFixed(cost, 2)} (${
          pythonFixed(percentage, 1).padStart(5)
        }%)`,
      );
    }
  }
  lines.push(RULE, "", "");
  return lines.join("\n");
}
