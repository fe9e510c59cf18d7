import type { Command } from "commander";
import type { RunFlags } from "../config/run_settings.ts";
import { addTableOptions } from "./command_options.ts";

/**
 * Register `osml-load capacity`: find the highest arrival rate the deployment
 * sustains (bounded backlog, job-latency p95 under `--max-latency`). Its
 * options and their capacity defaults come from the option table.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { Command } from "commander";
 * import { registerCapacityCommand } from "./capacity_command.ts";
 * const program = new Command("osml-load");
 * registerCapacityCommand(program);
 * assert.match(program.commands[0]!.helpInformation(), /--start-rate/);
 * ```
 */
export function registerCapacityCommand(program: Command): void {
  const capacity = program
    .command("capacity")
    .description(
      "find the sustainable throughput: step the arrival rate up until the backlog grows or the job latency passes --max-latency",
    )
    .addHelpText(
      "after",
      `
Examples:
  osml-load capacity --source-bucket s3://my-images --result-bucket s3://my-results \\
    --start-rate 60/h --step 60/h --step-duration 10m --max-latency 15m --users 50
Prints each step (target and achieved rate, backlog, p95, verdict) and the sustainable
images/hour, GB/hour and gigapixels/hour; writes capacity.json into --log-dir, and the
--html report gets a capacity chart. It always runs headless; the users carry the submissions.`,
    );
  addTableOptions(capacity, "capacity").action(async (options: RunFlags) => {
    const { capacityCommand } = await import("./capacity.ts");
    Deno.exitCode = await capacityCommand(options);
  });
}
