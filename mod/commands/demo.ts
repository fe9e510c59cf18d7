/**
 * `osml-load demo`: start the simulator in this process, point the run's AWS
 * environment at it (not the process's), run a short headless load test that waits for completion,
 * and write every output (JSON logs, Locust CSVs, HTML report, JSON stats)
 * into one folder. With `--generators N`, the distributed flow of
 * `run --generators N` against the same simulator (`demo_distributed.ts`).
 *
 * @example
 * Not run as a test: the demo is a whole load test (about a minute) that writes a folder of outputs.
 * ```ts ignore
 * import { demoCommand } from "./demo.ts";
 * Deno.exitCode = await demoCommand({ out: "demo-output" });
 * ```
 * @module
 */
import { join } from "node:path";
import { ExitCode } from "../exit_codes.ts";
import { formatOutputsList } from "../output/outputs_list.ts";
import { consoleWidth } from "../output/console_tables.ts";
import { resolveRun, type RunFlags } from "../config/run_settings.ts";
import { findConfigFile } from "../config/config_file.ts";
import { formatResolvedOptions } from "../config/format_options.ts";
import { runLoadTest } from "../engine/load_test.ts";
import { RunLog } from "../log/run_log.ts";
import { startSimulator } from "../sim/simulator.ts";
import { withoutAwsVariables } from "../aws/client_config.ts";
import { runCost } from "./cost.ts";
import { Interrupt } from "../engine/interrupt.ts";
import { demoTaskRunner, runDistributedDemo } from "./demo_distributed.ts";

const DEMO_REGION = "us-west-2";
const DEMO_ACCOUNT = "123456789012";

/**
 * Run the demo; returns the exit code (0 when the tool worked). Its
 * defaults (5 users, 45 s, outputs in `--out`) come from the option table;
 * it is always headless, waits for completion, and uses its own simulator's
 * buckets, region and account.
 */
export async function demoCommand(flags: RunFlags): Promise<number> {
  const env = Deno.env.toObject();
  const { settings, options } = resolveRun(flags, env, {
    command: "demo",
    config: findConfigFile(flags, env),
    fixed: {
      headless: true,
      waitForCompletion: true,
      sourceBucket: `s3://osml-test-images-${DEMO_ACCOUNT}`,
      resultBucket: `s3://mr-bucket-sink-${DEMO_ACCOUNT}`,
      awsRegion: DEMO_REGION,
      awsAccount: DEMO_ACCOUNT,
    },
  });
  const { out, simWorkers: workers, msPerMegapixel } = options.values;
  // The demo shows the status line and the final tables; live tables only when asked for.
  if (options.sources.consoleInterval.kind === "default") settings.onlySummary = true;
  if (settings.dryRun) { for (const line of formatResolvedOptions(options)) console.log(line); }
  const log = new RunLog({
    verbose: settings.verbose,
    level: settings.logLevel,
    logFile: settings.logFile,
  });
  // Ctrl-C / SIGTERM while the simulator starts still ends the demo cleanly.
  const stop = new AbortController();
  const interrupt = Interrupt.listen((signal) => {
    console.error(`${signal} received: stopping the demo and writing outputs`);
    stop.abort();
  });
  const generators = options.values.generators;
  let sim: Awaited<ReturnType<typeof startSimulator>>;
  try {
    sim = await startSimulator({
      region: DEMO_REGION,
      account: DEMO_ACCOUNT,
      modelRunner: { workers, msPerMegapixel },
      // With --generators, ECS tasks run as local processes (demo_distributed.ts).
      ...(generators === undefined ? {} : { taskRunner: demoTaskRunner(out) }),
    });
  } catch (error) {
    log.close();
    interrupt.dispose();
    throw error;
  }
  // Every AWS client of the run reads the simulator's endpoint and static credentials from the
  // run's environment (the process environment is left alone); with static credentials the SDK
  // never looks at instance metadata. None of the user's AWS variables (a per-service endpoint,
  // a session token, a profile) comes along: they would override the simulator or reach it.
  settings.env = { ...withoutAwsVariables(env), ...sim.env };
  try {
    // Two short lines rather than one that wraps in an 80-column terminal.
    console.error(`Simulator listening at ${sim.endpoint}`);
    console.error(`  (region ${sim.region}, account ${sim.account})`);
    if (generators !== undefined) {
      return await runDistributedDemo({ sim, settings, options, out, signal: stop.signal });
    }
    const result = await runLoadTest(settings, {
      handleSignals: false,
      signal: stop.signal,
      log,
      onStopOverrun: () => {
        console.error("error: the demo did not wind down within --stop-timeout: exiting");
        Deno.exit(ExitCode.Interrupted);
      },
    });
    if (result.reason === "dry-run") return ExitCode.Ok;
    // The cost report over the simulator's Cost Explorer, priced from what it did.
    const files = [...result.files];
    try {
      console.log("");
      const costPath = join(out, "cost_report.json");
      await runCost(
        { summary: join(settings.logDir, "job_summary.json"), output: costPath },
        { env: settings.env },
      );
      files.push(costPath);
    } catch (error) {
      console.error(`cost report skipped: ${error instanceof Error ? error.message : error}`);
    }
    console.log("");
    console.log(`Demo finished (${result.reason}).`);
    const kinds: Record<string, string> = {};
    if (settings.jsonPath) kinds[settings.jsonPath] = "statistics (JSON)";
    for (const line of formatOutputsList(files, { width: consoleWidth(), kinds })) {
      console.log(line);
    }
    console.log(
      `Jobs: ${result.jobs.total_image_sent} sent, ${result.jobs.total_image_succeeded} succeeded, ${result.jobs.total_image_failed} failed (the simulator fails some on purpose).`,
    );
    // The tool worked unless it failed or was interrupted (the simulator fails jobs on purpose).
    return result.exitCode === ExitCode.ToolFailed || result.exitCode === ExitCode.Interrupted
      ? result.exitCode
      : ExitCode.Ok;
  } finally {
    log.close();
    interrupt.dispose();
    await sim.close();
  }
}
