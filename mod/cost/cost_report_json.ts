/**
 * The cost report as JSON: upstream's keys in upstream's order, indented by 2
 * spaces as upstream's `--output` writes it.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { formatCostJson } from "./cost_report_json.ts";
 * import { computeCostReport } from "./cost_report.ts";
 * import { parseSummaryTime } from "./summary_time.ts";
 * const report = computeCostReport({
 *   start: parseSummaryTime("2025-12-09T10:00:00Z")!,
 *   stop: parseSummaryTime("2025-12-09T12:00:00Z")!,
 *   imagesSent: 10, imagesProcessed: 10, imagesSucceeded: 9, gbProcessed: 2, pixelsProcessed: 4e9,
 * }, { total: 3.5, byService: new Map([["Amazon SageMaker", 3], ["Amazon Simple Queue Service", 0.5]]) });
 * const text = formatCostJson(report);
 * assert.ok(text.startsWith('{\n  "load_test_summary": {\n    "start_time": "2025-12-09T10:00:00Z",'));
 * assert.ok(text.endsWith("}\n"));
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
 * import { strict as assert } from "node:assert";
 * import { computeCostReport } from "./cost_report.ts";
 * import { parseSummaryTime } from "./summary_time.ts";
 * const report = computeCostReport({
 *   start: parseSummaryTime("2025-12-09T10:00:00Z")!,
 *   stop: parseSummaryTime("2025-12-09T12:00:00Z")!,
 *   imagesSent: 10, imagesProcessed: 10, imagesSucceeded: 9, gbProcessed: 2, pixelsProcessed: 4e9,
 * }, { total: 3.5, byService: new Map([["Amazon SageMaker", 3], ["Amazon Simple Queue Service", 0.5]]) });
 * assert.equal(JSON.parse(formatCostJson(report)).cost_summary.total_cost_usd, 3.5);
 * ```
 */
export function formatCostJson(report: CostReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
