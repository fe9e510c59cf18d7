/**
 * The settings of one load test, resolved from the command line and the
 * environment (flags > environment > defaults; the ECS task definition is
 * read later, in discovery). Pure: no AWS calls here, so every bad flag is
 * reported before anything runs.
 *
 * @example
 * ```ts
 * import { resolveRunSettings } from "./run_settings.ts";
 * const settings = resolveRunSettings({ sourceBucket: "s3://images", resultBucket: "s3://results" }, {});
 * settings.users; // 1
 * settings.windowS; // 60
 * ```
 * @module
 */
import { UsageError } from "../usage_error.ts";
import { parseCount, parseDuration, parsePositiveNumber } from "./duration.ts";
import { parseS3Location, type S3Location } from "./s3_location.ts";
import { parseUserMix, type UserMix } from "../users/user_mix.ts";
import { resolveUserKindName } from "../users/registry.ts";
import { parseThreshold } from "../stats/thresholds.ts";
import { defaultMaxWorkers } from "./default_max_workers.ts";
import { parseShapeSettings, type ShapeSettings } from "../shapes/shape_settings.ts";

/** Raw flag values as commander gives them (strings, booleans, string lists). */
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
  verbose: boolean;
  /** CSV prefix (`.json` removed, as upstream). */
  csvPrefix: string | undefined;
  csvFullHistory: boolean;
  htmlPath: string | undefined;
  jsonPath: string | undefined;
  /** `--junit FILE`: threshold verdicts as JUnit XML. */
  junitPath: string | undefined;
  statsIntervalS: number;
  consoleIntervalS: number;
  /** No live console tables, only the final ones (Locust's `--only-summary`). */
  onlySummary: boolean;
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
}

function str(flags: RunFlags, key: string): string | undefined {
  const value = flags[key];
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}

function env(envVars: Record<string, string | undefined>, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = envVars[name];
    if (value) return value;
  }
  return undefined;
}

/**
 * Resolve and validate every run flag. `envVars` supplies the environment
 * fallbacks (`S3_LOAD_TEST_SOURCE_IMAGE_BUCKET` or `S3_SOURCE_IMAGE_BUCKET`,
 * `S3_LOAD_TEST_RESULT_BUCKET` or `S3_RESULT_BUCKET`, `SM_LOAD_TEST_MODEL`,
 * `PROCESSING_WINDOW_MIN`, `TASK_DEFINITION_PATTERN`).
 */
