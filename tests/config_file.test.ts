// The config file (Locust's locust.conf format), precedence flag > env > file > default with
// where each value came from, one-line errors with file and line, and the log level.
import assert from "node:assert/strict";
import { join } from "node:path";
import { buildProgram } from "../mod/commands/program.ts";
import { runCli } from "../mod/commands/run_cli.ts";
import {
  DEFAULT_CONFIG_FILE,
  findConfigFile,
  parseConfigText,
  readConfigFile,
} from "../mod/config/config_file.ts";
import { formatResolvedOptions } from "../mod/config/format_options.ts";
import { frozenFlags } from "../mod/config/resolve_options.ts";
import { resolveRun, resolveRunSettings } from "../mod/config/run_settings.ts";
import { RunLog } from "../mod/log/run_log.ts";

const BUCKETS = { sourceBucket: "s3://src", resultBucket: "s3://res" };

async function withTempDir<T>(fn: (dir: string) => Promise<T> | T): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "osml-load-config-" });
  try {
    return await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Run the CLI, capturing what it prints to stderr; returns the exit code and the lines. */
async function cli(args: string[]): Promise<{ code: number; errors: string[] }> {
  const errors: string[] = [];
  const original = console.error;
  console.error = (...parts: unknown[]) => errors.push(parts.join(" "));
  try {
    return { code: await runCli(buildProgram(), args), errors };
  } finally {
    console.error = original;
  }
}

Deno.test("precedence: flag > environment > config file > default, each with its source", () => {
  const config = parseConfigText(
    [
      "# every layer sets users; env and file set spawn-rate; only the file sets model-name",
      "users = 2",
      "spawn-rate = 3",
      "model-name = flood",
      "headless = true",
    ].join("\n"),
    "osml-load.conf",
  );
  const { settings, options } = resolveRun(
    { ...BUCKETS, users: "9" },
    { OSML_LOAD_USERS: "7", OSML_LOAD_SPAWN_RATE: "4" },
    { config },
  );
  assert.equal(settings.users, 9);
  assert.equal(settings.spawnRate, 4);
  assert.equal(settings.modelName, "flood");
  assert.equal(settings.headless, true);
  assert.equal(settings.webPort, 8089);
  assert.deepEqual(options.sources.users, { kind: "flag", flag: "--users" });
  assert.deepEqual(options.sources.spawnRate, { kind: "env", name: "OSML_LOAD_SPAWN_RATE" });
  assert.deepEqual(options.sources.modelName, { kind: "config", file: "osml-load.conf", line: 4 });
  assert.deepEqual(options.sources.webPort, { kind: "default" });
  const lines = formatResolvedOptions(options);
  const line = (key: string) => lines.find((l) => l.startsWith(`  ${key} `))?.replace(/\s+/g, " ");
  assert.equal(line("users"), " users 9 flag --users");
  assert.equal(line("spawn-rate"), " spawn-rate 4 env OSML_LOAD_SPAWN_RATE");
  assert.equal(line("model-name"), " model-name flood config osml-load.conf:4");
  assert.equal(line("web-port"), " web-port 8089 default");
  assert.equal(line("source-bucket"), " source-bucket s3://src flag --source-bucket");
  assert.match(line("mr-input-queue") ?? "", /not set \(the task definition's IMAGE_QUEUE\)/);
  assert.equal(lines.at(-1), "  (config file: osml-load.conf)");
  // The environment wins over the file for the same option; the default stands without both.
  assert.equal(resolveRunSettings(BUCKETS, { OSML_LOAD_USERS: "7" }, { config }).users, 7);
  assert.equal(resolveRunSettings(BUCKETS, {}, { config }).users, 2);
  assert.equal(resolveRunSettings(BUCKETS, {}).users, 1);
  // An explicit false (the web form's unticked box) is a value; an empty text is not.
  const waiting = { OSML_LOAD_WAIT_FOR_COMPLETION: "true", OSML_LOAD_MODEL_NAME: "aircraft" };
  const form = { ...BUCKETS, waitForCompletion: false, modelName: "" };
  assert.equal(resolveRunSettings(form, waiting).waitForCompletion, false);
  assert.equal(resolveRunSettings(form, waiting).modelName, "aircraft");
});

Deno.test("the load window: --run-time wins at the same level, a higher level wins across", () => {
  const window = (
    flags: Record<string, string>,
    env: Record<string, string>,
    conf = "",
  ) =>
    resolveRunSettings({ ...BUCKETS, ...flags }, env, {
      config: parseConfigText(conf, "c.conf"),
    }).windowS;
  assert.equal(window({}, {}), 60);
  assert.equal(window({ runTime: "90s", processingWindowMin: "5" }, {}), 90);
  assert.equal(window({ processingWindowMin: "5" }, {}, "run-time = 90s"), 300);
  assert.equal(window({}, { PROCESSING_WINDOW_MIN: "2" }, "run-time = 90s"), 120);
  assert.equal(window({}, { PROCESSING_WINDOW_MIN: "2" }), 120);
  assert.equal(window({}, {}, "run-time = 90s\nprocessing-window-min = 5"), 90);
  // The demo's 45 s default gives way to a window the user gave in any layer.
  const demo = (flags: Record<string, string>, env: Record<string, string> = {}) =>
    resolveRunSettings(flags, env, {
      command: "demo",
      fixed: { sourceBucket: "s3://a-b", resultBucket: "s3://c-d" },
    }).windowS;
  assert.equal(demo({}), 45);
  assert.equal(demo({ processingWindowMin: "2" }), 120);
  assert.equal(demo({}, { OSML_LOAD_RUN_TIME: "10s" }), 10);
});

Deno.test("config file format: comments, quotes, switches, repeatable keys, Locust's names", () => {
  const file = parseConfigText(
    [
      "# a comment",
      "; also a comment",
      "",
      "  users = 5  ",
      'run-time = "30s"',
      "headless = TRUE",
      "csv = out/x",
      "threshold = fail_ratio<0.01",
      "threshold = rps>0, jobs_failed<=3",
      "loglevel = debug",
      "stages = 10s:5,10s:0",
    ].join("\r\n"),
    "x.conf",
  );
  const { settings } = resolveRun(BUCKETS, {}, { config: file });
  assert.equal(settings.users, 5);
  assert.equal(settings.windowS, 30);
  assert.equal(settings.headless, true);
  assert.equal(settings.csvPrefix, "out/x");
  assert.deepEqual(settings.thresholds, ["fail_ratio<0.01", "rps>0", "jobs_failed<=3"]);
  assert.equal(settings.logLevel, "DEBUG");
  assert.equal(settings.verbose, true);
  assert.deepEqual(file.values.threshold, {
    text: ["fail_ratio<0.01", "rps>0", "jobs_failed<=3"],
    line: 8,
  });
  // A flag's list replaces the file's.
  assert.deepEqual(
    resolveRunSettings({ ...BUCKETS, threshold: ["rps>5"] }, {}, { config: file }).thresholds,
    ["rps>5"],
  );
  // Keys of other commands' options are accepted by the file and skipped by this command.
  const shared = parseConfigText("web-port = 9000\nstart-rate = 2/s\nusers = 3\n", "s.conf");
  const capacity = resolveRun(BUCKETS, {}, { command: "capacity", config: shared });
  assert.equal(capacity.settings.users, 3);
  assert.equal(capacity.settings.webPort, 8089);
  assert.equal(capacity.options.sources.webPort.kind, "default");
  assert.equal(capacity.settings.shape.name, "capacity");
});

Deno.test("config file errors are one line naming the file, the line and the fix", () => {
  const cases: Array<[string, RegExp]> = [
    [
      "user = 5",
      /^c\.conf line 1: unknown key "user": did you mean "users"\? keys are the long flag names without dashes/,
    ],
    ["\nspawn_rate = 2", /^c\.conf line 2: unknown key "spawn_rate": did you mean "spawn-rate"\?/],
    ["colour = blue", /^c\.conf line 1: unknown key "colour": keys are the long flag names/],
    [
      "users = many",
      /^c\.conf line 1: --users must be an integer ≥ 0 \(got "many"\).*\(fix the line or delete it\)$/,
    ],
    ["headless = yes please", /^c\.conf line 1: --headless must be true or false/],
    ["run-time = soon", /^c\.conf line 1: --run-time "soon" is not a duration/],
    ["threshold = fast", /^c\.conf line 1: --threshold "fast" has no comparator/],
    ["users 5", /^c\.conf line 1: "users 5" is not a "key = value" line: write e\.g\. users = 5/],
    ["users =", /^c\.conf line 1: users has no value: give one/],
    ["users = 1\nusers = 2", /^c\.conf line 2: users is set again \(first on line 1\): keep one/],
    ["config = other.conf", /^c\.conf line 1: a config file cannot name another config file/],
  ];
  for (const [text, expected] of cases) {
    let message = "";
    try {
      parseConfigText(text, "c.conf");
    } catch (error) {
      assert.equal((error as Error).name, "UsageError", text);
      message = (error as Error).message;
    }
    assert.match(message, expected, text);
    assert.ok(!message.includes("\n"), `${text}: the message has more than one line`);
  }
});

Deno.test("--config FILE, OSML_LOAD_CONFIG, and ./osml-load.conf read as Locust reads locust.conf", async () => {
  await withTempDir(async (dir) => {
    assert.equal(findConfigFile({}, {}, dir), undefined);
    await Deno.writeTextFile(join(dir, DEFAULT_CONFIG_FILE), "users = 4\n");
    await Deno.writeTextFile(join(dir, "other.conf"), "users = 6\n");
    assert.equal(findConfigFile({}, {}, dir)?.values.users?.text, "4");
    assert.equal(
      findConfigFile({}, { OSML_LOAD_CONFIG: join(dir, "other.conf") }, dir)?.values.users?.text,
      "6",
    );
    assert.equal(
      findConfigFile(
        { config: join(dir, "other.conf") },
        { OSML_LOAD_CONFIG: join(dir, "nope.conf") },
        dir,
      )?.values.users?.text,
      "6",
    );
    assert.throws(
      () => findConfigFile({ config: join(dir, "missing.conf") }, {}, dir),
      /cannot read config file .*missing\.conf \(no such file\): check the path given to --config/,
    );
  });
});

Deno.test("the CLI: a bad config file ends with exit 2 and one line naming file and line", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "bad.conf");
    await Deno.writeTextFile(path, "# ok\nusers = 3\nspawn-rat = 2\n");
    const unknown = await cli(["run", "--config", path, "--dry-run"]);
    assert.equal(unknown.code, 2);
    assert.equal(unknown.errors.length, 1);
    assert.match(
      unknown.errors[0]!,
      /^error: .*bad\.conf line 3: unknown key "spawn-rat": did you mean "spawn-rate"\?/,
    );
    await Deno.writeTextFile(path, "users = -3\n");
    const bad = await cli(["demo", "--config", path, "--dry-run"]);
    assert.equal(bad.code, 2);
    assert.match(bad.errors[0]!, /^error: .*bad\.conf line 1: --users must be an integer ≥ 0/);
    const missing = await cli(["capacity", "--config", join(dir, "none.conf")]);
    assert.equal(missing.code, 2);
    assert.match(missing.errors[0]!, /cannot read config file/);
  });
});

