import type { Command } from "commander";
import { ExitCode } from "../exit_codes.ts";

const HELP_EXAMPLES = `
Examples:
  # Cost of a run, from the summary it wrote (upstream's console table)
  osml-load cost logs/job_summary.json

  # Also save the report as JSON (upstream's keys)
  osml-load cost logs/job_summary.json --output cost_report.json

  # A window without a summary, only Model Runner's tagged resources, as CSV
  osml-load cost --start 2025-12-09T10:00:00Z --end 2025-12-09T12:00:00Z \\
    --tag Project=osml-model-runner --format csv

  # SageMaker and SQS only, daily, unblended
  osml-load cost logs/job_summary.json --service "Amazon SageMaker" \\
    --service "Amazon Simple Queue Service" --granularity DAILY --metric UnblendedCost

Notes:
  Cost Explorer is always queried in us-east-1 and needs the IAM permission
  ce:GetCostAndUsage. Its data can take 24-48 hours to appear, and it keeps
  hourly data for 14 days only (older windows fall back to DAILY, with a note).
  Summary times without a UTC offset (the original suite's) are read as local
  time. Set AWS_ENDPOINT_URL (or AWS_ENDPOINT_URL_COST_EXPLORER) to use the
  simulator (osml-load sim).
`;

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/**
 * Add the `cost` subcommand: the load test's cost report from Cost Explorer.
 * The implementation (`mod/commands/cost.ts`, the AWS SDK) is imported only
 * when the command runs; errors the user can fix end it with exit code 2.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { Command } from "commander";
 * import { registerCostCommand } from "./cost_command.ts";
 * const program = new Command("osml-load");
 * registerCostCommand(program);
 * const cost = program.commands[0]!;
 * assert.equal(cost.name(), "cost");
 * assert.ok(cost.description().includes("AWS Cost Explorer"));
 * ```
 */
export function registerCostCommand(program: Command): void {
  program
    .command("cost")
    .description(
      "Report what a load test cost: total, per hour, image, GB and gigapixel, and by\n" +
        "service, from AWS Cost Explorer over the run's window.",
    )
    .argument(
      "[summary]",
      "a job_summary.json written by a run (this tool's or the original suite's)",
    )
    .option(
      "-o, --output <path>",
      "also write the report to this file (JSON; CSV if it ends in .csv)",
    )
    .option("--start <time>", "window start, ISO-8601 (instead of the summary's start_time)")
    .option("--end <time>", "window end, ISO-8601 (instead of the summary's stop_time)")
    .option("--granularity <g>", "HOURLY or DAILY", "HOURLY")
    .option(
      "--metric <metric>",
      "BlendedCost, UnblendedCost, AmortizedCost, NetAmortizedCost or NetUnblendedCost",
      "BlendedCost",
    )
    .option(
      "--service <name>",
      "only this SERVICE, as Cost Explorer names it (repeatable)",
      collect,
    )
    .option(
      "--tag <key=value>",
      "only resources with this cost-allocation tag (repeatable)",
      collect,
    )
    .option("--format <format>", "standard output as table, json or csv", "table")
    .option(
      "--aws-timeout <duration>",
      "timeout of one Cost Explorer call (connect and answer)",
      "15s",
    )
    .option("--region <region>", "accepted for compatibility; Cost Explorer always uses us-east-1")
    .addHelpText("after", HELP_EXAMPLES)
    .action(async (summary: string | undefined, options: Record<string, unknown>) => {
      const { runCost } = await import("./cost.ts");
      const strings = (value: unknown) => (Array.isArray(value) ? value.map(String) : undefined);
      const string = (value: unknown) => (typeof value === "string" ? value : undefined);
      await runCost({
        summary,
        start: string(options["start"]),
        end: string(options["end"]),
        output: string(options["output"]),
        granularity: string(options["granularity"]),
        metric: string(options["metric"]),
        service: strings(options["service"]),
        tag: strings(options["tag"]),
        format: string(options["format"]),
        awsTimeout: string(options["awsTimeout"]),
      });
      Deno.exitCode = ExitCode.Ok;
    });
}