export function resolveRunSettings(
  flags: RunFlags,
  envVars: Record<string, string | undefined>,
): RunSettings {
  const userMix = parseUserMix(str(flags, "userClass") ?? "load-test", resolveUserKindName);
  const needsBuckets = userMix.some((m) => m.kind === "load-test");
  const source = str(flags, "sourceBucket") ??
    env(envVars, "S3_LOAD_TEST_SOURCE_IMAGE_BUCKET", "S3_SOURCE_IMAGE_BUCKET");
  const result = str(flags, "resultBucket") ??
    env(envVars, "S3_LOAD_TEST_RESULT_BUCKET", "S3_RESULT_BUCKET");
  if (needsBuckets && !source) {
    throw new UsageError(
      "--source-bucket is required (or set S3_LOAD_TEST_SOURCE_IMAGE_BUCKET): give the S3 bucket of test images, e.g. --source-bucket s3://my-images",
    );
  }
  if (needsBuckets && !result) {
    throw new UsageError(
      "--result-bucket is required (or set S3_LOAD_TEST_RESULT_BUCKET): give the S3 bucket for results, e.g. --result-bucket s3://my-results",
    );
  }
  const runTime = str(flags, "runTime");
  const windowMin = str(flags, "processingWindowMin") ?? env(envVars, "PROCESSING_WINDOW_MIN");
  const windowS = runTime
    ? parseDuration(runTime, "--run-time")
    : parsePositiveNumber(windowMin ?? "1", "--processing-window-min") * 60;
  if (windowS <= 0) throw new UsageError("--run-time must be longer than 0s, e.g. --run-time 90s");
  const output = str(flags, "output");
  const waitMin = parsePositiveNumber(str(flags, "waitMin") ?? "1", "--wait-min", true);
  const waitMax = parsePositiveNumber(str(flags, "waitMax") ?? "3", "--wait-max", true);
  if (waitMax < waitMin) {
    throw new UsageError(`--wait-max (${waitMax}) must be ≥ --wait-min (${waitMin})`);
  }
  const exitCodeOnError = parseCount(str(flags, "exitCodeOnError") ?? "1", "--exit-code-on-error");
  if (exitCodeOnError > 255) throw new UsageError("--exit-code-on-error must be 0–255");
  const webPort = parseCount(str(flags, "webPort") ?? "8089", "--web-port");
  if (webPort > 65535) throw new UsageError("--web-port must be 0–65535");
  const thresholds = flags.threshold;
  // Malformed thresholds fail before anything runs (unknown entries can only be known at the end).
  if (Array.isArray(thresholds)) { for (const expr of thresholds) parseThreshold(expr); }
  return {
    sourceBucket: source ? parseS3Location(source, "--source-bucket") : undefined,
    resultBucket: result ? parseS3Location(result, "--result-bucket") : undefined,
    modelName: str(flags, "modelName") ?? env(envVars, "SM_LOAD_TEST_MODEL") ?? "centerpoint",
    users: parseCount(str(flags, "users") ?? "1", "--users"),
    spawnRate: parsePositiveNumber(str(flags, "spawnRate") ?? "1", "--spawn-rate"),
    windowS,
    headless: flags.headless === true,
    webHost: str(flags, "webHost") ?? "127.0.0.1",
    webPort,
    verbose: flags.verbose === true,
    csvPrefix: output ? output.replaceAll(".json", "") : undefined,
    csvFullHistory: flags.csvFullHistory === true,
    htmlPath: str(flags, "html"),
    jsonPath: str(flags, "json"),
    junitPath: str(flags, "junit"),
    statsIntervalS: parsePositiveNumber(str(flags, "statsInterval") ?? "30", "--stats-interval"),
    consoleIntervalS: parsePositiveNumber(
      str(flags, "consoleInterval") ?? "2",
      "--console-interval",
    ),
    onlySummary: flags.onlySummary === true,
    logDir: str(flags, "logDir") ?? "logs",
    waitForCompletion: flags.waitForCompletion === true,
    completionTimeoutS: parseDuration(
      str(flags, "completionTimeout") ?? "30m",
      "--completion-timeout",
    ),
    jobTimeoutS: parseDuration(str(flags, "jobTimeout") ?? "15m", "--job-timeout"),
    awsAccount: str(flags, "awsAccount"),
    awsRegion: str(flags, "awsRegion"),
    inputQueue: str(flags, "mrInputQueue"),
    statusQueue: str(flags, "mrStatusQueue"),
    taskDefinitionPattern: env(envVars, "TASK_DEFINITION_PATTERN") ?? "ModelRunnerDataplane",
    testImageryLocation: str(flags, "testImageryLocation"),
    testResultsLocation: str(flags, "testResultsLocation"),
    requestFile: str(flags, "requestFile"),
    includeAllEndpoints: flags.includeAllEndpoints === true,
    userMix,
    maxWorkers: parseCount(
      str(flags, "maxWorkers") ?? String(defaultMaxWorkers()),
      "--max-workers",
      1,
    ),
    keepForeignStatus: flags.keepForeignStatus === true,
    dryRun: flags.dryRun === true,
    thresholds: Array.isArray(thresholds) ? thresholds : [],
    exitCodeOnError,
    waitMinS: waitMin,
    waitMaxS: waitMax,
    shape: parseShapeSettings(flags, windowS),
    maxLatenessS: parseDuration(str(flags, "maxLateness") ?? "30s", "--max-lateness"),
    stopTimeoutS: parseDuration(str(flags, "stopTimeout") ?? "10s", "--stop-timeout"),
    awsTimeoutS: parseDuration(str(flags, "awsTimeout") ?? "15s", "--aws-timeout"),
  };
}
