/**
 * `osml-load demo`: start the simulator in this process, point the AWS
 * settings at it, run a short headless load test that waits for completion,
 * and write every output (JSON logs, Locust CSVs, HTML report, JSON stats)
 * into one folder.
 *
 * @example
 * ```ts ignore
 * import { demoCommand } from "./demo.ts";
 * Deno.exitCode = await demoCommand({ out: "demo-output" });
 * ```
 * @module
 */
import { join } from "node:path";
import { ExitCode } from "../exit_codes.ts";
import { resolveRun, type RunFlags } from "../config/run_settings.ts";
import { findConfigFile } from "../config/config_file.ts";
import { formatResolvedOptions } from "../config/format_options.ts";
import { runLoadTest } from "../engine/load_test.ts";
import { RunLog } from "../log/run_log.ts";
import { startSimulator } from "../sim/simulator.ts";
import { runCost } from "../cost/run_cost.ts";
import { Interrupt } from "../engine/interrupt.ts";

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
  let sim: Awaited<ReturnType<typeof startSimulator>>;
  try {
    sim = await startSimulator({
      region: DEMO_REGION,
      account: DEMO_ACCOUNT,
      modelRunner: { workers, msPerMegapixel },
    });
  } catch (error) {
    log.close();
    interrupt.dispose();
    throw error;
  }
  const saved = new Map<string, string | undefined>();
  try {
    for (const [name, value] of Object.entries(sim.env)) {
      saved.set(name, Deno.env.get(name));
      Deno.env.set(name, value);
    }
    console.error(
      `Simulator listening at ${sim.endpoint} (region ${sim.region}, account ${sim.account})`,
    );
    const result = await runLoadTest(settings, { handleSignals: false, signal: stop.signal, log });
    if (result.reason === "dry-run") return ExitCode.Ok;
    // The cost report over the simulator's Cost Explorer, priced from what it did.
    try {
      console.log("");
      await runCost({
        summary: join(settings.logDir, "job_summary.json"),
        output: join(out, "cost_report.json"),
      });
    } catch (error) {
      console.error(`cost report skipped: ${error instanceof Error ? error.message : error}`);
    }
    console.log("");
    console.log(`Demo finished (${result.reason}). Outputs in ${out}/:`);
    const names: string[] = [];
    for await (const entry of Deno.readDir(out)) if (entry.isFile) names.push(entry.name);
    for (const name of names.sort()) console.log(`  ${join(out, name)}`);
    console.log(
      `Jobs: ${result.jobs.total_image_sent} sent, ${result.jobs.total_image_succeeded} succeeded, ${result.jobs.total_image_failed} failed (the simulator fails some on purpose).`,
    );
    if (result.reason === "interrupted") return ExitCode.Interrupted;
    return result.reason === "fatal" ? ExitCode.RunFailed : ExitCode.Ok;
  } finally {
    log.close();
    interrupt.dispose();
    for (const [name, value] of saved) {
      if (value === undefined) Deno.env.delete(name);
      else Deno.env.set(name, value);
    }
    await sim.close();
  }
}
