import type { Command } from "commander";
import { UsageError } from "../usage_error.ts";

const HELP_EXAMPLES = `
Examples:
  # Serve the simulated deployment on the default port; paste its export lines into
  # another shell and run a load test there (the buckets are exported too)
  osml-load sim
  osml-load run --headless --run-time 30s --users 5

  # Any free port, a slow Model Runner with 2 workers and 10 % failures
  osml-load sim --port 0 --workers 2 --ms-per-megapixel 200 --failure-rate 0.1

  # AWS only (no simulated Model Runner), with 5 % throttling and 100 ms latency
  osml-load sim --no-model-runner --throttle-rate 0.05 --latency-ms 100

Notes:
  The simulator speaks SQS, S3 (path-style), ECS, SageMaker, STS and Cost
  Explorer as the AWS SDK sends them, on 127.0.0.1 only. It seeds a stock Model
  Runner deployment: ImageRequestQueue (+ DLQ), ImageStatusQueue, the bucket
  osml-test-images-<account> of sample images, mr-bucket-sink-<account>, the
  ECS task definition and SageMaker endpoints centerpoint, aircraft, flood.
  Any credentials work (the export lines use test/test). The export lines also
  set S3_LOAD_TEST_SOURCE_IMAGE_BUCKET and S3_LOAD_TEST_RESULT_BUCKET to the
  seeded buckets.
`;

function numberOption(
  flag: string,
  rule: { min: number; max?: number; integer?: boolean },
): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    const ok = value.trim() !== "" && Number.isFinite(n) && n >= rule.min &&
      (rule.max === undefined || n <= rule.max) && (!rule.integer || Number.isInteger(n));
    if (!ok) {
      const range = rule.max === undefined ? `>= ${rule.min}` : `from ${rule.min} to ${rule.max}`;
      throw new UsageError(
        `${flag} must be ${
          rule.integer ? "an integer" : "a number"
        } ${range} (got "${value}"): pass e.g. ${flag} ${rule.max ?? rule.min + 1}`,
      );
    }
    return n;
  };
}

/** Parsed options of `osml-load sim`. */
export interface SimCommandOptions {
  port: number;
  dataDir?: string;
  region: string;
  account: string;
  workers?: number;
  msPerMegapixel?: number;
  fixedMs?: number;
  failureRate?: number;
  partialRate?: number;
  modelRunner: boolean;
  throttleRate?: number;
  errorRate?: number;
  latencyMs?: number;
  dropRate?: number;
}

/**
 * Add the `sim` subcommand: the embedded AWS + Model Runner simulator, served
 * until Ctrl-C. The implementation (`mod/sim/`) is imported only when it runs.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { Command } from "commander";
 * import { registerSimCommand } from "./sim_command.ts";
 * const program = new Command("osml-load");
 * registerSimCommand(program);
 * assert.equal(program.commands[0]?.name(), "sim");
 * ```
 */
