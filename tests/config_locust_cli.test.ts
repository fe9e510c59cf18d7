// A Locust user's command line is accepted as typed and runs against the simulator; the demo
// and capacity dry runs show their own defaults and where every value came from.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { Command } from "commander";
import { addTableOptions } from "../mod/commands/command_options.ts";
import { resolveRunSettings, type RunFlags } from "../mod/config/run_settings.ts";
import { withSimulator } from "./engine_test_support.ts";
import { RUN_PERMISSIONS, startTool } from "./run_test_support.ts";

const LOCUST_LINE = ["-u", "5", "-r", "1", "-t", "30s", "--headless", "--csv", "out/x"];
const LOCUST_TAIL = ["--html", "out/r.html", "-L", "DEBUG"];

/**
 * Run the tool as a person types it, in the folder `cwd` with `env` added to the environment
 * (a child process: the working folder and the environment are process-wide).
 */
async function typed(
  cwd: string,
  env: Record<string, string>,
  args: string[],
): Promise<{ code: number; out: string[]; err: string }> {
  const { code, stdout, stderr } = await startTool(args, env, 120_000, RUN_PERMISSIONS, cwd).done;
  return { code, out: stdout.split("\n"), err: stderr };
}

Deno.test("a Locust command line parses to the same settings Locust would use", async () => {
  let flags: RunFlags = {};
  const run = addTableOptions(new Command("run"), "run").action((options: RunFlags) => {
    flags = options;
  });
  await run.parseAsync([...LOCUST_LINE, ...LOCUST_TAIL, "-H", "http://ignored"], {
    from: "user",
  });
  const settings = resolveRunSettings(flags, {
    S3_LOAD_TEST_SOURCE_IMAGE_BUCKET: "s3://images",
    S3_LOAD_TEST_RESULT_BUCKET: "s3://results",
  });
  assert.equal(settings.users, 5);
  assert.equal(settings.spawnRate, 1);
  assert.equal(settings.windowS, 30);
  assert.equal(settings.headless, true);
  assert.equal(settings.csvPrefix, "out/x");
  assert.equal(settings.htmlPath, "out/r.html");
  assert.equal(settings.logLevel, "DEBUG");
  assert.equal(settings.verbose, true);
  assert.equal(settings.sourceBucket?.bucket, "images");
  // The other Locust flags are accepted too.
  await run.parseAsync(
    [
      "--autostart",
      "--autoquit",
      "10",
      "--only-summary",
      "--reset-stats",
      "--stop-timeout",
      "5s",
      "--junit",
      "out/junit.xml",
      "--logfile",
      "out/locust.log",
      "--loglevel",
      "warning",
    ],
    { from: "user" },
  );
  const more = resolveRunSettings(
    { ...flags, sourceBucket: "s3://a-b", resultBucket: "s3://c-d" },
    {},
  );
  assert.equal(more.autostart, true);
  assert.equal(more.autoquitS, 10);
  assert.equal(more.onlySummary, true);
  assert.equal(more.resetStats, true);
  assert.equal(more.stopTimeoutS, 5);
  assert.equal(more.junitPath, "out/junit.xml");
  assert.equal(more.logFile, "out/locust.log");
  assert.equal(more.logLevel, "WARNING");
});

Deno.test("the Locust command line runs unchanged (but for a shorter -t) against the simulator", async () => {
  await withSimulator({
    modelRunner: { msPerMegapixel: 0.05, fixedMs: 20, failureRate: 0, partialRate: 0 },
  }, async (sim, dir) => {
    const args = ["run", ...LOCUST_LINE, ...LOCUST_TAIL, "--logfile", "locust.log"];
    args[args.indexOf("30s")] = "3s";
    const { code, err } = await typed(dir, {
      ...sim.env,
      S3_LOAD_TEST_SOURCE_IMAGE_BUCKET: `s3://osml-test-images-${sim.account}`,
      S3_LOAD_TEST_RESULT_BUCKET: `s3://mr-bucket-sink-${sim.account}`,
    }, args);
    assert.equal(code, 0, err);
    for (const file of ["out/x_stats.csv", "out/x_stats_history.csv", "out/r.html"]) {
      assert.ok(existsSync(`${dir}/${file}`), `${file} was not written`);
    }
    const stats = await Deno.readTextFile(`${dir}/out/x_stats.csv`);
    assert.match(stats, /^Type,Name,Request Count/);
    assert.match(stats, /Submit Image/);
    const jobLog = await Deno.readTextFile(`${dir}/logs/job_log.log`);
    const locustLog = await Deno.readTextFile(`${dir}/locust.log`);
    assert.match(jobLog, / - osml_load\.engine - INFO - Started background status monitor/);
    // --logfile gets the same lines (the level itself is checked in config_file.test.ts).
    assert.match(locustLog, / - osml_load\.engine - INFO - Started background status monitor/);
    assert.match(locustLog, / - osml_load\.job_tracker - INFO - Total Images Sent: \d+/);
  });
});

Deno.test("demo --dry-run: the demo's defaults, its own values, and where each came from", async () => {
  const dir = await Deno.makeTempDir({ prefix: "osml-load-demo-dry-" });
  try {
    await Deno.writeTextFile(`${dir}/osml-load.conf`, "stats-interval = 3\n");
    const { code, out, err } = await typed(
      dir,
      { OSML_LOAD_SPAWN_RATE: "2" },
      ["demo", "--dry-run", "-t", "20s", "--out", "o"],
    );
    assert.equal(code, 0, err);
    const line = (key: string) =>
      out.find((l) => l.startsWith(`  ${key} `))?.replace(/\s+/g, " ").trim();
    assert.equal(line("users"), "users 5 default");
    assert.equal(line("spawn-rate"), "spawn-rate 2 env OSML_LOAD_SPAWN_RATE");
    assert.equal(line("run-time"), "run-time 20s flag --run-time");
    assert.equal(line("stats-interval"), "stats-interval 3 config osml-load.conf:1");
    assert.equal(line("completion-timeout"), "completion-timeout 2m default");
    assert.equal(line("html"), "html o/report.html default");
    assert.equal(line("log-dir"), "log-dir o default");
    assert.equal(line("source-bucket"), undefined, "the demo has no --source-bucket");
    assert.match(out.join("\n"), /Users +5\n/);
    assert.match(out.join("\n"), /Shape +window \(20 s\)/);
    assert.match(out.join("\n"), /Wait for completion +yes \(timeout 120 s\)/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("capacity --dry-run: 20 users by default, capacity's own flags", async () => {
  await withSimulator({ modelRunner: false }, async (sim, dir) => {
    const { code, out, err } = await typed(dir, {
      ...sim.env,
      S3_LOAD_TEST_SOURCE_IMAGE_BUCKET: `s3://osml-test-images-${sim.account}`,
      S3_LOAD_TEST_RESULT_BUCKET: `s3://mr-bucket-sink-${sim.account}`,
    }, ["capacity", "--dry-run", "--start-rate", "2/s"]);
    assert.equal(code, 0, err);
    const text = out.join("\n");
    assert.match(text, /^ {2}users +20 +default$/m);
    assert.match(text, /^ {2}start-rate +2\/s +flag --start-rate$/m);
    assert.match(text, /^ {2}step-duration +2m +default$/m);
    assert.doesNotMatch(text, /^ {2}(shape|stages|run-time) /m);
    assert.match(text, /Shape +capacity/);
  });
});
