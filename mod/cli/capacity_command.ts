import type { Command } from "commander";
import { addRunOptions } from "./run_command.ts";

/**
 * Register `osml-load capacity`: find the highest arrival rate the deployment
 * sustains (bounded backlog, job-latency p95 under `--max-latency`).
 *
 * @example
 * ```ts
 * import { Command } from "commander";
 * import { registerCapacityCommand } from "./capacity_command.ts";
 * registerCapacityCommand(new Command("osml-load"));
 * ```
 */
export function registerCapacityCommand(program: Command): void {
  const capacity = program
    .command("capacity")
    .description(
      "find the sustainable throughput: step the arrival rate up until the backlog grows or the job latency passes --max-latency",
    )
    .option("--start-rate <rate>", "first rate, e.g. 30/min, 1/s (default 1/s)")
    .option("--step <rate>", "rate added each step (default: the start rate)")
    .option("--step-duration <duration>", "length of each step (default 2m)")
    .option("--max-latency <duration>", "highest acceptable job-latency p95 (default 10m)")
    .option("--max-fail-ratio <ratio>", "stop early when more jobs than this fail (default 0.1)")
    .option("--max-steps <n>", "most steps before giving up (default 30)")
    .addHelpText(
      "after",
      `
Examples:
  osml-load capacity --source-bucket s3://my-images --result-bucket s3://my-results \\
    --start-rate 60/h --step 60/h --step-duration 10m --max-latency 15m --users 50
Prints each step (target and achieved rate, backlog, p95, verdict) and the sustainable
images/hour, GB/hour and gigapixels/hour; writes capacity.json into --log-dir, and the
--html report gets a capacity chart. Users (default 20) carry the submissions.`,
    );
  addRunOptions(capacity).action(
    async (options: Record<string, string | boolean | string[] | undefined>, command: Command) => {
      const { capacityCommand } = await import("../commands/capacity.ts");
      Deno.exitCode = await capacityCommand(options, (name) => command.getOptionValueSource(name));
    },
  );
}
