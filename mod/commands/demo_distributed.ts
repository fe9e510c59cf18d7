/**
 * `osml-load demo --generators N`: the distributed flow of `run --generators N`
 * on one machine. The demo's simulator runs each ECS task as a local
 * `deno run main.ts run …` process (in `<out>/generators/`: each generator's
 * own outputs in `gen-<index>/`, each task's console output in
 * `tasks/<task-id>.log`); the generators upload their results to the
 * simulator's result bucket, and the merged outputs land in `--out`.
 *
 * Each generator reads its own status queue (subscribed, without a filter, to
 * the simulated Model Runner's status topic, as SNS fans one stream out to
 * many readers), so no generator takes another's statuses.
 *
 * @example
 * Not run as a test: it starts a `deno run main.ts run` process per generator, a run of minutes.
 * ```ts ignore
 * import { resolveRun } from "../config/run_settings.ts";
 * import { startSimulator } from "../sim/simulator.ts";
 * import { demoTaskRunner, runDistributedDemo } from "./demo_distributed.ts";
 * const sim = await startSimulator({ port: 0, taskRunner: demoTaskRunner("demo-output") });
 * const { settings, options } = resolveRun({ generators: "3" }, sim.env);
 * const code = await runDistributedDemo({ sim, settings, options, out: "demo-output" });
 * await sim.close();
 * ```
 * @module
 */
import { join, resolve } from "node:path";
import type { ResolvedOptions } from "../config/resolve_options.ts";
import type { RunSettings } from "../config/run_settings.ts";
import { ExitCode } from "../exit_codes.ts";
import { localDenoTaskRunner } from "../sim/aws/local_deno_task_runner.ts";
import { STOCK_NAMES } from "../sim/model_runner/seed.ts";
import type { Simulator, TaskRunner } from "../sim/simulator.ts";
import { UsageError } from "../usage_error.ts";
import { RUNTIME_V8_FLAGS } from "../runtime_flags.ts";
import { distributeRun } from "./distribute.ts";

/** The folder below `--out` where the generators run. */
export const GENERATORS_FOLDER = "generators";

/**
 * The Deno flags of each generator process: the V8 flags of every osml-load process, and the
 * permissions of `deno task run` with the network limited to the simulator.
 */
export const GENERATOR_DENO_FLAGS: readonly string[] = [
  RUNTIME_V8_FLAGS,
  "--allow-net=127.0.0.1,localhost",
  "--allow-env",
  "--allow-read",
  "--allow-write",
  "--allow-sys=osRelease,homedir,systemMemoryInfo",
];

/**
 * The task runner of the demo's simulator: each task is `deno run main.ts …`
 * in `<out>/generators/`. Throws a {@linkcode UsageError} when this process
 * may not start Deno (`--allow-run`).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { startSimulator } from "../sim/simulator.ts";
 * import { demoTaskRunner } from "./demo_distributed.ts";
 * const out = await Deno.makeTempDir();
 * const sim = await startSimulator({ port: 0, taskRunner: demoTaskRunner(out) });
 * assert.match(sim.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
 * await sim.close();
 * await Deno.remove(out, { recursive: true });
 * ```
 */
export function demoTaskRunner(out: string): TaskRunner {
  let state: Deno.PermissionState = "denied";
  try {
    state = Deno.permissions.querySync({ name: "run", command: Deno.execPath() }).state;
  } catch {
    // no permission API: treat as denied
  }
  if (state !== "granted") {
    throw new UsageError(
      "the demo with --generators starts each generator as a Deno process: run it with " +
        "--allow-run (deno task demo has it)",
    );
  }
  const cwd = resolve(out, GENERATORS_FOLDER);
  return localDenoTaskRunner({
    // The program that is running (main.ts from source, the single file of a bundle).
    mainTs: new URL(Deno.mainModule),
    permissions: GENERATOR_DENO_FLAGS,
    env: { AWS_EC2_METADATA_DISABLED: "true", NO_COLOR: "1" },
    cwd,
    logDir: join(cwd, "tasks"),
  });
}

