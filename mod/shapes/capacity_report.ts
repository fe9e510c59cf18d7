import type { CapacityStep } from "../output/run_report.ts";
import type { CapacityResult } from "./capacity_shape.ts";

/**
 * The capacity search's steps and result as console lines.
 *
 * @example
 * ```ts
 * import { formatCapacityReport } from "./capacity_report.ts";
 * formatCapacityReport([], { rate: 0, ended: "stopped", imagesPerHour: 0, gbPerHour: 0, gigapixelsPerHour: 0 });
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
  for (const s of steps) {
    lines.push(
      `${String(s.step).padStart(5)}  ${s.targetRate.toFixed(3).padStart(8)}  ${
        s.achievedRate.toFixed(3).padStart(10)
      }  ${`${s.backlogStart}→${s.backlogEnd}`.padStart(17)}  ${
        String(s.latencyP95Ms ?? "-").padStart(12)
      }  ${s.failRatio.toFixed(3).padStart(10)}  ${s.verdict}`,
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
