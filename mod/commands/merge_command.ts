import type { Command } from "commander";

const HELP_EXAMPLES = `
Examples:
  # Two generators run by hand, each with its own --log-dir
  osml-load merge out/gen0/logs out/gen1/logs --html merged/report.html

  # Every generator of a distributed run, from S3; 3 were started
  osml-load merge s3://my-results/osml-load/run-7/ --generators 3 --json merged/stats.json

  # Also the cost report over the merged window
  osml-load merge out/ --cost merged/cost_report.json

Notes:
  Each run writes osml-load-stats.json into its --log-dir; a SOURCE may hold one or
  several (every one found below it is a generator). Histograms are added as Locust's
  master adds its workers', so merged percentiles equal those of one run that saw every
  request. Writes job_status.json, job_summary.json and osml-load-stats.json into
  --log-dir, and the Locust CSV files under --output.
  Exit codes: 0 merged; 1 merged but partial (a generator missing or not finished);
  2 bad input.
`;

/**
 * Add the `merge` subcommand. The implementation (`mod/commands/merge.ts`)
 * is imported only when the command runs.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { Command } from "commander";
 * import { registerMergeCommand } from "./merge_command.ts";
 * const program = new Command("osml-load");
 * registerMergeCommand(program);
 * assert.equal(program.commands[0]?.name(), "merge");
 * ```
 */
export function registerMergeCommand(program: Command): void {
  program
    .command("merge")
    .description(
      "Merge several generators' results (local folders or s3:// prefixes) into the\n" +
        "outputs of one run: CSV files, job status and summary, HTML, JSON, cost.",
    )
    .argument("<source...>", "a run's --log-dir, a folder above several, or s3://bucket/prefix/")
    .option("-o, --output <prefix>", "CSV file prefix (default: LOG_DIR/osml-load)")
    .option("--html <file>", "also write the HTML report")
    .option("--json <file>", "also write the final statistics as JSON")
    .option(
      "--log-dir <dir>",
      "folder for job_status.json, job_summary.json, osml-load-stats.json",
      "merged",
    )
    .option("--cost <file>", "also write the cost report over the merged window (Cost Explorer)")
    .option("--generators <n>", "how many generators the run had; the absent ones are reported")
    .option("--aws-region <region>", "region of the S3 sources (default: the environment's)")
    .option("--aws-timeout <duration>", "timeout of one AWS call (connect and answer)", "15s")
    .addHelpText("after", HELP_EXAMPLES)
    .action(async (sources: string[], options: Record<string, unknown>) => {
      const { mergeCommand } = await import("./merge.ts");
      const string = (value: unknown) => (typeof value === "string" ? value : undefined);
      Deno.exitCode = await mergeCommand({
        sources,
        output: string(options["output"]),
        html: string(options["html"]),
        json: string(options["json"]),
        logDir: string(options["logDir"]),
        cost: string(options["cost"]),
        generators: string(options["generators"]),
        awsRegion: string(options["awsRegion"]),
        awsTimeout: string(options["awsTimeout"]),
      });
    });
}