/** What {@linkcode runDistributedDemo} needs. */
export interface DistributedDemoOptions {
  /** The demo's simulator, started with {@linkcode demoTaskRunner}. */
  sim: Simulator;
  settings: RunSettings;
  options: ResolvedOptions;
  /** The `--out` folder. */
  out: string;
  /** Stops the generators (the demo's Ctrl-C). */
  signal?: AbortSignal;
}

/** The subnet the demo's generator tasks are placed in (the simulator checks only that one is given). */
export const DEMO_SUBNET = "subnet-0demo000000000000";

/** The status queue of generator `index` in the demo's simulator. */
export function demoStatusQueue(index: number): string {
  return `osml-load-demo-gen-${index}-status`;
}

/**
 * Run the distributed demo against `sim`. Returns, as the demo does, 0 when
 * the tool worked (the simulator fails some jobs on purpose, and thresholds
 * are only shown), 1 when the result is partial (a generator died), 4 when
 * nothing could be merged, 130 when interrupted.
 */
export async function runDistributedDemo(o: DistributedDemoOptions): Promise<number> {
  const { sim, settings } = o;
  const count = o.options.values.generators ?? 1;
  if (!settings.dryRun) {
    await Deno.mkdir(resolve(o.out, GENERATORS_FOLDER), { recursive: true });
    for (let i = 0; i < count; i++) {
      sim.state.createQueue(demoStatusQueue(i), { visibilityTimeout: 30 });
      sim.state.subscribeQueue(STOCK_NAMES.statusTopic, demoStatusQueue(i));
    }
    console.error(
      `Each generator runs as a local process in ${join(o.out, GENERATORS_FOLDER)} ` +
        "(its console output in tasks/<task-id>.log)",
    );
  }
  // The seeded generator task definition uses awsvpc networking: RunTask needs a subnet.
  o.options.values.subnets ??= DEMO_SUBNET;
  settings.exitCodeOnError = ExitCode.Ok;
  settings.resultsTo = { bucket: `mr-bucket-sink-${sim.account}`, prefix: "osml-load-results/" };
  const code = await distributeRun({
    settings,
    options: o.options,
    handleSignals: false,
    ...(o.signal ? { signal: o.signal } : {}),
    pollMs: 1000,
    printOptions: false, // the demo printed them
    generatorOptions: (index) => ({ mrStatusQueue: demoStatusQueue(index) }),
    // A demo's run id is new each time, even when OSML_LOAD_RUN_ID is set.
    env: {},
  });
  if (settings.dryRun) return code;
  if (code !== ExitCode.ToolFailed && code !== ExitCode.UsageError) {
    const summaryPath = join(settings.logDir, "job_summary.json");
    try {
      // The cost report over the merged window, priced from what the simulator did.
      console.log("");
      const { runCost } = await import("./cost.ts");
      await runCost(
        { summary: summaryPath, output: join(o.out, "cost_report.json") },
        { env: settings.env },
      );
    } catch (error) {
      console.error(`cost report skipped: ${error instanceof Error ? error.message : error}`);
    }
    try {
      const summary = JSON.parse(await Deno.readTextFile(summaryPath));
      console.log("");
      console.log(
        `Demo finished: ${count} generator(s), merged into ${o.out}${
          summary.partial ? " (partial: see failed_generators in job_summary.json)" : ""
        }.`,
      );
      console.log(
        `Jobs: ${summary.total_image_sent} sent, ${summary.total_image_succeeded} succeeded, ` +
          `${summary.total_image_failed} failed (the simulator fails some on purpose).`,
      );
    } catch (error) {
      console.error(`no merged summary: ${error instanceof Error ? error.message : error}`);
    }
  }
  return code === ExitCode.ThresholdsFailed ? ExitCode.Ok : code;
}
