/**
 * The option table: every option of `run`, `demo` and `capacity`, once.
 *
 * Each entry's key is the camel case of its long flag (as commander names
 * parsed values). From the table come the commander options and their help
 * (`mod/commands/command_options.ts`), the `OSML_LOAD_<FLAG>` variables and
 * config-file keys (`option_spec.ts`), the typed values
 * ({@linkcode OptionValues}, `resolve_options.ts`) that become the
 * `RunSettings`, and the web form's fields (`web_form_fields.ts`).
 * Precedence: flag > environment > config file > default.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { OPTIONS } from "./options.ts";
 * assert.equal(OPTIONS.users.commandDefaults.capacity, "20");
 * assert.deepStrictEqual(OPTIONS.sourceBucket.env, ["S3_LOAD_TEST_SOURCE_IMAGE_BUCKET", "S3_SOURCE_IMAGE_BUCKET"]);
 * ```
 * @module
 */
import { join } from "node:path";
import { defaultMaxWorkers } from "./default_max_workers.ts";
import {
  booleanValue,
  choiceValue,
  durationValue,
  hostValue,
  integerValue,
  numberValue,
  rateValue,
  s3Value,
  textValue,
  thresholdValue,
  type ValueParser,
} from "./option_parsers.ts";
import type { CommandName, DefaultSpec, OptionSpec } from "./option_spec.ts";

const ALL: readonly CommandName[] = ["run", "demo", "capacity"];
const RUN_DEMO: readonly CommandName[] = ["run", "demo"];
const RUN_CAPACITY: readonly CommandName[] = ["run", "capacity"];

/** Log levels `-L/--loglevel` takes, as Python's logging (and Locust) names them. */
export const LOG_LEVELS = ["DEBUG", "INFO", "WARNING", "ERROR"] as const;

/** Where job status is read from (`--status-source`); see docs/status-source.md. */
export const STATUS_SOURCES = ["auto", "subscription", "queue"] as const;

/** The load shapes `--shape` takes. */
export const SHAPE_CHOICES = ["window", "stages", "burst", "rate"] as const;

/** A demo default inside its `--out` folder. */
function inOut(name: string): DefaultSpec {
  return {
    derive: (values) => typeof values.out === "string" ? join(values.out, name) : undefined,
    help: name === "" ? "the --out folder" : `<out>/${name}`,
  };
}

/** Switches: off unless given. */
const SWITCH = { kind: "boolean", parse: booleanValue, default: "false" } as const;

/**
 * Every option of the load-test commands. Keep entries grouped as in help.
 */
