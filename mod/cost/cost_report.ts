/**
 * The cost report: upstream's figures, keys and rounding
 * (docs/compatibility.md#cost-report), computed from a job summary and the costs Cost Explorer returned.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { computeCostReport } from "./cost_report.ts";
 * import { parseSummaryTime } from "./summary_time.ts";
 * const report = computeCostReport({
 *   start: parseSummaryTime("2025-12-09T10:00:00Z")!,
 *   stop: parseSummaryTime("2025-12-09T12:00:00Z")!,
 *   imagesSent: 10, imagesProcessed: 10, imagesSucceeded: 9, gbProcessed: 2, pixelsProcessed: 4e9,
 * }, { total: 3.5, byService: new Map([["Amazon SageMaker", 3], ["Amazon Simple Queue Service", 0.5]]) });
 * assert.equal(report.cost_summary.cost_per_hour, 1.75);
 * ```
 * @module
 */
import { pythonRound } from "../stats/python_format.ts";
import { pythonIsoformat, secondsBetween, type SummaryTime } from "./summary_time.ts";

/** What the cost report is computed from: the run's window and counters. */
export interface CostReportInput {
  start: SummaryTime;
  stop: SummaryTime;
  imagesSent: number;
  imagesProcessed: number;
  imagesSucceeded: number;
  gbProcessed: number;
  /** Pixels of the processed jobs whose pixel count is known. */
  pixelsProcessed: number;
  /** Processed jobs whose pixels are unknown (their header could not be read); default 0. */
  jobsPixelsUnknown?: number;
}

/** The costs Cost Explorer returned for the window, unrounded, in USD. */
export interface WindowCosts {
  /** The sum of every period's total. */
  total: number;
  /** Per SERVICE, in the order Cost Explorer first named them. */
  byService: ReadonlyMap<string, number>;
}

/** The report, with upstream's JSON keys in upstream's order. */
export interface CostReport {
  load_test_summary: {
    /** As written in the summary (or on the command line). */
    start_time: string;
    stop_time: string;
    /** Hours, 2 decimals. */
    duration_hours: number;
    total_images_sent: number;
    total_images_processed: number;
    total_images_succeeded: number;
    total_gb_processed: number;
    total_pixels_processed: number;
    /** Pixels / 10⁹, 3 decimals (of the jobs whose pixels are known). */
    gigapixels_processed: number;
    /** Processed jobs whose pixels are unknown; present only when above 0. */
    jobs_pixels_unknown?: number;
  };
  cost_summary: {
    /** 2 decimals. */
    total_cost_usd: number;
    /** 2 decimals. */
    cost_per_hour: number;
    /** 4 decimals. */
    cost_per_image: number;
    /** 2 decimals. */
    cost_per_gb: number;
    /**
     * 4 decimals; null (unknown) when some processed jobs' pixels are unknown: dividing by the
     * known pixels alone would overstate it.
     */
    cost_per_gigapixel: number | null;
  };
  /** Service → cost (2 decimals), by unrounded cost, highest first. */
  costs_by_service: Record<string, number>;
  /** The window as Python's `isoformat()` (with the offset the times were read with). */
  time_period: { start: string; end: string };
}

/**
 * Compute the report. Every per-unit figure divides the UNROUNDED total and is
 * 0 when its denominator is not positive; gigapixels are pixels / 10⁹. When
 * the pixels of some processed jobs are unknown (`jobsPixelsUnknown` > 0),
 * the cost per gigapixel is null (unknown) rather than a division by a total
 * that is short of the truth.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { computeCostReport } from "./cost_report.ts";
 * import { parseSummaryTime } from "./summary_time.ts";
 * const t = parseSummaryTime("2025-12-09T10:00:00Z")!;
 * const report = computeCostReport({ start: t, stop: t, imagesSent: 0, imagesProcessed: 0,
 *   imagesSucceeded: 0, gbProcessed: 0, pixelsProcessed: 0 }, { total: 0, byService: new Map() });
 * assert.equal(report.cost_summary.cost_per_hour, 0);
 * ```
 */
export function computeCostReport(input: CostReportInput, costs: WindowCosts): CostReport {
  const durationHours = secondsBetween(input.start, input.stop) / 3600;
  const pixels = input.pixelsProcessed;
  const gigapixels = pixels > 0 ? pixels / 1e9 : 0;
  const pixelsUnknown = input.jobsPixelsUnknown ?? 0;
  const total = costs.total;
  const services = [...costs.byService.entries()].sort((a, b) => b[1] - a[1]);
  const byService: Record<string, number> = {};
  for (const [service, cost] of services) byService[service] = pythonRound(cost, 2);
  return {
    load_test_summary: {
      start_time: input.start.text,
      stop_time: input.stop.text,
      duration_hours: pythonRound(durationHours, 2),
      total_images_sent: input.imagesSent,
      total_images_processed: input.imagesProcessed,
      total_images_succeeded: input.imagesSucceeded,
      total_gb_processed: input.gbProcessed,
      total_pixels_processed: pixels,
      gigapixels_processed: pythonRound(gigapixels, 3),
      ...(pixelsUnknown > 0 ? { jobs_pixels_unknown: pixelsUnknown } : {}),
    },
    cost_summary: {
      total_cost_usd: pythonRound(total, 2),
      cost_per_hour: pythonRound(durationHours > 0 ? total / durationHours : 0, 2),
      cost_per_image: pythonRound(input.imagesProcessed > 0 ? total / input.imagesProcessed : 0, 4),
      cost_per_gb: pythonRound(input.gbProcessed > 0 ? total / input.gbProcessed : 0, 2),
      cost_per_gigapixel: pixelsUnknown > 0
        ? null
        : pythonRound(gigapixels > 0 ? total / gigapixels : 0, 4),
    },
    costs_by_service: byService,
    time_period: { start: pythonIsoformat(input.start), end: pythonIsoformat(input.stop) },
  };
}
