/**
 * The settings of one load test, resolved from the option table
 * (`options.ts`): flag > environment > config file > default; the ECS task
 * definition is read later, in discovery. Pure: no AWS calls and no file
 * reads here, so every bad value is reported before anything runs.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { resolveRunSettings } from "./run_settings.ts";
 * const settings = resolveRunSettings({ sourceBucket: "s3://images", resultBucket: "s3://results" }, {});
 * assert.equal(settings.users, 1);
 * assert.equal(settings.windowS, 60);
 * ```
 * @module
 */
import { UsageError } from "../usage_error.ts";
import type { S3Location } from "../aws/s3_location.ts";
import type { AwsEnv } from "../aws/aws_settings.ts";
import { parseUserMix, type UserMix } from "./user_mix.ts";
import { resolveUserKindName } from "./user_kind_names.ts";
import { parseShapeSettings, type ShapeSettings } from "./shape_settings.ts";
import type { LogLevel } from "../log/run_log.ts";
import type { ConfigFile } from "./config_file.ts";
import type { CommandName } from "./option_spec.ts";
import type { OptionKey, STATUS_SOURCES } from "./options.ts";
import { sourceRank, withSource } from "./option_source.ts";
import { type RawFlags, type ResolvedOptions, resolveOptions } from "./resolve_options.ts";

/** The longest load window a run accepts (a year; beyond it dates stop making sense). */
export const MAX_WINDOW_S = 366 * 86_400;

/** Raw flag values as commander gives them (strings, booleans, string lists), by option key. */
export type RunFlags = Record<string, string | boolean | string[] | undefined>;

/** Resolved settings of a run. */
export interface RunSettings {
  sourceBucket: S3Location | undefined;
  resultBucket: S3Location | undefined;
  modelName: string;
  users: number;
  spawnRate: number;
  /** Length of the load window in seconds. */
  windowS: number;
  headless: boolean;
  webHost: string;
  webPort: number;
  /** `--web-auth USER:PASSWORD` (or `OSML_LOAD_WEB_AUTH`), unparsed. */
  webAuth: string | undefined;
  /** Web UI: start a run at once with these settings (Locust's `--autostart`). */
  autostart: boolean;
  /** Web UI: quit this many seconds after the run ends (Locust's `--autoquit`). */
  autoquitS: number | undefined;
  /** Log DEBUG messages (`--verbose` or `-L DEBUG`). */
  verbose: boolean;
  /** Least important level logged (`-L/--loglevel`; DEBUG with `--verbose`). */
  logLevel: LogLevel;
  /** Also append the log to this file (Locust's `--logfile`). */
  logFile: string | undefined;
  /** CSV prefix (`.json` removed, as upstream). */
  csvPrefix: string | undefined;
  csvFullHistory: boolean;
  htmlPath: string | undefined;
  jsonPath: string | undefined;
  /** JUnit XML report of the thresholds (`--junit`). */
  junitPath: string | undefined;
  /** Upload the outputs below this S3 location at the end (`--results-to`). */
  resultsTo: S3Location | undefined;
  /** Print only the final summary, not live tables (Locust's `--only-summary`). */
  onlySummary: boolean;
  /** Reset the statistics once every user has started (Locust's `--reset-stats`). */
  resetStats: boolean;
  statsIntervalS: number;
  consoleIntervalS: number;
  logDir: string;
  waitForCompletion: boolean;
  completionTimeoutS: number;
  jobTimeoutS: number;
  awsAccount: string | undefined;
  awsRegion: string | undefined;
  inputQueue: string | undefined;
  statusQueue: string | undefined;
  taskDefinitionPattern: string;
  testImageryLocation: string | undefined;
  testResultsLocation: string | undefined;
  requestFile: string | undefined;
  includeAllEndpoints: boolean;
  userMix: UserMix;
  maxWorkers: number;
  keepForeignStatus: boolean;
  /** `--status-source`: a private subscription, the shared status queue, or auto. */
  statusSource: typeof STATUS_SOURCES[number];
  /** `--mr-status-topic`: the status topic's ARN or name (default: from the task definition). */
  statusTopic: string | undefined;
  dryRun: boolean;
  thresholds: string[];
  exitCodeOnError: number;
  /** Wait between tasks of fire-and-forget users (upstream: 1–3 s). */
  waitMinS: number;
  waitMaxS: number;
  /** The load shape and its options (`--shape`). */
  shape: ShapeSettings;
  /** Open model: a submission that waits longer than this for a free user is dropped. */
  maxLatenessS: number;
  /** Longest graceful stop (Locust's `--stop-timeout`): users, monitor and outputs, in seconds. */
  stopTimeoutS: number;
  /** Timeout of one AWS call (connection and request), in seconds; long polls add their wait. */
  awsTimeoutS: number;
  /**
   * The environment the settings were resolved from. Every AWS client of the run reads its
   * endpoint overrides and static credentials here (not the process environment), and so do
   * discovery (`REGION`, `AWS_REGION`, `ACCOUNT`) and the generator identity. Never print it.
   */
  env: AwsEnv;
}