export const OPTIONS = {
  // Configuration
  config: {
    flag: "--config",
    arg: "<file>",
    kind: "path",
    parse: textValue,
    commands: ALL,
    help: "read options from this file (key = value lines, as Locust's locust.conf)",
    unsetHelp: "./osml-load.conf when it exists",
    group: "Configuration",
    configKey: false,
  },
  dryRun: {
    ...SWITCH,
    flag: "--dry-run",
    commands: ALL,
    help: "print every option with where it came from, the deployment and the plan, then exit",
    group: "Configuration",
  },

  // Load
  users: {
    flag: "--users",
    alias: "-u",
    arg: "<n>",
    kind: "integer",
    parse: integerValue({ min: 0 }),
    default: "1",
    commandDefaults: { demo: "5", capacity: "20" },
    commands: ALL,
    help: "number of concurrent users",
    group: "Load",
    web: { label: "Users" },
  },
  spawnRate: {
    flag: "--spawn-rate",
    alias: "-r",
    arg: "<n>",
    kind: "number",
    parse: numberValue({ allowZero: false }),
    default: "1",
    commandDefaults: { demo: "5" },
    commands: RUN_DEMO,
    help: "users started per second",
    group: "Load",
    web: { label: "Spawn rate (users/s)" },
  },
  runTime: {
    flag: "--run-time",
    alias: "-t",
    arg: "<duration>",
    kind: "duration",
    parse: durationValue({ allowZero: false }),
    commandDefaults: { demo: "45s" },
    unsetHelp: "the --processing-window-min window",
    commands: RUN_DEMO,
    help: "load window as Locust takes it: 90s, 10m, 1h30m (wins over --processing-window-min)",
    group: "Load",
    web: { label: "Run time", default: "1m" },
  },
  processingWindowMin: {
    flag: "--processing-window-min",
    arg: "<minutes>",
    kind: "number",
    parse: numberValue({ allowZero: false }),
    default: "1",
    commands: RUN_DEMO,
    help: "load window in minutes, fractions allowed",
    group: "Load",
    env: ["PROCESSING_WINDOW_MIN"],
  },
  userClass: {
    flag: "--user-class",
    arg: "<kinds>",
    kind: "text",
    parse: textValue,
    default: "load-test",
    commands: ALL,
    help: "user kind(s): load-test, predefined, random; or weighted: predefined:3,random:1",
    group: "Load",
    web: { label: "User class" },
  },
  waitMin: {
    flag: "--wait-min",
    arg: "<seconds>",
    kind: "number",
    parse: numberValue({ allowZero: true }),
    default: "1",
    commands: RUN_DEMO,
    help: "shortest wait between a fire-and-forget user's jobs",
    group: "Load",
  },
  waitMax: {
    flag: "--wait-max",
    arg: "<seconds>",
    kind: "number",
    parse: numberValue({ allowZero: true }),
    default: "3",
    commands: RUN_DEMO,
    help: "longest wait between a fire-and-forget user's jobs",
    group: "Load",
  },
  jobTimeout: {
    flag: "--job-timeout",
    arg: "<duration>",
    kind: "duration",
    parse: durationValue({ allowZero: false }),
    default: "15m",
    commands: ALL,
    help: "longest wait of a submit-and-wait user for one job",
    group: "Load",
  },
  maxWorkers: {
    flag: "--max-workers",
    arg: "<n>",
    kind: "integer",
    parse: integerValue({ min: 1 }),
    default: {
      derive: () => String(defaultMaxWorkers()),
      help: `one per core, 2 to 16: ${defaultMaxWorkers()} here`,
    },
    commands: ALL,
    help: "most user workers (users past it share workers)",
    group: "Load",
  },

  // Load shape
  shape: {
    flag: "--shape",
    arg: "<name>",
    kind: "choice",
    parse: choiceValue(SHAPE_CHOICES),
    choices: SHAPE_CHOICES,
    unsetHelp: "window, or rate when --rate or --rate-stages is given",
    commands: RUN_DEMO,
    help: "load shape: window, stages, burst, rate (open model)",
    group: "Load shape",
    web: { label: "Load shape", default: "window" },
  },
  stages: {
    flag: "--stages",
    arg: "<list>",
    kind: "text",
    parse: textValue,
    commands: RUN_DEMO,
    help: 'stages shape: DURATION:USERS ramps, e.g. "2m:10,5m:50,2m:0"',
    group: "Load shape",
    web: { label: "Stages (duration:users, ...)" },
  },
  burstPeriod: {
    flag: "--burst-period",
    arg: "<duration>",
    kind: "duration",
    parse: durationValue({ allowZero: false }),
    default: "600s",
    commands: RUN_DEMO,
    help: "burst shape: period",
    group: "Load shape",
    web: { label: "Burst period" },
  },
  burstMin: {
    flag: "--burst-min",
    arg: "<users>",
    kind: "number",
    parse: numberValue({ allowZero: true }),
    default: "5",
    commands: RUN_DEMO,
    help: "burst shape: users between bursts",
    group: "Load shape",
    web: { label: "Users between bursts" },
  },
  burstPeak: {
    flag: "--burst-peak",
    arg: "<users>",
    kind: "number",
    parse: numberValue({ allowZero: true }),
    default: "40",
    commands: RUN_DEMO,
    help: "burst shape: users at the peak",
    group: "Load shape",
    web: { label: "Users at the peak" },
  },
  burstStd: {
    flag: "--burst-std",
    arg: "<duration>",
    kind: "duration",
    parse: durationValue({ allowZero: false }),
    unsetHelp: "period/10",
    commands: RUN_DEMO,
    help: "burst shape: width of a burst",
    group: "Load shape",
  },
  burstMean: {
    flag: "--burst-mean",
    arg: "<duration>",
    kind: "duration",
    parse: durationValue({ allowZero: true }),
    unsetHelp: "period/2",
    commands: RUN_DEMO,
    help: "burst shape: time of the peak in each period",
    group: "Load shape",
  },
  rate: {
    flag: "--rate",
    arg: "<rate>",
    kind: "rate",
    parse: rateValue,
    commands: RUN_DEMO,
    help: "open model: submit jobs on a clock, e.g. 120/min, 2/s, 7200/h (implies --shape rate)",
    group: "Load shape",
    web: { label: "Arrival rate (e.g. 120/min)" },
  },
  rateStages: {
    flag: "--rate-stages",
    arg: "<list>",
    kind: "text",
    parse: textValue,
    commands: RUN_DEMO,
    help: 'open model: ramped rates, e.g. "5m:60/min,10m:240/min"',
    group: "Load shape",
    web: { label: "Rate stages (duration:rate, ...)" },
  },
  maxLateness: {
    flag: "--max-lateness",
    arg: "<duration>",
    kind: "duration",
    parse: durationValue({ allowZero: false }),
    default: "30s",
    commands: ALL,
    help: "open model: drop a submission that waited this long for a free user",
    group: "Load shape",
  },

  // Capacity search
  startRate: {
    flag: "--start-rate",
    arg: "<rate>",
    kind: "rate",
    parse: rateValue,
    default: "1/s",
    commands: ["capacity"],
    help: "first rate, e.g. 30/min, 1/s",
    group: "Capacity search",
  },
  step: {
    flag: "--step",
    arg: "<rate>",
    kind: "rate",
    parse: rateValue,
    unsetHelp: "the start rate",
    commands: ["capacity"],
    help: "rate added each step",
    group: "Capacity search",
  },
  stepDuration: {
    flag: "--step-duration",
    arg: "<duration>",
    kind: "duration",
    parse: durationValue({ allowZero: false }),
    default: "2m",
    commands: ["capacity"],
    help: "length of each step",
    group: "Capacity search",
  },
  maxLatency: {
    flag: "--max-latency",
    arg: "<duration>",
    kind: "duration",
    parse: durationValue({ allowZero: false }),
    default: "10m",
    commands: ["capacity"],
    help: "highest acceptable job-latency p95",
    group: "Capacity search",
  },
  maxFailRatio: {
    flag: "--max-fail-ratio",
    arg: "<ratio>",
    kind: "number",
    parse: numberValue({ allowZero: true, max: 1 }),
    default: "0.1",
    commands: ["capacity"],
    help: "stop early when more jobs than this fail",
    group: "Capacity search",
  },
  maxSteps: {
    flag: "--max-steps",
    arg: "<n>",
    kind: "integer",
    parse: integerValue({ min: 1 }),
    default: "30",
    commands: ["capacity"],
    help: "most steps before giving up",
    group: "Capacity search",
  },

  // Demo
  out: {
    flag: "--out",
    arg: "<dir>",
    kind: "path",
    parse: textValue,
    default: "demo-output",
    commands: ["demo"],
    help: "folder for every output",
    group: "Demo",
  },
  simWorkers: {
    flag: "--sim-workers",
    arg: "<n>",
    kind: "integer",
    parse: integerValue({ min: 1 }),
    default: "4",
    commands: ["demo"],
    help: "simulated Model Runner workers",
    group: "Demo",
  },
  msPerMegapixel: {
    flag: "--ms-per-megapixel",
    arg: "<ms>",
    kind: "number",
    parse: numberValue({ allowZero: true }),
    default: "5",
    commands: ["demo"],
    help: "simulated processing time per megapixel",
    group: "Demo",
  },

  // Deployment (AWS)
  sourceBucket: {
    flag: "--source-bucket",
    arg: "<s3-url>",
    kind: "s3",
    parse: s3Value,
    unsetHelp: "none; required for load-test users",
    commands: RUN_CAPACITY,
    help: "S3 bucket (and optional prefix) of test images",
    group: "Deployment (AWS)",
    env: ["S3_LOAD_TEST_SOURCE_IMAGE_BUCKET", "S3_SOURCE_IMAGE_BUCKET"],
  },
  resultBucket: {
    flag: "--result-bucket",
    arg: "<s3-url>",
    kind: "s3",
    parse: s3Value,
    unsetHelp: "none; required for load-test users",
    commands: RUN_CAPACITY,
    help: "S3 bucket for results",
    group: "Deployment (AWS)",
    env: ["S3_LOAD_TEST_RESULT_BUCKET", "S3_RESULT_BUCKET"],
  },
  modelName: {
    flag: "--model-name",
    arg: "<name>",
    kind: "text",
    parse: textValue,
    default: "centerpoint",
    commands: ALL,
    help: "SageMaker endpoint/model name",
    group: "Deployment (AWS)",
    env: ["SM_LOAD_TEST_MODEL"],
    web: { label: "Model" },
  },
  awsAccount: {
    flag: "--aws-account",
    arg: "<id>",
    kind: "text",
    parse: textValue,
    unsetHelp: "the task definition's, else ACCOUNT, else STS",
    commands: RUN_CAPACITY,
    help: "AWS account that owns the queues",
    group: "Deployment (AWS)",
    discoveryEnv: ["ACCOUNT"],
  },
  awsRegion: {
    flag: "--aws-region",
    arg: "<region>",
    kind: "text",
    parse: textValue,
    unsetHelp: "REGION, AWS_DEFAULT_REGION, AWS_REGION, the profile's, else us-west-2",
    commands: RUN_CAPACITY,
    help: "AWS region",
    group: "Deployment (AWS)",
    discoveryEnv: ["REGION", "AWS_DEFAULT_REGION", "AWS_REGION"],
  },
  taskDefinitionPattern: {
    flag: "--task-definition-pattern",
    arg: "<text>",
    kind: "text",
    parse: textValue,
    default: "ModelRunnerDataplane",
    commands: RUN_CAPACITY,
    help: "find Model Runner's ECS task definition by this part of its ARN",
    group: "Deployment (AWS)",
    env: ["TASK_DEFINITION_PATTERN"],
  },
  mrInputQueue: {
    flag: "--mr-input-queue",
    arg: "<name>",
    kind: "text",
    parse: textValue,
    unsetHelp: "the task definition's IMAGE_QUEUE",
    commands: RUN_CAPACITY,
    help: "Model Runner request queue name (or URL)",
    group: "Deployment (AWS)",
  },
  mrStatusQueue: {
    flag: "--mr-status-queue",
    arg: "<name>",
    kind: "text",
    parse: textValue,
    unsetHelp: "from the task definition, else derived",
    commands: RUN_CAPACITY,
    help: "status queue name (or URL)",
    group: "Deployment (AWS)",
  },
  mrStatusTopic: {
    flag: "--mr-status-topic",
    arg: "<arn>",
    kind: "text",
    parse: textValue,
    unsetHelp: "the task definition's IMAGE_STATUS_TOPIC",
    commands: RUN_CAPACITY,
    help: "SNS topic Model Runner publishes job status to (ARN or name)",
    group: "Deployment (AWS)",
  },
  testImageryLocation: {
    flag: "--test-imagery-location",
    arg: "<s3-url>",
    kind: "s3",
    parse: textValue,
    unsetHelp: "s3://osml-test-images-<account>",
    commands: ALL,
    help: "images for the random and predefined users (<account> is replaced)",
    group: "Deployment (AWS)",
  },
  testResultsLocation: {
    flag: "--test-results-location",
    arg: "<s3-url>",
    kind: "s3",
    parse: textValue,
    unsetHelp: "s3://mr-bucket-sink-<account>",
    commands: ALL,
    help: "results for the random and predefined users (<account> is replaced)",
    group: "Deployment (AWS)",
  },
  requestFile: {
    flag: "--request-file",
    arg: "<file>",
    kind: "path",
    parse: textValue,
    commands: ALL,
    help: "JSON array of image requests for the predefined user",
    group: "Deployment (AWS)",
  },
  includeAllEndpoints: {
    ...SWITCH,
    flag: "--include-all-endpoints",
    commands: ALL,
    help: "random user: use every SageMaker endpoint, not only InService ones",
    group: "Deployment (AWS)",
  },
  keepForeignStatus: {
    ...SWITCH,
    flag: "--keep-foreign-status",
    commands: ALL,
    help: "leave status messages of other runs' jobs on the queue (upstream deletes them)",
    group: "Deployment (AWS)",
  },
  statusSource: {
    flag: "--status-source",
    arg: "<source>",
    kind: "choice",
    parse: choiceValue(STATUS_SOURCES),
    choices: STATUS_SOURCES,
    default: "auto",
    commands: ALL,
    help:
      "where job status is read: subscription (a private queue on the status topic, only this run's jobs), queue (the shared status queue, as upstream), or auto (subscription when the topic is known and allowed)",
    group: "Deployment (AWS)",
  },
  awsTimeout: {
    flag: "--aws-timeout",
    arg: "<duration>",
    kind: "duration",
    parse: durationValue({ allowZero: false }),
    default: "15s",
    commands: ALL,
    help: "timeout of one AWS call (connect and answer); long polls add their wait time",
    group: "Deployment (AWS)",
  },
  host: {
    flag: "--host",
    alias: "-H",
    arg: "<url>",
    kind: "text",
    parse: textValue,
    commands: ALL,
    help: "accepted and ignored (Locust's flag, passed by the original suite's scripts)",
    group: "Configuration",
    ignored: true,
  },

  // Run control
  headless: {
    ...SWITCH,
    flag: "--headless",
    commands: ["run"],
    help: "no web UI: start at once and print Locust's console tables",
    group: "Run control",
  },
  waitForCompletion: {
    ...SWITCH,
    flag: "--wait-for-completion",
    commands: RUN_CAPACITY,
    help: "after the window, wait for every submitted job to finish",
    group: "Run control",
    web: { label: "Wait for jobs to finish" },
  },
  completionTimeout: {
    flag: "--completion-timeout",
    arg: "<duration>",
    kind: "duration",
    parse: durationValue({ allowZero: true }),
    default: "30m",
    commandDefaults: { demo: "2m" },
    commands: ALL,
    help: "longest wait for completion; open jobs are then timed out",
    group: "Run control",
    web: { label: "Completion timeout" },
  },
  stopTimeout: {
    flag: "--stop-timeout",
    arg: "<duration>",
    kind: "duration",
    parse: durationValue({ allowZero: true }),
    default: "10s",
    commands: ALL,
    help: "longest graceful stop after the window, Ctrl-C or SIGTERM; then outputs are written",
    group: "Run control",
  },
  threshold: {
    flag: "--threshold",
    arg: "<expr>",
    kind: "text",
    parse: thresholdValue,
    repeatable: true,
    commands: ALL,
    help: 'pass/fail rule, repeatable: "Submit Image:p95<500", "fail_ratio<0.01"',
    group: "Run control",
    web: { label: "Thresholds" },
  },
  exitCodeOnError: {
    flag: "--exit-code-on-error",
    arg: "<code>",
    kind: "integer",
    parse: integerValue({ min: 0, max: 255 }),
    default: "1",
    commands: ALL,
    help: "exit code when any failure or exception was recorded",
    group: "Run control",
  },
  resetStats: {
    ...SWITCH,
    flag: "--reset-stats",
    commands: ALL,
    help: "reset the statistics once every user has started (Locust's --reset-stats)",
    group: "Run control",
  },

  // Web UI
  webHost: {
    flag: "--web-host",
    arg: "<host>",
    kind: "text",
    parse: hostValue,
    default: "127.0.0.1",
    commands: ["run"],
    help: "web UI address (upstream's default was 0.0.0.0)",
    group: "Web UI",
  },
  webPort: {
    flag: "--web-port",
    arg: "<port>",
    kind: "integer",
    parse: integerValue({ min: 0, max: 65535 }),
    default: "8089",
    commands: ["run"],
    help: "web UI port",
    group: "Web UI",
  },
  webAuth: {
    flag: "--web-auth",
    arg: "<user:pass>",
    kind: "text",
    parse: textValue,
    commands: ["run"],
    help: "ask for this user and password (HTTP basic auth) on every page; " +
      "use it whenever the UI is reachable from other machines",
    group: "Web UI",
    secret: true,
  },
  autostart: {
    ...SWITCH,
    flag: "--autostart",
    commands: ["run"],
    help: "start a run at once with these settings, web UI still served (Locust's --autostart)",
    group: "Web UI",
  },
  autoquit: {
    flag: "--autoquit",
    arg: "<seconds>",
    kind: "number",
    parse: numberValue({ allowZero: true }),
    unsetHelp: "keep serving",
    commands: ["run"],
    help: "with --autostart: quit this many seconds after the run ends (Locust's --autoquit)",
    group: "Web UI",
  },

  // Outputs
  output: {
    flag: "--output",
    alias: "--csv",
    arg: "<prefix>",
    kind: "path",
    parse: textValue,
    commandDefaults: { demo: inOut("osml-load") },
    commands: ALL,
    help: "write Locust CSV files PREFIX_stats.csv, _stats_history.csv, _failures.csv, " +
      "_exceptions.csv (--csv is Locust's name)",
    group: "Outputs",
  },
  csvFullHistory: {
    ...SWITCH,
    flag: "--csv-full-history",
    commands: ALL,
    help: "append every entry, not only Aggregated, to PREFIX_stats_history.csv",
    group: "Outputs",
  },
  html: {
    flag: "--html",
    arg: "<file>",
    kind: "path",
    parse: textValue,
    commandDefaults: { demo: inOut("report.html") },
    commands: ALL,
    help: "write a self-contained HTML report",
    group: "Outputs",
  },
  json: {
    flag: "--json",
    arg: "<file>",
    kind: "path",
    parse: textValue,
    commandDefaults: { demo: inOut("stats.json") },
    commands: ALL,
    help: "write the final statistics as JSON",
    group: "Outputs",
  },
  junit: {
    flag: "--junit",
    arg: "<file>",
    kind: "path",
    parse: textValue,
    commands: ALL,
    help: "write the thresholds' verdicts as a JUnit XML report",
    group: "Outputs",
  },
  logDir: {
    flag: "--log-dir",
    arg: "<dir>",
    kind: "path",
    parse: textValue,
    default: "logs",
    commandDefaults: { demo: inOut("") },
    commands: ALL,
    help: "folder for job_status.json, job_summary.json, job_log.log",
    group: "Outputs",
  },
  statsInterval: {
    flag: "--stats-interval",
    arg: "<seconds>",
    kind: "number",
    parse: numberValue({ allowZero: false }),
    default: "30",
    commandDefaults: { demo: "10" },
    commands: ALL,
    help: "seconds between job statistics and JSON log rewrites",
    group: "Outputs",
  },
  consoleInterval: {
    flag: "--console-interval",
    arg: "<seconds>",
    kind: "number",
    parse: numberValue({ allowZero: false }),
    default: "2",
    commandDefaults: { demo: "5" },
    commands: ALL,
    help: "seconds between live console updates (headless)",
    group: "Outputs",
  },
  onlySummary: {
    ...SWITCH,
    flag: "--only-summary",
    commands: ALL,
    help: "print only the final statistics, not the live tables (Locust's --only-summary)",
    group: "Outputs",
  },

  resultsTo: {
    flag: "--results-to",
    arg: "<s3-url>",
    kind: "s3",
    parse: s3Value,
    commands: ALL,
    help: "when the run ends, upload its outputs to <s3-url>/<run-id>/gen-<index>/ " +
      "(from OSML_LOAD_RUN_ID and OSML_LOAD_GENERATOR_INDEX) for osml-load merge",
    group: "Outputs",
  },

  // Generators on ECS (run --generators N)
  generators: {
    flag: "--generators",
    arg: "<n>",
    kind: "integer",
    parse: integerValue({ min: 1 }),
    unsetHelp: "none: this process is the generator",
    commands: RUN_DEMO,
    help: "start N generators as ECS tasks, each with its share of the users or rate, " +
      "then merge their results here",
    group: "Generators (ECS)",
  },
  cluster: {
    flag: "--cluster",
    arg: "<name>",
    kind: "text",
    parse: textValue,
    default: "osml-load",
    commands: ["run"],
    help: "ECS cluster the generator tasks run in",
    group: "Generators (ECS)",
  },
  taskDefinition: {
    flag: "--task-definition",
    arg: "<family>",
    kind: "text",
    parse: textValue,
    default: "osml-load",
    commands: ["run"],
    help: "the generators' ECS task definition: family, family:revision or ARN " +
      "(deploy/ecs-task-definition.json)",
    group: "Generators (ECS)",
  },
  subnets: {
    flag: "--subnets",
    arg: "<ids>",
    kind: "text",
    parse: textValue,
    unsetHelp: "none; required for Fargate (awsvpc) task definitions",
    commands: ["run"],
    help: "comma-separated subnet ids of the generator tasks",
    group: "Generators (ECS)",
  },
  securityGroups: {
    flag: "--security-groups",
    arg: "<ids>",
    kind: "text",
    parse: textValue,
    unsetHelp: "the VPC's default security group",
    commands: ["run"],
    help: "comma-separated security group ids of the generator tasks",
    group: "Generators (ECS)",
  },
  assignPublicIp: {
    ...SWITCH,
    flag: "--assign-public-ip",
    commands: ["run"],
    help: "give the generator tasks public IPs (public subnets without a NAT gateway)",
    group: "Generators (ECS)",
  },

  // Logging
  verbose: {
    ...SWITCH,
    flag: "--verbose",
    commands: ALL,
    help: "log DEBUG messages (same as -L DEBUG)",
    group: "Logging",
  },
  loglevel: {
    flag: "--loglevel",
    alias: "-L",
    arg: "<level>",
    kind: "choice",
    parse: choiceValue(LOG_LEVELS),
    choices: LOG_LEVELS,
    default: "INFO",
    commands: ALL,
    help: "least important messages logged: DEBUG, INFO, WARNING or ERROR",
    group: "Logging",
  },
  logfile: {
    flag: "--logfile",
    arg: "<file>",
    kind: "path",
    parse: textValue,
    commands: ALL,
    help: "also append the log to this file (job_log.log is written either way)",
    group: "Logging",
  },
} as const satisfies Record<string, OptionSpec>;

