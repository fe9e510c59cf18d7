// The option table: every option has its OSML_LOAD_ variable, its config key and its help
// line in each command that uses it; per-command defaults in help; upstream's variables.
import assert from "node:assert/strict";
import { buildProgram } from "../mod/commands/program.ts";
import { optionHelp } from "../mod/commands/command_options.ts";
import { allOptions, OPTIONS, optionsOf } from "../mod/config/options.ts";
import {
  COMMAND_NAMES,
  type CommandName,
  configKeysOf,
  envNameOf,
  envNamesOf,
  keyOfFlag,
  type OptionSpec,
} from "../mod/config/option_spec.ts";
import { parseConfigText } from "../mod/config/config_file.ts";
import { resolveOptions } from "../mod/config/resolve_options.ts";
import { resolveRunSettings } from "../mod/config/run_settings.ts";
import { parseShapeSettings } from "../mod/config/shape_settings.ts";
import { webFormFields } from "../mod/config/web_form_fields.ts";

/** A valid value for each option that is not a plain kind sample. */
const SAMPLES: Record<string, string> = {
  stages: "10s:5,10s:0",
  rateStages: "10s:2/s",
  userClass: "random",
  threshold: "fail_ratio<0.5",
  webHost: "0.0.0.0",
  webAuth: "ops:secret",
  loglevel: "WARNING",
  shape: "burst",
  maxFailRatio: "0.5",
};

function sample(key: string, spec: OptionSpec): string {
  if (SAMPLES[key]) return SAMPLES[key];
  switch (spec.kind) {
    case "boolean":
      return "true";
    case "integer":
      return "3";
    case "number":
      return "0.75";
    case "duration":
      return "7s";
    case "rate":
      return "3/s";
    case "s3":
      return "s3://sample-bucket/prefix/";
    case "choice":
      return spec.choices![0]!;
    default:
      return "sample-value";
  }
}

function helpOf(command: CommandName): string {
  const sub = buildProgram().commands.find((c) => c.name() === command)!;
  let text = "";
  sub.configureOutput({ writeOut: (s) => text += s, writeErr: (s) => text += s });
  sub.outputHelp();
  // Commander wraps at the terminal width: compare with the whitespace collapsed.
  return text.replace(/\s+/g, " ");
}

Deno.test("option table: keys are the flags' camel case, every flag and alias is unique", () => {
  const seen = new Set<string>();
  for (const [key, spec] of allOptions()) {
    assert.equal(key, keyOfFlag(spec.flag), `${spec.flag} is filed under ${key}`);
    for (const name of [spec.flag, spec.alias].filter((n) => n !== undefined)) {
      assert.ok(!seen.has(name), `${name} is used twice`);
      seen.add(name);
    }
    assert.ok(spec.commands.length > 0, `${spec.flag} belongs to no command`);
    assert.equal(spec.kind === "boolean", spec.arg === undefined, `${spec.flag}: switch or value`);
  }
});

Deno.test("option table: every option is read from its OSML_LOAD_<FLAG> variable", () => {
  for (const command of COMMAND_NAMES) {
    for (const [key, spec] of optionsOf(command)) {
      const name = envNameOf(spec.flag);
      const resolved = resolveOptions({ command, flags: {}, env: { [name]: sample(key, spec) } });
      assert.deepEqual(resolved.sources[key], { kind: "env", name }, `${command} ${name}`);
      const text = resolved.texts[key];
      assert.deepEqual(
        Array.isArray(text) ? text.join(",") : text,
        sample(key, spec),
        `${command} ${name}`,
      );
    }
  }
});

Deno.test("option table: every option but --config has its config-file key", () => {
  for (const command of COMMAND_NAMES) {
    for (const [key, spec] of optionsOf(command)) {
      const keys = configKeysOf(spec);
      if (key === "config") {
        assert.deepEqual(keys, []);
        assert.throws(() => parseConfigText("config = x.conf", "t.conf"), /cannot name another/);
        continue;
      }
      assert.equal(keys[0], spec.flag.slice(2));
      for (const configKey of keys) {
        const config = parseConfigText(`\n${configKey} = ${sample(key, spec)}\n`, "t.conf");
        const resolved = resolveOptions({ command, flags: {}, env: {}, config });
        assert.deepEqual(
          resolved.sources[key],
          { kind: "config", file: "t.conf", line: 2 },
          `${command} ${configKey}`,
        );
      }
    }
  }
});

