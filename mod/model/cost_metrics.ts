/**
 * The Cost Explorer metrics that are costs (UsageQuantity is not): what `osml-load cost
 * --metric` accepts and what the simulated Cost Explorer answers with amounts in USD.
 *
 * @example
 * ```ts
 * import { COST_METRICS } from "./cost_metrics.ts";
 * if (!COST_METRICS.includes("BlendedCost")) throw new Error("upstream's metric");
 * ```
 * @module
 */

/** The cost metrics `--metric` accepts (UsageQuantity is not a cost). */
export const COST_METRICS = [
  "BlendedCost",
  "UnblendedCost",
  "AmortizedCost",
  "NetAmortizedCost",
  "NetUnblendedCost",
] as const;

/** One of {@linkcode COST_METRICS}. */
export type CostMetric = typeof COST_METRICS[number];