/** The name of an option: the camel case of its long flag. */
export type OptionKey = keyof typeof OPTIONS;

type Parsed<S> = S extends { parse: ValueParser<infer T> } ? T : never;

/** The typed value of one option spec: a list if repeatable; possibly unset without a default. */
export type ValueOf<S> = S extends { repeatable: true } ? Parsed<S>[]
  : S extends { default: DefaultSpec } ? Parsed<S>
  : Parsed<S> | undefined;

/** Every option's typed value. */
export type OptionValues = { -readonly [K in OptionKey]: ValueOf<(typeof OPTIONS)[K]> };

/**
 * The options of `command`, in table order, with their keys.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { optionsOf } from "./options.ts";
 * assert.ok(optionsOf("capacity").some(([key]) => key === "startRate"));
 * assert.ok(!optionsOf("capacity").some(([key]) => key === "stages"));
 * ```
 */
export function optionsOf(command: CommandName): Array<[OptionKey, OptionSpec]> {
  return (Object.entries(OPTIONS) as Array<[OptionKey, OptionSpec]>).filter(([, spec]) =>
    spec.commands.includes(command)
  );
}

/**
 * Every option with its key, in table order.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { allOptions } from "./options.ts";
 * assert.equal(allOptions()[0]?.[0], "config");
 * ```
 */
export function allOptions(): Array<[OptionKey, OptionSpec]> {
  return Object.entries(OPTIONS) as Array<[OptionKey, OptionSpec]>;
}
