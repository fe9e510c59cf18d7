/**
 * `osml-load demo`: start the simulator in this process, point the AWS
 * settings at it, run a short headless load test that waits for completion,
 * and write every output (JSON logs, Locust CSVs, HTML report, JSON stats)
 * into one folder.
 *
 * @example
 * ```ts ignore
 * import { demoCommand } from "./demo.ts";
 * Deno.exitCode = await demoCommand({ out: "demo-output" }, () => undefined);
 * ```
 * @module
 */
import { join } from "node:path";
import { ExitCode } from "../exit_codes.ts";
import { formatOutputsList } from "../output/outputs_list.ts";
import { consoleWidth } from "../output/console_tables.ts";
import { parseCount, parsePositiveNumber } from "../config/duration.ts";
import { resolveRunSettings, type RunFlags } from "../config/run_settings.ts";
import { runLoadTest } from "../engine/load_test.ts";
import { startSimulator } from "../sim/simulator.ts";
import { runCost } from "../cost/run_cost.ts";
import { Interrupt } from "../engine/interrupt.ts";

/** Where an option value came from (commander's `getOptionValueSource`). */
type SourceOf = (name: string) => string | undefined;

/** Run the demo; returns the exit code (0 when the tool worked). */
export async function demoCommand(flags: RunFlags, sourceOf: SourceOf): Promise<number> {
  const out = typeof flags.out === "string" ? flags.out : "demo-output";
  const workers = parseCount(String(flags.simWorkers ?? "4"), "--sim-workers", 1);
  const msPerMegapixel = parsePositiveNumber(
    String(flags.msPerMegapixel ?? "5"),
    "--ms-per-megapixel",
    true,
  );
  // Ctrl-C / SIGTERM while the simulator starts still ends the demo cleanly.
  const stop = new AbortController();
  const interrupt = Interrupt.listen((signal) => {
    console.error(`${signal} received: stopping the demo and writing outputs`);
    stop.abort();
  });
  const sim = await startSimulator({ modelRunner: { workers, msPerMegapixel } });
  const saved = new Map<string, string | undefined>();
  try {
    // Static credentials from the simulator, and never a look at instance metadata.
    for (const [name, value] of Object.entries({ ...sim.env, AWS_EC2_METADATA_DISABLED: "true" })) {
      saved.set(name, Deno.env.get(name));
      Deno.env.set(name, value);
    }
    // Demo defaults, unless the user gave the option.
    const given = (name: string) => sourceOf(name) === "cli";
    const demoFlags: RunFlags = {
      ...flags,
      headless: true,
      sourceBucket: flags.sourceBucket ?? `s3://osml-test-images-${sim.account}`,
      resultBucket: flags.resultBucket ?? `s3://mr-bucket-sink-${sim.account}`,
      users: given("users") ? flags.users : "5",
      spawnRate: given("spawnRate") ? flags.spawnRate : "5",
      runTime: flags.runTime ?? (flags.processingWindowMin ? undefined : "45s"),
      waitForCompletion: true,
      completionTimeout: given("completionTimeout") ? flags.completionTimeout : "2m",
      // The status line and the final tables; live tables only when --console-interval asks.
      consoleInterval: given("consoleInterval") ? flags.consoleInterval : "5",
      onlySummary: flags.onlySummary === true || !given("consoleInterval"),
      logDir: given("logDir") ? flags.logDir : out,
      output: flags.output ?? join(out, "osml-load"),
      html: flags.html ?? join(out, "report.html"),
      json: flags.json ?? join(out, "stats.json"),
    };
    const env = { ...Deno.env.toObject() };
    for (
      const name of [
        "S3_LOAD_TEST_SOURCE_IMAGE_BUCKET",
        "S3_SOURCE_IMAGE_BUCKET",
        "S3_LOAD_TEST_RESULT_BUCKET",
        "S3_RESULT_BUCKET",
        "TASK_DEFINITION_PATTERN",
      ]
    ) delete env[name];
    const settings = resolveRunSettings(demoFlags, env);
    // Two short lines rather than one that wraps in an 80-column terminal.
    console.error(`Simulator listening at ${sim.endpoint}`);
    console.error(`  (region ${sim.region}, account ${sim.account})`);
    const result = await runLoadTest(settings, {
      handleSignals: false,
      signal: stop.signal,
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
      await runCost({ summary: join(settings.logDir, "job_summary.json"), output: costPath });
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
    interrupt.dispose();
    for (const [name, value] of saved) {
      if (value === undefined) Deno.env.delete(name);
      else Deno.env.set(name, value);
    }
    await sim.close();
  }
}
