/**
 * `osml-load run --generators N`: one load test run by N generators, each an
 * ECS task of the osml-load container (ECS is the distributed engine, not
 * this process), merged here into the outputs of one run.
 *
 * 1. **prepare** — the plan (each generator's share of the users, or of the
 *    rate; `generator_plan.ts`), the local output paths, the `--results-to`
 *    bucket (HeadBucket), the task definition (DescribeTaskDefinition: its
 *    container, and whether it needs `--subnets`). A problem is one line and
 *    exit 2, before any task starts. `--dry-run` prints the plan and the first
 *    generator's command line and stops here.
 * 2. **start** — one RunTask per generator: its command (`generator_command.ts`),
 *    `OSML_LOAD_GENERATOR_INDEX` and `OSML_LOAD_RUN_ID` in its environment,
 *    `startedBy` `osml-load/<run-id>`. If ECS refuses one, the started ones are
 *    stopped and the run ends (exit 2, or 4 when ECS had no capacity).
 * 3. **follow** — DescribeTasks every `pollMs`: a compact status line when
 *    something changes (every 30 s otherwise), and a line for each generator
 *    that stops, by index, with ECS's stop code and reason and the exit code.
 *    Ctrl-C or SIGTERM (or the run's expected end plus 10 minutes) sends
 *    StopTask to every generator still running; they stop gracefully (their
 *    own `--stop-timeout`) and upload what they have. The wait for them is
 *    bounded by `--stop-timeout` + 60 s; a second Ctrl-C exits at once.
 * 4. **merge** — `osml-load merge s3://…/<run-id>/ --generators N` into the
 *    local outputs (`--log-dir`, `--output`, `--html`, `--json`), then the
 *    merged `job_summary.json` gets `run_id`, each generator's ECS task
 *    (`generator_tasks`), and every generator that died in
 *    `failed_generators`, with `partial: true`. `--threshold` is evaluated
 *    once, on the merged statistics (and written to `--junit`).
 *
 * Exit codes: 130 interrupted; 1 when the result is partial (a generator
 * died, is missing from the results, or did not finish) or, with everything
 * there, when failures were recorded (`--exit-code-on-error`); 3 thresholds
 * failed; 2 bad input; 4 nothing could be merged (no generator uploaded
 * results) or ECS could not place the tasks; 0 otherwise.
 *
 * @example
 * Not run as a test: it starts ECS tasks in the AWS account and waits for their whole run.
 * ```ts ignore
 * import { resolveRun } from "../config/run_settings.ts";
 * import { distributeRun } from "./distribute.ts";
 * const { settings, options } = resolveRun({ generators: "3", resultsTo: "s3://results/load/", subnets: "subnet-1" }, Deno.env.toObject());
 * Deno.exitCode = await distributeRun({ settings, options });
 * ```
 * @module
 */