/** Which command's options and defaults apply, and the layers besides flags and environment. */
export interface RunContext {
  /** Default `run`. */
  command?: CommandName;
  /** The config file, when one was read (see `findConfigFile`). */
  config?: ConfigFile | undefined;
  /** Values the command sets itself (the demo's buckets, capacity's headless). */
  fixed?: RawFlags;
}

/** The settings and the resolved options they came from (for `--dry-run`). */
export interface ResolvedRun {
  settings: RunSettings;
  options: ResolvedOptions;
}

// The options of each shape, passed on to the shape parser as text.
const SHAPE_KEYS: readonly OptionKey[] = [
  "shape",
  "stages",
  "burstPeriod",
  "burstMin",
  "burstPeak",
  "burstStd",
  "burstMean",
  "rate",
  "rateStages",
];
const CAPACITY_KEYS: readonly OptionKey[] = [
  "startRate",
  "step",
  "stepDuration",
  "maxLatency",
  "maxFailRatio",
  "maxSteps",
];

/**
 * Resolve the options of `context.command` (default `run`) and turn them
 * into {@linkcode RunSettings}, with where each value came from.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { resolveRun } from "./run_settings.ts";
 * const { settings, options } = resolveRun({ runTime: "30s" }, {}, { command: "demo", fixed: { sourceBucket: "a-b-c", resultBucket: "d-e-f" } });
 * assert.equal(settings.users, 5);
 * assert.equal(settings.windowS, 30);
 * assert.equal(options.sources.users.kind, "default");
 * ```
 */