Deno.test("examples/osml-load.conf is a valid config file", () => {
  const path = new URL("../examples/osml-load.conf", import.meta.url).pathname;
  const file = readConfigFile(path);
  const { settings } = resolveRun({}, {}, { config: file });
  assert.equal(settings.sourceBucket?.bucket, "my-osml-test-images");
  assert.equal(settings.users, 5);
  assert.equal(settings.windowS, 1800);
  assert.equal(settings.headless, true);
  assert.equal(settings.csvPrefix, "out/run");
  assert.deepEqual(settings.thresholds, ["fail_ratio<0.01", "Job Complete:p95<600000"]);
});

Deno.test("frozen flags reproduce the environment and file values for the web UI's runs", () => {
  const config = parseConfigText("users = 3\nthreshold = rps>1\nheadless = false\n", "c.conf");
  const env = { OSML_LOAD_SPAWN_RATE: "2", S3_LOAD_TEST_SOURCE_IMAGE_BUCKET: "s3://src" };
  const first = resolveRun({ resultBucket: "s3://res" }, env, { config });
  const again = resolveRunSettings(frozenFlags(first.options), {});
  // Every value; the environment itself travels apart (RunSettings.env: what AWS clients read).
  assert.deepEqual({ ...again, env: first.settings.env }, first.settings);
});