export function registerSimCommand(program: Command): void {
  program
    .command("sim")
    .description(
      "Serve a local simulator of AWS (SQS, S3, ECS, SageMaker, STS, Cost Explorer) and\n" +
        "Model Runner, seeded like a stock deployment, until Ctrl-C.",
    )
    .option(
      "-p, --port <port>",
      "TCP port on 127.0.0.1 (0 = any free port)",
      numberOption("--port", { min: 0, max: 65535, integer: true }),
      4566,
    )
    .option(
      "--data-dir <dir>",
      "keep S3 objects in this folder (default: a temp folder removed on exit)",
    )
    .option("--region <region>", "the simulated region", "us-west-2")
    .option("--account <id>", "the simulated 12-digit account id", "123456789012")
    .option(
      "--workers <n>",
      "simulated Model Runner workers (default 4)",
      numberOption("--workers", { min: 0, integer: true }),
    )
    .option(
      "--ms-per-megapixel <ms>",
      "processing time per megapixel (default 20)",
      numberOption("--ms-per-megapixel", { min: 0 }),
    )
    .option(
      "--fixed-ms <ms>",
      "fixed processing time per image (default 200)",
      numberOption("--fixed-ms", { min: 0 }),
    )
    .option(
      "--failure-rate <p>",
      "share of jobs that end FAILED, 0-1 (default 0.02)",
      numberOption("--failure-rate", { min: 0, max: 1 }),
    )
    .option(
      "--partial-rate <p>",
      "share of jobs that end PARTIAL, 0-1 (default 0.02)",
      numberOption("--partial-rate", { min: 0, max: 1 }),
    )
    .option("--no-model-runner", "serve AWS only; nothing consumes the request queue")
    .option(
      "--throttle-rate <p>",
      "probability of a throttling error per request, 0-1",
      numberOption("--throttle-rate", { min: 0, max: 1 }),
    )
    .option(
      "--error-rate <p>",
      "probability of a 500 internal error per request, 0-1",
      numberOption("--error-rate", { min: 0, max: 1 }),
    )
    .option(
      "--latency-ms <ms>",
      "added latency on every request",
      numberOption("--latency-ms", { min: 0 }),
    )
    .option(
      "--drop-rate <p>",
      "probability of dropping the connection per request, 0-1",
      numberOption("--drop-rate", { min: 0, max: 1 }),
    )
    .addHelpText("after", HELP_EXAMPLES)
    .action(async (opts: SimCommandOptions) => {
      if (!/^\d{12}$/.test(opts.account)) {
        throw new UsageError(
          `--account must be 12 digits (got "${opts.account}"): pass e.g. --account 123456789012`,
        );
      }
      if ((opts.failureRate ?? 0.02) + (opts.partialRate ?? 0.02) > 1) {
        throw new UsageError(
          "--failure-rate plus --partial-rate must not exceed 1: lower one of them",
        );
      }
      const { serveSimulator } = await import("./sim.ts");
      const options: Parameters<typeof serveSimulator>[0] = simulatorOptionsFrom(opts);
      // With --allow-run (deno task sim has it), RunTask starts generators as local processes,
      // so `run --generators N` works against this simulator as against ECS.
      try {
        const { demoTaskRunner } = await import("./demo_distributed.ts");
        const folder = await Deno.makeTempDir({ prefix: "osml-sim-tasks-" });
        options.taskRunner = demoTaskRunner(folder);
      } catch {
        // no permission to start processes: ECS tasks fail to start, saying why
      }
      try {
        await serveSimulator(options);
      } catch (error) {
        if (error instanceof Deno.errors.AddrInUse) {
          const { UsageError } = await import("../usage_error.ts");
          throw new UsageError(
            `port ${options.port} on 127.0.0.1 is in use: stop the other program or pick another port with --port (0 for any free port)`,
          );
        }
        throw error;
      }
    });
}

/**
 * Turn parsed flags into simulator options.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { simulatorOptionsFrom } from "./sim_command.ts";
 * assert.deepEqual(
 *   simulatorOptionsFrom({
 *     port: 0, region: "us-west-2", account: "123456789012", modelRunner: true,
 *     workers: 2, throttleRate: 0.1,
 *   }),
 *   {
 *     port: 0, region: "us-west-2", account: "123456789012",
 *     modelRunner: { workers: 2 }, faults: { throttle: { probability: 0.1 } },
 *   },
 * );
 * ```
 */
export function simulatorOptionsFrom(opts: SimCommandOptions) {
  const runner: Record<string, number> = {};
  if (opts.workers !== undefined) runner.workers = opts.workers;
  if (opts.msPerMegapixel !== undefined) runner.msPerMegapixel = opts.msPerMegapixel;
  if (opts.fixedMs !== undefined) runner.fixedMs = opts.fixedMs;
  if (opts.failureRate !== undefined) runner.failureRate = opts.failureRate;
  if (opts.partialRate !== undefined) runner.partialRate = opts.partialRate;
  const faults: Record<string, { probability: number; ms?: number }> = {};
  if (opts.throttleRate) faults.throttle = { probability: opts.throttleRate };
  if (opts.errorRate) faults.internalError = { probability: opts.errorRate };
  if (opts.latencyMs) faults.latency = { probability: 1, ms: opts.latencyMs };
  if (opts.dropRate) faults.dropConnection = { probability: opts.dropRate };
  return {
    port: opts.port,
    region: opts.region,
    account: opts.account,
    ...(opts.dataDir !== undefined ? { dataDir: opts.dataDir } : {}),
    modelRunner: opts.modelRunner ? runner : false as const,
    faults,
  };
}