Deno.test("option table: each command's help has a line for each of its options, with its default", () => {
  for (const command of COMMAND_NAMES) {
    const help = helpOf(command);
    for (const [, spec] of optionsOf(command)) {
      const flags = spec.alias ? `${spec.alias}, ${spec.flag}` : spec.flag;
      assert.ok(
        help.includes(` ${flags}${spec.arg ? ` ${spec.arg}` : ""} `),
        `${command} ${flags}`,
      );
      assert.ok(help.includes(optionHelp(spec, command)), `${command} ${spec.flag} help`);
    }
    for (const [, spec] of allOptions()) {
      if (spec.commands.includes(command)) continue;
      assert.ok(!help.includes(` ${spec.flag} `), `${command} --help offers ${spec.flag}`);
    }
    assert.match(help, /OSML_LOAD_<FLAG>/);
    assert.match(help, /osml-load\.conf/);
  }
});

Deno.test("demo and capacity help show their real defaults and only their flags", () => {
  const demo = helpOf("demo");
  assert.match(demo, /-u, --users <n> number of concurrent users \(default: 5\)/);
  assert.match(demo, /-r, --spawn-rate <n> users started per second \(default: 5\)/);
  assert.match(demo, /-t, --run-time <duration> .*?\(default: 45s\)/);
  assert.match(demo, /--completion-timeout <duration> .*?\(default: 2m\)/);
  assert.match(demo, /--html <file> .*?\(default: <out>\/report\.html\)/);
  for (const flag of ["--source-bucket", "--headless", "--web-port", "--start-rate"]) {
    assert.ok(!demo.includes(`${flag} `), `demo offers ${flag}`);
  }
  const capacity = helpOf("capacity");
  assert.match(capacity, /-u, --users <n> number of concurrent users \(default: 20\)/);
  assert.match(capacity, /--start-rate <rate> first rate, e\.g\. 30\/min, 1\/s \(default: 1\/s\)/);
  for (
    const flag of [
      "--shape",
      "--stages",
      "--rate",
      "--rate-stages",
      "--burst-period",
      "--burst-min",
      "--burst-peak",
      "--burst-std",
      "--burst-mean",
      "--run-time",
      "--spawn-rate",
      "--web-port",
    ]
  ) {
    assert.ok(!capacity.includes(` ${flag} `), `capacity offers ${flag}`);
  }
  const run = helpOf("run");
  assert.match(run, /-u, --users <n> number of concurrent users \(default: 1\)/);
  assert.match(
    run,
    /--processing-window-min <minutes> .*?\[env PROCESSING_WINDOW_MIN\] \(default: 1\)/,
  );
  assert.match(run, /-H, --host <url> accepted and ignored/);
  assert.match(run, /--csv, --output <prefix>/);
  assert.match(run, /-L, --loglevel <level>/);
});

