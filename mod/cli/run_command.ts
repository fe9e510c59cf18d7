import { type Command, Option } from "commander";
import { defaultMaxWorkers } from "../config/default_max_workers.ts";

/**
 * Add every option of a load test to `command` (shared by `run` and `demo`).
 * Names, defaults and environment fallbacks are the original suite's
 * (upstream-behaviour.md §2), plus this tool's additions.
 *
 * @example
 * ```ts
 * import { Command } from "commander";
 * import { addRunOptions } from "./run_command.ts";
 * addRunOptions(new Command("run")).helpInformation().includes("--source-bucket"); // true
 * ```
 */
export function addRunOptions(command: Command): Command {
  const collect = (value: string, previous: string[] = []) => [...previous, value];
  return command
    .option(
      "--source-bucket <s3-url>",
      "S3 bucket (and optional prefix) of test images [env S3_LOAD_TEST_SOURCE_IMAGE_BUCKET, S3_SOURCE_IMAGE_BUCKET]",
    )
    .option(
      "--result-bucket <s3-url>",
      "S3 bucket for results [env S3_LOAD_TEST_RESULT_BUCKET, S3_RESULT_BUCKET]",
    )
    .option(
      "--model-name <name>",
      "SageMaker endpoint/model name [env SM_LOAD_TEST_MODEL] (default: centerpoint)",
    )
    .option("-u, --users <n>", "number of concurrent users", "1")
    .option("-r, --spawn-rate <n>", "users started per second", "1")
    .option(
      "--processing-window-min <minutes>",
      "load window in minutes, fractions allowed [env PROCESSING_WINDOW_MIN] (default: 1)",
    )
    .option(
      "-t, --run-time <duration>",
      "load window as Locust's --run-time: 90s, 10m, 1h30m (overrides --processing-window-min)",
    )
    .option("--headless", "no web UI: print Locust's console tables instead")
    .addOption(
      new Option("--web-host <host>", "web UI address (upstream's default was 0.0.0.0)")
        .env("OSML_LOAD_WEB_HOST")
        .default("127.0.0.1"),
    )
    .option("--web-port <port>", "web UI port", "8089")
    .option(
      "--web-auth <user:pass>",
      "ask for this user and password (HTTP basic auth) on every web UI page; use it whenever the UI is reachable from other machines [env OSML_LOAD_WEB_AUTH]",
    )
    .option("--verbose", "log DEBUG messages")
    .option(
      "--output <prefix>",
      "write Locust CSV files PREFIX_stats.csv, _stats_history.csv, _failures.csv, _exceptions.csv",
    )
    .option(
      "--csv-full-history",
      "append every entry, not only Aggregated, to PREFIX_stats_history.csv",
    )
    .option("--html <file>", "write a self-contained HTML report")
    .option("--json <file>", "write the final statistics as JSON")
    .option("--junit <file>", "write the --threshold verdicts as JUnit XML, one test case each")
    .option(
      "--stats-interval <seconds>",
      "seconds between job statistics and JSON log rewrites",
      "30",
    )
    .option("--console-interval <seconds>", "seconds between live console tables (headless)", "2")
    .option("--only-summary", "no live console tables, only the final ones (headless)")
    .option("--log-dir <dir>", "folder for job_status.json, job_summary.json, job_log.log", "logs")
    .option("--wait-for-completion", "after the window, wait for every submitted job to finish")
    .option(
      "--completion-timeout <duration>",
      "longest wait for completion; open jobs are then timed out",
      "30m",
    )
    .option("--job-timeout <duration>", "longest wait of a submit-and-wait user for one job", "15m")
    .option(
      "--aws-account <id>",
      "AWS account that owns the queues (default: from the task definition, ACCOUNT, or STS)",
    )
    .option(
      "--aws-region <region>",
      "AWS region (default: REGION, AWS_DEFAULT_REGION, AWS_REGION, profile, us-west-2)",
    )
    .option(
      "--mr-input-queue <name>",
      "Model Runner request queue name (default: the task definition's IMAGE_QUEUE)",
    )
    .option(
      "--mr-status-queue <name>",
      "status queue name (default: from the task definition, else derived)",
    )
    .option(
      "--test-imagery-location <s3-url>",
      "images for the random and predefined users (default s3://osml-test-images-<account>)",
    )
    .option(
      "--test-results-location <s3-url>",
      "results for the random and predefined users (default s3://mr-bucket-sink-<account>)",
    )
    .option("--request-file <file>", "JSON array of image requests for the predefined user")
    .option(
      "--include-all-endpoints",
      "random user: use every SageMaker endpoint, not only InService ones",
    )
    .option(
      "--user-class <kinds>",
      "user kind(s): load-test (default), predefined, random; or weighted: predefined:3,random:1",
    )
    .option("--max-workers <n>", `most user workers (default ${defaultMaxWorkers()}: one per core)`)
    .option(
      "--keep-foreign-status",
      "leave status messages of other runs' jobs on the queue (upstream deletes them)",
    )
    .option(
      "--threshold <expr>",
      'pass/fail rule, repeatable: "Submit Image:p95<500", "fail_ratio<0.01"',
      collect,
    )
    .option(
      "--exit-code-on-error <code>",
      "exit code when any failure or exception was recorded",
      "1",
    )
    .option("--wait-min <seconds>", "shortest wait between a fire-and-forget user's jobs", "1")
    .option("--wait-max <seconds>", "longest wait between a fire-and-forget user's jobs", "3")
    .option(
      "--shape <name>",
      "load shape: window (default: hold --users for the window), stages, burst, rate (open model)",
    )
    .option("--stages <list>", 'stages shape: DURATION:USERS ramps, e.g. "2m:10,5m:50,2m:0"')
    .option("--burst-period <duration>", "burst shape: period (default 600s)")
    .option("--burst-min <users>", "burst shape: users between bursts (default 5)")
    .option("--burst-peak <users>", "burst shape: users at the peak (default 40)")
    .option("--burst-std <duration>", "burst shape: width of a burst (default period/10)")
    .option(
      "--burst-mean <duration>",
      "burst shape: time of the peak in each period (default period/2)",
    )
    .option(
      "--rate <rate>",
      "open model: submit jobs on a clock, e.g. 120/min, 2/s, 7200/h (implies --shape rate)",
    )
    .option("--rate-stages <list>", 'open model: ramped rates, e.g. "5m:60/min,10m:240/min"')
    .option(
      "--max-lateness <duration>",
      "open model: drop a submission that waited this long for a free user",
      "30s",
    )
    .option(
      "--stop-timeout <duration>",
      "longest graceful stop after the window, Ctrl-C or SIGTERM; then outputs are written and the tool exits",
      "10s",
    )
    .option(
      "--aws-timeout <duration>",
      "timeout of one AWS call (connect and answer); long polls add their wait time",
      "15s",
    )
    .option("--dry-run", "print the resolved configuration and plan, then exit")
    .addOption(
      new Option("--host <url>", "accepted and ignored (for the original suite's scripts)")
        .hideHelp(),
    );
}

/**
 * Register `osml-load run`: a load test against a deployed Model Runner.
 *
 * @example
 * ```ts
 * import { Command } from "commander";
 * import { registerRunCommand } from "./run_command.ts";
 * registerRunCommand(new Command("osml-load"));
 * ```
 */
export function registerRunCommand(program: Command): void {
  const run = program
    .command("run")
    .description(
      "run a load test against a deployed Model Runner (configured from its ECS task definition)",
    )
    .addHelpText(
      "after",
      `
Examples:
  osml-load run --headless --source-bucket s3://my-images --result-bucket s3://my-results \\
    --model-name centerpoint --users 5 --spawn-rate 1 --processing-window-min 10
  osml-load run --headless --run-time 90s --users 20 --output out/run --html out/report.html
  osml-load run --dry-run --source-bucket s3://my-images --result-bucket s3://my-results

Exit codes: 0 ok, 1 failures recorded, 2 usage or configuration error, 3 thresholds failed, 130 interrupted.`,
    );
  addRunOptions(run).action(
    async (options: Record<string, string | boolean | string[] | undefined>) => {
      const { runCommand } = await import("../commands/run.ts");
      Deno.exitCode = await runCommand(options);
    },
  );
}
