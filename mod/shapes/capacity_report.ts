import type { CapacityStep } from "../model/run_report.ts";
import type { CapacityResult } from "./capacity_shape.ts";

/**
 * The capacity search's steps and result as console lines. An unknown backlog shows as `?`,
 * and the steps decided on latency alone are named.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { formatCapacityReport } from "./capacity_report.ts";
 * const lines = formatCapacityReport([], {
 *   rate: 0, ended: "stopped", imagesPerHour: 0, gbPerHour: 0, gigapixelsPerHour: 0,
 * });
 * assert.equal(lines.at(-2), "Sustainable throughput: 0.000 jobs/s (stopped before the search ended)");
 * ```
 */
export function formatCapacityReport(
  steps: readonly CapacityStep[],
  result: CapacityResult,
): string[] {
  const lines = [
    "",
    "Capacity search",
    " step  target/s  achieved/s  backlog start→end  job p95 (ms)  fail ratio  verdict",
  ];
  const backlog = (n: number | null) => n === null ? "?" : String(n);
  for (const s of steps) {
    lines.push(
      `${String(s.step).padStart(5)}  ${s.targetRate.toFixed(3).padStart(8)}  ${
        s.achievedRate.toFixed(3).padStart(10)
      }  ${`${backlog(s.backlogStart)}→${backlog(s.backlogEnd)}`.padStart(17)}  ${
        String(s.latencyP95Ms ?? "-").padStart(12)
      }  ${s.failRatio.toFixed(3).padStart(10)}  ${s.verdict}${
        s.decidedOn === "latency" ? " (latency only)" : ""
      }`,
    );
  }
  const unknown = steps.filter((s) => s.backlogUnknown).map((s) => s.step);
  if (unknown.length > 0) {
    lines.push(
      `  backlog unknown (?) in step(s) ${unknown.join(", ")}: those steps were decided on ` +
        "job latency alone (an unknown backlog is never taken for 0)",
    );
  }
  const why: Record<CapacityResult["ended"], string> = {
    found: "confirmed",
    failures: "stopped early: failures above --max-fail-ratio",
    "below-start": "even the start rate was not sustainable: lower --start-rate",
    "max-steps": "never saturated within --max-steps: raise --step or --max-steps",
    generator:
      "stopped: the generator could not submit the target rate; raise --users (or --max-workers)",
    stopped: "stopped before the search ended",
  };
  lines.push(
    "",
    `Sustainable throughput: ${result.rate.toFixed(3)} jobs/s (${why[result.ended]})`,
    `  ${result.imagesPerHour.toFixed(0)} images/hour, ${result.gbPerHour.toFixed(2)} GB/hour, ${
      result.gigapixelsPerHour.toFixed(2)
    } gigapixels/hour`,
  );
  return lines;
}