export function resolveRun(
  flags: RunFlags,
  envVars: Record<string, string | undefined>,
  context: RunContext = {},
): ResolvedRun {
  const command = context.command ?? "run";
  const options = resolveOptions({
    command,
    flags,
    env: envVars,
    config: context.config,
    ...(context.fixed ? { fixed: context.fixed } : {}),
  });
  const v = options.values;
  const from = <T>(key: OptionKey, fn: () => T): T => withSource(options.sources[key], fn);
  const userMix = from("userClass", () => parseUserMix(v.userClass, resolveUserKindName));
  const needsBuckets = userMix.some((m) => m.kind === "load-test");
  if (needsBuckets && !v.sourceBucket) {
    throw new UsageError(
      "--source-bucket is required (or set S3_LOAD_TEST_SOURCE_IMAGE_BUCKET, or source-bucket in osml-load.conf): give the S3 bucket of test images, e.g. --source-bucket s3://my-images",
    );
  }
  if (needsBuckets && !v.resultBucket) {
    throw new UsageError(
      "--result-bucket is required (or set S3_LOAD_TEST_RESULT_BUCKET, or result-bucket in osml-load.conf): give the S3 bucket for results, e.g. --result-bucket s3://my-results",
    );
  }
  // --run-time wins over --processing-window-min given at the same level (flag, env, file).
  const runTimeRank = sourceRank(options.sources.runTime);
  const windowS = v.runTime !== undefined &&
      runTimeRank >= sourceRank(options.sources.processingWindowMin)
    ? v.runTime
    : v.processingWindowMin * 60;
  if (windowS > MAX_WINDOW_S) {
    throw new UsageError(
      `the load window (${windowS} s) is longer than ${MAX_WINDOW_S / 86_400} days: ` +
        "give a shorter --run-time or --processing-window-min, e.g. --run-time 24h",
    );
  }
  if (v.waitMax < v.waitMin) {
    throw new UsageError(`--wait-max (${v.waitMax}) must be ≥ --wait-min (${v.waitMin})`);
  }
  const shapeText = (keys: readonly OptionKey[]) => {
    const texts: Record<string, string> = {};
    for (const key of keys) {
      const text = options.texts[key];
      if (typeof text === "string") texts[key] = text;
    }
    return texts;
  };
  const shape = command === "capacity"
    ? parseShapeSettings({ ...shapeText(CAPACITY_KEYS), shape: "capacity" }, windowS)
    : parseShapeSettings(shapeText(SHAPE_KEYS), windowS);
  const logLevel: LogLevel = v.verbose ? "DEBUG" : v.loglevel;
  const settings: RunSettings = {
    sourceBucket: v.sourceBucket,
    resultBucket: v.resultBucket,
    modelName: v.modelName,
    users: v.users,
    spawnRate: v.spawnRate,
    windowS,
    headless: v.headless,
    webHost: v.webHost,
    webPort: v.webPort,
    webAuth: v.webAuth,
    autostart: v.autostart,
    autoquitS: v.autoquit,
    verbose: logLevel === "DEBUG",
    logLevel,
    logFile: v.logfile,
    csvPrefix: v.output?.replaceAll(".json", ""),
    csvFullHistory: v.csvFullHistory,
    htmlPath: v.html,
    jsonPath: v.json,
    junitPath: v.junit,
    resultsTo: v.resultsTo,
    onlySummary: v.onlySummary,
    resetStats: v.resetStats,
    statsIntervalS: v.statsInterval,
    consoleIntervalS: v.consoleInterval,
    logDir: v.logDir,
    waitForCompletion: v.waitForCompletion,
    completionTimeoutS: v.completionTimeout,
    jobTimeoutS: v.jobTimeout,
    awsAccount: v.awsAccount,
    awsRegion: v.awsRegion,
    inputQueue: v.mrInputQueue,
    statusQueue: v.mrStatusQueue,
    taskDefinitionPattern: v.taskDefinitionPattern,
    testImageryLocation: v.testImageryLocation,
    testResultsLocation: v.testResultsLocation,
    requestFile: v.requestFile,
    includeAllEndpoints: v.includeAllEndpoints,
    userMix,
    maxWorkers: v.maxWorkers,
    keepForeignStatus: v.keepForeignStatus,
    statusSource: v.statusSource,
    statusTopic: v.mrStatusTopic,
    dryRun: v.dryRun,
    thresholds: v.threshold,
    exitCodeOnError: v.exitCodeOnError,
    waitMinS: v.waitMin,
    waitMaxS: v.waitMax,
    shape,
    maxLatenessS: v.maxLateness,
    stopTimeoutS: v.stopTimeout,
    awsTimeoutS: v.awsTimeout,
    env: { ...envVars },
  };
  return { settings, options };
}

/**
 * Resolve and validate every run option into {@linkcode RunSettings}.
 * `envVars` supplies `OSML_LOAD_<FLAG>` and upstream's variables
 * (`S3_LOAD_TEST_SOURCE_IMAGE_BUCKET` or `S3_SOURCE_IMAGE_BUCKET`,
 * `S3_LOAD_TEST_RESULT_BUCKET` or `S3_RESULT_BUCKET`, `SM_LOAD_TEST_MODEL`,
 * `PROCESSING_WINDOW_MIN`, `TASK_DEFINITION_PATTERN`) and is kept as
 * {@linkcode RunSettings.env}, the environment the run's AWS clients read;
 * `context` names the command, the config file and the command's own values.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { resolveRunSettings } from "./run_settings.ts";
 * const s = resolveRunSettings({ users: "5", runTime: "30s", output: "out/x" }, { S3_SOURCE_IMAGE_BUCKET: "s3://src", S3_RESULT_BUCKET: "s3://res" });
 * assert.equal(s.users, 5);
 * assert.equal(s.windowS, 30);
 * ```
 */
export function resolveRunSettings(
  flags: RunFlags,
  envVars: Record<string, string | undefined>,
  context: RunContext = {},
): RunSettings {
  return resolveRun(flags, envVars, context).settings;
}