import { join } from "node:path";
import {
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  type DescribeTasksCommandOutput,
  type ECSClient,
  RunTaskCommand,
  type RunTaskCommandInput,
  StopTaskCommand,
  type Task,
} from "@aws-sdk/client-ecs";
import type { S3Client } from "@aws-sdk/client-s3";
import { awsErrorCode, awsHttpStatus } from "../aws/aws_errors.ts";
import { ecsClient } from "../aws/ecs_client.ts";
import { s3Client } from "../aws/s3_client.ts";
import { resolveRegion } from "../discovery/region.ts";
import { evaluateRunThresholds } from "../engine/run_thresholds.ts";
import { parseMergeableStats } from "../stats/mergeable_stats_parse.ts";
import { mergeCommand } from "./merge.ts";
import { jobStatisticsOf, mergedContext, replayDocument } from "./merge_outputs.ts";
import { createJunitReportOutput } from "../output/junit_report.ts";
import { formatResolvedOptions } from "../config/format_options.ts";
import type { ResolvedOptions } from "../config/resolve_options.ts";
import type { RunSettings } from "../config/run_settings.ts";
import { formatS3Url } from "../aws/s3_location.ts";
import { abortableSleep } from "../engine/abortable_sleep.ts";
import { formatGeneratorPlan, planGenerators } from "../engine/generator_plan.ts";
import { Interrupt } from "../engine/interrupt.ts";
import { ExitCode } from "../exit_codes.ts";
import { writeTextFileAtomic } from "../fs/atomic_write.ts";
import { type PlannedOutput, preflightOutputs } from "../fs/preflight.ts";
import { plannedOutputs } from "../engine/run_outputs.ts";
import { runResultsUrl } from "../output/results_upload.ts";
import { checkBucket } from "../discovery/bucket_check.ts";
import { buildShape } from "../shapes/build_shape.ts";
import { MERGEABLE_STATS_FILE } from "../stats/mergeable_stats.ts";
import { stringifyPythonJson } from "../tracker/python_json.ts";
import { UsageError } from "../usage_error.ts";
import { generatorArgs } from "./generator_command.ts";
import { type GeneratorOutcome, generatorOutcome, generatorsLine } from "./generator_status.ts";

/** Options of {@linkcode distributeRun}. */
export interface DistributeRunOptions {
  /** The run's settings (`resolveRun`). */
  settings: RunSettings;
  /** The options they came from: the generators get the ones that were given. */
  options: ResolvedOptions;
  /** Where the plan (`--dry-run`) and the merged tables go (default: standard output). */
  write?: (line: string) => void;
  /** Where progress, warnings and the status line go (default: standard error). */
  say?: (line: string) => void;
  /**
   * The environment (default: the process's): `OSML_LOAD_RUN_ID`, `OSML_LOAD_GENERATOR_INDEX`.
   * The AWS clients read `settings.env`.
   */
  env?: Record<string, string | undefined>;
  /** Listen for Ctrl-C / SIGTERM (default true). */
  handleSignals?: boolean;
  /** Stop the generators when this aborts (as Ctrl-C does). */
  signal?: AbortSignal;
  /** The run id (default `OSML_LOAD_RUN_ID`, else a new one). */
  runId?: string;
  /** With `--dry-run`, print every resolved option first (default true). */
  printOptions?: boolean;
  /** How often the tasks are described, ms (default 2 000). */
  pollMs?: number;
  /**
   * Options for one generator only, by option key, as text (the demo gives
   * each generator its own status queue this way).
   */
  generatorOptions?: (index: number) => Record<string, string>;
}

/** A started generator, as the run follows it. */
interface GeneratorTask {
  index: number;
  taskArn: string;
  lastStatus: string;
  stoppedByUs: boolean;
  task: Task | undefined;
  outcome: GeneratorOutcome | undefined;
}

/** What the run needs of the generators' task definition. */
interface GeneratorTaskDefinition {
  arn: string;
  container: string;
  awsvpc: boolean;
  fargate: boolean;
  /** CloudWatch log group and stream prefix of the container, with the awslogs driver. */
  logs: { group: string; streamPrefix: string } | undefined;
}

/** How long ECS may take to place and start the tasks, beyond the run's own length. */
const STARTUP_SLACK_S = 600;
/** After StopTask: how long past `--stop-timeout` the generators may take to stop. */
const STOP_SLACK_S = 60;
/** A status line at least this often while nothing changes. */
const QUIET_LINE_MS = 30_000;

/**
 * A new run id: the UTC start time and 6 random hex digits, e.g. `20250301T101500Z-3fa9c2`.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { newRunId } from "./distribute.ts";
 * assert.match(newRunId(Date.UTC(2025, 2, 1, 10, 15)), /^20250301T101500Z-[0-9a-f]{6}$/);
 * ```
 */
export function newRunId(now = Date.now()): string {
  const stamp = new Date(now).toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  return `${stamp}-${crypto.randomUUID().replace(/-/g, "").slice(0, 6)}`;
}