Deno.test("-L/--loglevel and --logfile: the run log honours the level and appends to the file", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "run.log");
    await Deno.writeTextFile(path, "earlier line\n");
    const shown: string[] = [];
    const settings = resolveRunSettings({ ...BUCKETS, loglevel: "WARNING", logfile: path }, {});
    assert.equal(settings.logLevel, "WARNING");
    assert.equal(settings.verbose, false);
    const log = new RunLog({
      verbose: settings.verbose,
      level: settings.logLevel,
      logFile: settings.logFile,
      console: (line) => shown.push(line),
    });
    log.debug("t", "debug line");
    log.info("t", "info line");
    log.warn("t", "warning line");
    log.error("t", "error line");
    log.close();
    assert.deepEqual(shown.map((l) => l.replace(/^\[[^\]]+\] /, "")), [
      "WARNING/t: warning line",
      "ERROR/t: error line",
    ]);
    const file = (await Deno.readTextFile(path)).split("\n");
    assert.equal(file[0], "earlier line");
    assert.match(file[1]!, / - t - WARNING - warning line$/);
    assert.match(file[2]!, / - t - ERROR - error line$/);
    // --verbose is -L DEBUG, and wins over a quieter level.
    const verbose = resolveRunSettings({ ...BUCKETS, verbose: true, loglevel: "ERROR" }, {});
    assert.equal(verbose.logLevel, "DEBUG");
    assert.equal(resolveRunSettings({ ...BUCKETS, loglevel: "DEBUG" }, {}).verbose, true);
    assert.throws(
      () => new RunLog({ verbose: false, logFile: join(dir, "no", "such", "dir.log") }),
      /--logfile .*dir\.log: cannot open it .*create its folder or pick another path/,
    );
  });
});
