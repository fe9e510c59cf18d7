import type { Command } from "commander";
import { parseDuration } from "../config/duration.ts";

const HELP_EXAMPLES = `
Examples:
  # What would be removed (nothing is)
  osml-load cleanup --dry-run

  # Remove what runs killed more than a day ago left, without asking
  osml-load cleanup --older-than 24h --yes

Notes:
  A run with --status-source subscription (the default when Model Runner's
  status topic is known) makes a private SQS queue osml-load-<run id>, tagged
  osml-load:run-id and osml-load:created, and subscribes it to the status
  topic; it removes both when it ends, also after Ctrl-C, SIGTERM or a failure.
  A run killed with SIGKILL (or out of memory) cannot: this command finds such
  queues and the subscriptions that deliver to them and removes them. Runs
  still going are younger than --older-than and keep theirs. Needs
  sqs:ListQueues, sqs:ListQueueTags, sqs:GetQueueAttributes, sqs:GetQueueUrl,
  sqs:DeleteQueue, sns:ListSubscriptions and sns:Unsubscribe.
`;

/**
 * Add the `cleanup` subcommand: remove the private status queues and
 * subscriptions killed runs left. The implementation
 * (`mod/commands/cleanup.ts`, the AWS SDK) is imported only when it runs.
 *
 * @example
 * ```ts
 * import { Command } from "commander";
 * import { registerCleanupCommand } from "./cleanup_command.ts";
 * const program = new Command("osml-load");
 * registerCleanupCommand(program);
 * if (!program.commands.some((c) => c.name() === "cleanup")) throw new Error("registered");
 * ```
 */
export function registerCleanupCommand(program: Command): void {
  program
    .command("cleanup")
    .description(
      "Remove the private status queues and SNS subscriptions that killed runs left\n" +
        "behind (one line per resource).",
    )
    .option(
      "--older-than <duration>",
      "only resources created at least this long ago: 30m, 1h, 24h (0s: everything)",
      "1h",
    )
    .option("--dry-run", "list what would be removed; remove nothing")
    .option("-y, --yes", "remove without asking (needed when standard input is not a terminal)")
    .option("--aws-region <region>", "AWS region (default: REGION, AWS_REGION, the profile's)")
    .option("--aws-timeout <duration>", "timeout of one AWS call", "15s")
    .addHelpText("after", HELP_EXAMPLES)
    .action(async (options: Record<string, unknown>) => {
      const olderThanS = parseDuration(String(options["olderThan"]), "--older-than");
      const awsTimeoutS = parseDuration(String(options["awsTimeout"]), "--aws-timeout");
      const { runCleanup } = await import("./cleanup.ts");
      Deno.exitCode = await runCleanup({
        olderThanS,
        dryRun: options["dryRun"] === true,
        yes: options["yes"] === true,
        region: typeof options["awsRegion"] === "string" ? options["awsRegion"] : undefined,
        awsTimeoutS: awsTimeoutS > 0 ? awsTimeoutS : 15,
      });
    });
}