/**
 * A comma-separated list (`--subnets`, `--security-groups`) as its items.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { splitList } from "./distribute.ts";
 * assert.deepEqual(splitList(" subnet-1, subnet-2 ,"), ["subnet-1", "subnet-2"]);
 * assert.deepEqual(splitList(undefined), []);
 * ```
 */
export function splitList(text: string | undefined): string[] {
  return (text ?? "").split(",").map((s) => s.trim()).filter(Boolean);
}

/**
 * The local outputs the merge writes, for the preflight before any task starts: a run's outputs,
 * with the Locust CSV files always (the merge writes them under the log folder by default).
 */
function mergedOutputs(settings: RunSettings): PlannedOutput[] {
  return plannedOutputs({
    ...settings,
    csvPrefix: settings.csvPrefix ?? join(settings.logDir, "osml-load"),
  });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function describeTaskDefinition(
  ecs: ECSClient,
  ref: string,
  region: string,
): Promise<GeneratorTaskDefinition> {
  let td;
  try {
    td = (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: ref })))
      .taskDefinition;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = awsErrorCode(error);
    if (code === "ClientException" || code === "InvalidParameterException") {
      throw new UsageError(
        `ECS task definition '${ref}' not found in ${region} (${messageOf(error)}): register ` +
          "deploy/ecs-task-definition.json (aws ecs register-task-definition --cli-input-json " +
          "file://deploy/ecs-task-definition.json), or pass --task-definition",
      );
    }
    throw new UsageError(
      `could not read ECS task definition '${ref}' (${code}: ${messageOf(error)}): check ` +
        "the region and that your credentials allow ecs:DescribeTaskDefinition",
    );
  }
  const containers = td?.containerDefinitions ?? [];
  const main = containers.find((c) => c.essential !== false) ?? containers[0];
  if (!td?.taskDefinitionArn || !main?.name) {
    throw new UsageError(
      `ECS task definition '${ref}' has no container: register deploy/ecs-task-definition.json`,
    );
  }
  const log = main.logConfiguration;
  const group = log?.logDriver === "awslogs" ? log.options?.["awslogs-group"] : undefined;
  const streamPrefix = log?.options?.["awslogs-stream-prefix"];
  return {
    arn: td.taskDefinitionArn,
    container: main.name,
    awsvpc: td.networkMode === "awsvpc",
    fargate: (td.requiresCompatibilities ?? []).includes("FARGATE"),
    logs: group && streamPrefix ? { group, streamPrefix } : undefined,
  };
}

/** RunTask problems as one line naming the fix. */
function runTaskProblem(error: unknown, index: number, cluster: string): UsageError {
  if (error instanceof UsageError) return error;
  const code = awsErrorCode(error);
  const status = awsHttpStatus(error);
  if (code === "ClusterNotFoundException") {
    return new UsageError(
      `ECS cluster '${cluster}' not found: create it (aws ecs create-cluster --cluster-name ` +
        `${cluster}), or pass --cluster`,
    );
  }
  if (code === "AccessDeniedException" || status === 403) {
    return new UsageError(
      `not allowed to start generator ${index} (${code}: ${messageOf(error)}): grant ` +
        "ecs:RunTask on the task definition and iam:PassRole on its roles (deploy/iam-policy.json)",
    );
  }
  return new UsageError(
    `ECS refused to start generator ${index} (${code}: ${messageOf(error)}): check --cluster, ` +
      "--task-definition, --subnets and --security-groups",
  );
}

/**
 * Run the load test on `--generators N` ECS tasks and merge their results;
 * returns the exit code (see the module doc). Throws {@linkcode UsageError}
 * for bad input, before any task starts.
 */