Deno.test("upstream's variables keep working, after OSML_LOAD_<FLAG> and in upstream's order", () => {
  const run = (env: Record<string, string>) =>
    resolveRunSettings({ sourceBucket: "s3://src", resultBucket: "s3://res" }, env);
  const buckets = (env: Record<string, string>) => {
    const s = resolveRunSettings({}, env);
    return [s.sourceBucket?.bucket, s.resultBucket?.bucket];
  };
  assert.deepEqual(buckets({ S3_SOURCE_IMAGE_BUCKET: "s-old", S3_RESULT_BUCKET: "r-old" }), [
    "s-old",
    "r-old",
  ]);
  assert.deepEqual(
    buckets({
      S3_SOURCE_IMAGE_BUCKET: "s-old",
      S3_LOAD_TEST_SOURCE_IMAGE_BUCKET: "s-new",
      S3_RESULT_BUCKET: "r-old",
      S3_LOAD_TEST_RESULT_BUCKET: "r-new",
    }),
    ["s-new", "r-new"],
  );
  assert.deepEqual(
    buckets({
      S3_LOAD_TEST_SOURCE_IMAGE_BUCKET: "s-new",
      OSML_LOAD_SOURCE_BUCKET: "s-ours",
      S3_LOAD_TEST_RESULT_BUCKET: "r-new",
    }),
    ["s-ours", "r-new"],
  );
  assert.equal(run({ SM_LOAD_TEST_MODEL: "flood" }).modelName, "flood");
  assert.equal(run({ PROCESSING_WINDOW_MIN: "2.5" }).windowS, 150);
  assert.equal(run({ TASK_DEFINITION_PATTERN: "Mine" }).taskDefinitionPattern, "Mine");
  assert.equal(run({ OSML_LOAD_WEB_HOST: "0.0.0.0" }).webHost, "0.0.0.0");
  assert.equal(run({ OSML_LOAD_WEB_AUTH: "ops:pw" }).webAuth, "ops:pw");
  // Region and account are read by discovery, in its place of the order (after the task
  // definition for ACCOUNT): the table documents them, help names them.
  assert.deepEqual(OPTIONS.awsRegion.discoveryEnv, ["REGION", "AWS_DEFAULT_REGION", "AWS_REGION"]);
  assert.deepEqual(OPTIONS.awsAccount.discoveryEnv, ["ACCOUNT"]);
  assert.equal(run({ REGION: "eu-west-1" }).awsRegion, undefined);
  assert.match(
    helpOf("run"),
    /--aws-region <region> AWS region \(default: REGION, AWS_DEFAULT_REGION, AWS_REGION/,
  );
  assert.match(helpOf("run"), /--aws-account <id> .*?else ACCOUNT, else STS/);
  assert.deepEqual(envNamesOf(OPTIONS.output), ["OSML_LOAD_OUTPUT", "OSML_LOAD_CSV"]);
  assert.equal(run({ OSML_LOAD_CSV: "out/c" }).csvPrefix, "out/c");
});

Deno.test("a bad value names where it came from and how to fix it", () => {
  const base = { sourceBucket: "s3://src", resultBucket: "s3://res" };
  assert.throws(
    () => resolveRunSettings({ ...base, users: "many" }, {}),
    /^UsageError: --users must be an integer ≥ 0 \(got "many"\)/,
  );
  assert.throws(
    () => resolveRunSettings(base, { OSML_LOAD_USERS: "many" }),
    /^UsageError: environment variable OSML_LOAD_USERS: --users must be an integer.*\(fix the variable or unset it\)$/,
  );
  assert.throws(
    () => resolveRunSettings(base, { OSML_LOAD_HEADLESS: "perhaps" }),
    /OSML_LOAD_HEADLESS: --headless must be true or false/,
  );
  assert.throws(
    () => resolveRunSettings(base, { PROCESSING_WINDOW_MIN: "-1" }),
    /environment variable PROCESSING_WINDOW_MIN: --processing-window-min must be a positive number/,
  );
  assert.throws(
    () => resolveRunSettings({ ...base, loglevel: "LOUD" }, {}),
    /--loglevel must be one of DEBUG, INFO, WARNING, ERROR \(got "LOUD"\)/,
  );
  assert.throws(
    () =>
      resolveRunSettings(base, {}, {
        config: parseConfigText("user-class = nobody\n", "osml-load.conf"),
      }),
    /^UsageError: osml-load.conf line 1: unknown user class "nobody"/,
  );
});

Deno.test("the shapes' own fallbacks agree with the table's defaults (each default is decided once)", () => {
  const resolved = (command: CommandName, flags: Record<string, string>) =>
    resolveRunSettings({ sourceBucket: "s3://src", resultBucket: "s3://res", ...flags }, {}, {
      command,
    }).shape;
  assert.deepEqual(resolved("run", { shape: "burst" }), parseShapeSettings({ shape: "burst" }, 60));
  assert.deepEqual(resolved("capacity", {}), parseShapeSettings({ shape: "capacity" }, 60));
  assert.deepEqual(resolved("run", {}), { name: "window" });
  assert.equal(resolved("run", { rate: "2/s" }).name, "rate");
});

Deno.test("web form fields come from the table, with run's defaults and the shapes' choices", () => {
  const fields = webFormFields();
  const names = fields.map((f) => f.name);
  for (
    const name of [
      "users",
      "spawnRate",
      "runTime",
      "userClass",
      "modelName",
      "shape",
      "stages",
      "rate",
      "threshold",
      "waitForCompletion",
      "completionTimeout",
    ]
  ) {
    assert.ok(names.includes(name), `the form lacks ${name}`);
  }
  for (const field of fields) {
    const spec = (OPTIONS as Record<string, OptionSpec>)[field.name]!;
    assert.equal(field.flag, spec.flag);
    assert.equal(field.repeatable, spec.repeatable === true);
    if (field.default !== undefined) spec.parse(field.default, spec.flag);
  }
  const byName = new Map(fields.map((f) => [f.name, f]));
  assert.equal(byName.get("runTime")?.default, "1m");
  assert.equal(byName.get("completionTimeout")?.default, "30m");
  assert.equal(byName.get("waitForCompletion")?.type, "boolean");
  assert.equal(byName.get("threshold")?.repeatable, true);
  assert.equal(webFormFields("demo").find((f) => f.name === "users")?.default, "5");
});