export async function distributeRun(o: DistributeRunOptions): Promise<number> {
  const { settings, options } = o;
  const write = o.write ?? ((line: string) => console.log(line));
  const say = o.say ?? ((line: string) => console.error(line));
  const env = o.env ?? Deno.env.toObject();
  const pollMs = o.pollMs ?? 2_000;
  const v = options.values;
  const count = v.generators;
  if (count === undefined) throw new Error("distributeRun needs --generators");
  if (env.OSML_LOAD_GENERATOR_INDEX) {
    throw new UsageError(
      `this process is generator ${env.OSML_LOAD_GENERATOR_INDEX} of a distributed run ` +
        "(OSML_LOAD_GENERATOR_INDEX) and was asked to start generators itself: remove " +
        "--generators (or OSML_LOAD_GENERATORS, or generators in the config file) from the " +
        "generators' settings",
    );
  }
  const resultsTo = settings.resultsTo;
  if (!resultsTo) {
    throw new UsageError(
      "--generators needs --results-to s3://BUCKET/PREFIX/: each generator uploads its results " +
        "there and this run merges them from there",
    );
  }
  const plan = planGenerators({
    generators: count,
    users: settings.users,
    spawnRate: settings.spawnRate,
    shape: settings.shape,
  });
  const runId = o.runId ?? env.OSML_LOAD_RUN_ID ?? newRunId();
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(runId)) {
    throw new UsageError(
      `run id ${JSON.stringify(runId)} (OSML_LOAD_RUN_ID) must be 1-100 letters, digits, ` +
        "'.', '_' or '-': it names the run's folder in S3",
    );
  }
  const subnets = splitList(v.subnets);
  const securityGroups = splitList(v.securityGroups);
  const resultsUrl = runResultsUrl(resultsTo, runId);
  const commands = plan.map((share) =>
    generatorArgs({
      options,
      share,
      resultsTo: formatS3Url(resultsTo),
      ...(o.generatorOptions ? { extra: o.generatorOptions(share.index) } : {}),
    })
  );

  const { region } = await resolveRegion(settings.awsRegion, settings.env);
  const aws = { region, timeoutMs: settings.awsTimeoutS * 1000, env: settings.env };
  const ecs = ecsClient(aws);
  const s3: S3Client = s3Client(aws);
  const stop = new AbortController();
  const interrupt = o.handleSignals === false ? undefined : Interrupt.listen((signal) => {
    say(`${signal} received: stopping the generators (StopTask); they upload what they have`);
    stop.abort();
  });
  const onAbort = () => stop.abort();
  if (o.signal?.aborted) stop.abort();
  else o.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    // ---- prepare ------------------------------------------------------------------------------
    if (!settings.dryRun) await preflightOutputs(mergedOutputs(settings));
    await checkBucket(s3, resultsTo, "--results-to", "write");
    const td = await describeTaskDefinition(ecs, v.taskDefinition, region);
    if (td.awsvpc && subnets.length === 0) {
      throw new UsageError(
        `the task definition ${td.arn} uses awsvpc networking (Fargate): pass the generators' ` +
          "subnets, e.g. --subnets subnet-0abc,subnet-0def",
      );
    }
    if (settings.dryRun && o.printOptions !== false) {
      for (const line of formatResolvedOptions(options)) write(line);
      write("");
    }
    const planOut = settings.dryRun ? write : say;
    for (const line of formatGeneratorPlan(plan)) planOut(line);
    planOut(`Run ${runId}: ${count} generator(s) on ECS cluster ${v.cluster} (${td.arn})`);
    planOut(`  results: ${resultsUrl}`);
    if (settings.dryRun) {
      write(`Generator 0 would run: osml-load ${commands[0]!.join(" ")}`);
      return ExitCode.Ok;
    }
    if (stop.signal.aborted) return ExitCode.Interrupted;

    // ---- start --------------------------------------------------------------------------------
    const tasks: GeneratorTask[] = [];
    const startedAt = Date.now();
    try {
      for (const share of plan) {
        if (stop.signal.aborted) break;
        const input: RunTaskCommandInput = {
          cluster: v.cluster,
          taskDefinition: td.arn,
          count: 1,
          startedBy: `osml-load/${runId}`.replace(/[^A-Za-z0-9_/-]/g, "_").slice(0, 128),
          overrides: {
            containerOverrides: [{
              name: td.container,
              command: commands[share.index]!,
              environment: [
                { name: "OSML_LOAD_GENERATOR_INDEX", value: String(share.index) },
                { name: "OSML_LOAD_RUN_ID", value: runId },
              ],
            }],
          },
        };
        if (td.fargate) input.launchType = "FARGATE";
        if (subnets.length > 0) {
          input.networkConfiguration = {
            awsvpcConfiguration: {
              subnets,
              ...(securityGroups.length > 0 ? { securityGroups } : {}),
              assignPublicIp: v.assignPublicIp ? "ENABLED" : "DISABLED",
            },
          };
        }
        let started;
        try {
          started = await ecs.send(new RunTaskCommand(input));
        } catch (error) {
          throw runTaskProblem(error, share.index, v.cluster);
        }
        const task = started.tasks?.[0];
        if (!task?.taskArn) {
          const failure = started.failures?.[0];
          throw new UsageError(
            `ECS could not start generator ${share.index}: ${failure?.reason ?? "no task"}` +
              `${failure?.detail ? ` (${failure.detail})` : ""}: check the cluster's capacity ` +
              "and the task definition, then try again",
            ExitCode.ToolFailed,
          );
        }
        tasks.push({
          index: share.index,
          taskArn: task.taskArn,
          lastStatus: task.lastStatus ?? "PROVISIONING",
          stoppedByUs: false,
          task,
          outcome: undefined,
        });
        say(`generator ${share.index}: task ${task.taskArn}`);
      }
    } catch (error) {
      if (tasks.length > 0) {
        say(`stopping the ${tasks.length} generator(s) already started`);
        await stopTasks(ecs, v.cluster, tasks, "osml-load: the run could not start", say);
      }
      throw error;
    }

    // ---- follow -------------------------------------------------------------------------------
    const durationS = buildShape(settings.shape, settings).durationS ?? settings.windowS;
    const expectedEndS = durationS +
      (settings.waitForCompletion ? settings.completionTimeoutS : 0) + settings.stopTimeoutS;
    const deadline = startedAt + (expectedEndS + STARTUP_SLACK_S) * 1000;
    let stopDeadline: number | undefined;
    let lastLine = "";
    let lastLineAt = 0;
    let describeErrors = 0;
    const calm = new AbortController().signal;
    for (;;) {
      const open = tasks.filter((t) => t.lastStatus !== "STOPPED");
      if (open.length > 0) {
        try {
          for (let i = 0; i < open.length; i += 100) {
            const out: DescribeTasksCommandOutput = await ecs.send(
              new DescribeTasksCommand({
                cluster: v.cluster,
                tasks: open.slice(i, i + 100).map((t) => t.taskArn),
              }),
            );
            for (const task of out.tasks ?? []) {
              const t = tasks.find((x) => x.taskArn === task.taskArn);
              if (!t) continue;
              t.task = task;
              t.lastStatus = task.lastStatus ?? t.lastStatus;
              if (t.lastStatus === "STOPPED") {
                t.outcome = generatorOutcome(task, {
                  container: td.container,
                  stoppedByUs: t.stoppedByUs,
                });
                reportStopped(t, td, say);
              }
            }
            for (const failure of out.failures ?? []) {
              const t = tasks.find((x) => x.taskArn === failure.arn);
              if (!t || failure.reason !== "MISSING") continue;
              // ECS forgets stopped tasks after about an hour; a missing task has stopped.
              t.lastStatus = "STOPPED";
              t.outcome = {
                died: !t.stoppedByUs,
                exitCode: null,
                stopCode: null,
                reason: "the task is no longer known to ECS (MISSING)",
              };
              reportStopped(t, td, say);
            }
          }
          describeErrors = 0;
        } catch (error) {
          describeErrors++;
          if (describeErrors === 1 || describeErrors % 10 === 0) {
            say(`warning: DescribeTasks failed (${messageOf(error)}); retrying`);
          }
        }
      }
      const now = Date.now();
      const line = generatorsLine(tasks.map((t) => t.lastStatus), (now - startedAt) / 1000);
      const statuses = line.slice(line.indexOf("  "));
      if (statuses !== lastLine || now - lastLineAt >= QUIET_LINE_MS) {
        say(line);
        lastLine = statuses;
        lastLineAt = now;
      }
      if (tasks.every((t) => t.lastStatus === "STOPPED")) break;
      if (stopDeadline === undefined && (stop.signal.aborted || now > deadline)) {
        const reason = stop.signal.aborted
          ? "osml-load: the distributed run was interrupted"
          : "osml-load: past the run's expected end";
        if (!stop.signal.aborted) {
          say(
            `warning: the generators run ${STARTUP_SLACK_S} s past the run's expected end: ` +
              "stopping them",
          );
        }
        stopDeadline = now + (settings.stopTimeoutS + STOP_SLACK_S) * 1000;
        await stopTasks(ecs, v.cluster, tasks, reason, say);
      }
      if (stopDeadline !== undefined && now > stopDeadline) {
        const left = tasks.filter((t) => t.lastStatus !== "STOPPED").map((t) => t.index);
        say(
          `warning: generator(s) ${left.join(", ")} still stopping after --stop-timeout + ` +
            `${STOP_SLACK_S} s (ECS kills them after the container's stopTimeout): merging what ` +
            "is there",
        );
        break;
      }
      // Before the stop a Ctrl-C ends the sleep; after it, the generators are polled calmly.
      await abortableSleep(pollMs, stopDeadline === undefined ? stop.signal : calm);
    }

    // ---- merge --------------------------------------------------------------------------------
    const interrupted = stop.signal.aborted;
    if (tasks.length === 0) {
      say("no generator was started: nothing to merge");
      return ExitCode.Interrupted;
    }
    const died = tasks.filter((t) => t.outcome?.died || t.lastStatus !== "STOPPED");
    const notStarted = plan.length - tasks.length;
    say(`Merging the generators' results from ${resultsUrl}`);
    let mergeCode: number;
    try {
      mergeCode = await mergeCommand({
        sources: [resultsUrl],
        generators: String(count),
        logDir: settings.logDir,
        output: settings.csvPrefix,
        html: settings.htmlPath,
        json: settings.jsonPath,
        awsRegion: region,
        awsTimeout: `${settings.awsTimeoutS}s`,
      }, { stdout: write, stderr: say, env: settings.env });
    } catch (error) {
      say(`error: could not merge the generators' results from ${resultsUrl}: ${messageOf(error)}`);
      return interrupted ? ExitCode.Interrupted : ExitCode.ToolFailed;
    }
    await recordGeneratorTasks(settings.logDir, runId, tasks, td.container);

    const merged = await mergedVerdicts(settings, write);
    if (died.length > 0 || notStarted > 0) {
      say(
        `warning: the result is partial: generator(s) ${
          [...died.map((t) => t.index), ...plan.slice(tasks.length).map((s) => s.index)].join(", ")
        } did not finish (job_summary.json: partial, failed_generators, generator_tasks)`,
      );
    }
    if (interrupted) return ExitCode.Interrupted;
    if (mergeCode !== ExitCode.Ok || died.length > 0 || notStarted > 0) return ExitCode.RunFailed;
    if (merged.thresholdsFailed) return ExitCode.ThresholdsFailed;
    if (merged.failures) return settings.exitCodeOnError;
    return ExitCode.Ok;
  } finally {
    o.signal?.removeEventListener("abort", onAbort);
    interrupt?.dispose();
    ecs.destroy();
    s3.destroy();
  }
}

/** A line for a generator that stopped: by index, how, and where its log is. */
function reportStopped(t: GeneratorTask, td: GeneratorTaskDefinition, say: (l: string) => void) {
  const outcome = t.outcome!;
  if (!outcome.died) {
    say(`generator ${t.index} finished: ${outcome.reason}`);
    return;
  }
  const taskId = t.taskArn.slice(t.taskArn.lastIndexOf("/") + 1);
  const logs = td.logs
    ? ` (its log: CloudWatch ${td.logs.group}, stream ${td.logs.streamPrefix}/${td.container}/${taskId})`
    : "";
  say(`warning: generator ${t.index} died: ${outcome.reason}${logs}`);
}

/** StopTask on every generator still running (each call bounded by the client's timeout). */
async function stopTasks(
  ecs: ECSClient,
  cluster: string,
  tasks: GeneratorTask[],
  reason: string,
  say: (line: string) => void,
): Promise<void> {
  await Promise.all(
    tasks.filter((t) => t.lastStatus !== "STOPPED").map(async (t) => {
      t.stoppedByUs = true;
      try {
        await ecs.send(new StopTaskCommand({ cluster, task: t.taskArn, reason }));
      } catch (error) {
        say(`warning: could not stop generator ${t.index} (${t.taskArn}): ${messageOf(error)}`);
      }
    }),
  );
}

/**
 * Add the run id and each generator's ECS task to the merged
 * `job_summary.json`, and every generator that died to `failed_generators`
 * (then the result is `partial`).
 */
async function recordGeneratorTasks(
  logDir: string,
  runId: string,
  tasks: readonly GeneratorTask[],
  container: string,
): Promise<void> {
  const path = join(logDir, "job_summary.json");
  const summary = JSON.parse(await Deno.readTextFile(path)) as Record<string, unknown>;
  summary.run_id = runId;
  summary.generator_tasks = tasks.map((t) => {
    const c = t.task?.containers?.find((x) => x.name === container) ?? t.task?.containers?.[0];
    return {
      index: t.index,
      task_arn: t.taskArn,
      last_status: t.lastStatus,
      stop_code: t.task?.stopCode ?? null,
      stopped_reason: t.task?.stoppedReason ?? null,
      exit_code: typeof c?.exitCode === "number" ? c.exitCode : null,
      died: t.outcome?.died ?? t.lastStatus !== "STOPPED",
    };
  });
  const failed = Array.isArray(summary.failed_generators)
    ? summary.failed_generators as Array<Record<string, unknown>>
    : [];
  for (const t of tasks) {
    if (!(t.outcome?.died ?? t.lastStatus !== "STOPPED")) continue;
    const reason = `ECS task ${t.taskArn}: ${t.outcome?.reason ?? `still ${t.lastStatus}`}`;
    failed.push({ index: t.index, run_id: runId, reason });
  }
  if (failed.length > 0) {
    summary.partial = true;
    summary.missing_generators ??= [];
    summary.failed_generators = failed;
  }
  await writeTextFileAtomic(path, stringifyPythonJson(summary) + "\n");
}

/** The thresholds (evaluated on the merged statistics) and whether failures were recorded. */
async function mergedVerdicts(
  settings: RunSettings,
  write: (line: string) => void,
): Promise<{ thresholdsFailed: boolean; failures: boolean }> {
  const path = join(settings.logDir, MERGEABLE_STATS_FILE);
  const doc = parseMergeableStats(await Deno.readTextFile(path), path);
  const run = replayDocument(doc);
  const results = evaluateRunThresholds(
    settings.thresholds,
    run.stats,
    jobStatisticsOf(doc.jobs),
    write,
  );
  if (settings.junitPath) {
    await createJunitReportOutput({ path: settings.junitPath }).finish({
      ...mergedContext(doc, run, () => []),
      thresholds: () => results,
    });
  }
  return {
    thresholdsFailed: results.some((r) => !r.passed),
    failures: run.stats.numFailures > 0 || run.stats.exceptions().length > 0,
  };
}
