/**
 * One load test as explicit phases under one {@linkcode RunSupervisor}:
 *
 * 1. **prepare** — check every output path, discover the deployment, list the
 *    images, build the plan, check the user count and every threshold against
 *    the entries the run can produce. A problem is one line and exit 2, with
 *    nothing written and no job sent.
 * 2. **load** — the status monitor and the user workers run; the load shape
 *    sets users (or the arrival rate) every second; outputs tick.
 * 3. **drain** — with `--wait-for-completion` (or a web UI "stop and wait"),
 *    wait for the jobs in flight, bounded by `--completion-timeout`.
 * 4. **finish** — write the job files and every output, each bounded in time.
 *
 * Any failure of the tool itself (an output that throws, a worker or the
 * monitor dying) stops the users and falls through to finish; Ctrl-C and
 * SIGTERM do the same, bounded by `--stop-timeout`. The run never calls
 * `Deno.exit`; its exit code comes back in the result.
 *
 * @example
 * ```ts ignore
 * import { runLoadTest } from "./load_test.ts";
 * const result = await runLoadTest(settings);
 * Deno.exitCode = result.exitCode;
 * ```
 * @module
 */
import { join } from "node:path";
import { sqsClient } from "../aws/sqs_client.ts";
import { clientEnv } from "../aws/client_config.ts";
import { ExitCode } from "../exit_codes.ts";
import type { RunSettings } from "../config/run_settings.ts";
import { RunLog } from "../log/run_log.ts";
import { StatsAggregator } from "../stats/aggregator.ts";
import type { ThresholdResult } from "../stats/thresholds.ts";
import type { Output, OutputContext, RunPhase } from "../output/output.ts";
import type { CapacityStep, JobStatistics, TimelinePoint } from "../model/run_report.ts";
import { JobTracker, type JobTransition } from "../tracker/job_tracker.ts";
import { statisticsBlock } from "../tracker/job_files.ts";
import {
  FileJobJournal,
  JOB_RECORDS_FILE,
  keepKilledRunJournal,
} from "../tracker/file_job_journal.ts";
import { JobFilesWriter } from "../tracker/job_files_writer.ts";
import { isoLocalWithOffset } from "../log/local_time.ts";
import { createOutputFolders, preflightOutputs } from "../fs/preflight.ts";
import { lockLogDir, removeLeftoverTempFiles } from "../fs/log_dir_lock.ts";
import { formatPlan, type PreparedRun, prepareRun } from "./prepare_run.ts";
import { StatusMonitor } from "./status_monitor.ts";
import { openRunStatusSource, type StatusSource } from "./status_source.ts";
import { UserPool } from "./user_pool.ts";
import { Interrupt } from "./interrupt.ts";
import { buildOutputs, plannedOutputs } from "./run_outputs.ts";
import { checkThresholdScopes, evaluateRunThresholds } from "./run_thresholds.ts";
import { ArrivalStats } from "./arrival_stats.ts";
import { BacklogSampler } from "./backlog_sampler.ts";
import { timelinePoint } from "./timeline_point.ts";
import { JOB_COMPLETE, jobCompleteSample, jobCompleteTotals } from "./job_complete_sample.ts";
import { jobInvariantViolations } from "../tracker/job_invariants.ts";
import { thresholdSummary } from "../stats/threshold_summary.ts";
import { RunSupervisor, type StopReason, within } from "./run_supervisor.ts";
import { checkUserCount } from "./user_capacity.ts";
import { type Clock, systemClock } from "./clock.ts";

/** How a run ended. */
export interface LoadTestResult {
  exitCode: number;
  /**
   * Why the load phase ended: its window (or shape), a Ctrl-C/SIGTERM, a stop
   * from the web UI, a failure of the tool itself, or a dry run.
   */
  reason: "window" | "interrupted" | "stopped" | "dry-run" | "fatal";
  stats: StatsAggregator;
  jobs: JobStatistics;
  /** Files written (logs, CSV, reports). */
  files: string[];
  /** The prepared run; undefined when the run was interrupted while preparing. */
  prepared: PreparedRun | undefined;
  /** Failures of the tool itself (`where: message`), first first. */
  failures: readonly string[];
  /** Threshold verdicts (empty when none were given). */
  thresholds: readonly ThresholdResult[];
}

/** Options of {@linkcode runLoadTest}. */
export interface LoadTestOptions {
  /** The run log; one is made from the settings when absent. */
  log?: RunLog;
  /** Where plain console output (tables, plan) goes; default `console.log`. */
  write?: (line: string) => void;
  /** Outputs added to the ones the settings ask for (the web UI, tests). */
  extraOutputs?: Output[];
  /** Listen for Ctrl-C / SIGTERM (default true). */
  handleSignals?: boolean;
  /** Interrupt the run when this aborts (like a signal). */
  signal?: AbortSignal;
  /** Called once the users start, with a handle to steer the run (the web UI uses it). */
  onStarted?: (control: RunControl, ctx: OutputContext) => void;
  /** The clock (tests inject one); default the system clock. */
  clock?: Clock;
  /**
   * Called when winding down after an interrupt or a failure overran `--stop-timeout` by
   * {@linkcode STOP_GRACE_MS}: the command exits the process there.
   */
  onStopOverrun?: () => void;
}

/** A handle on a running load test. */
export interface RunControl {
  /** Change the user count and spawn rate; from then on they override the shape's users. */
  setUsers(users: number, spawnRate: number): void;
  /**
   * Stop the load phase. `"wait"` stops sending and then waits for the jobs in flight (bounded by
   * `--completion-timeout`), as `--wait-for-completion` does; `"now"` (the default) stops sending
   * and ends the run without waiting. A `"now"` during a wait ends the wait.
   */
  stop(mode?: "wait" | "now"): void;
  /** Reset the request statistics (Locust's "Reset stats"). */
  resetStats(): void;
}

const LOGGER = "osml_load.engine";
const TRACKER_LOGGER = "osml_load.job_tracker";
const BACKLOG_EVERY_MS = 5_000;
const BACKLOG_EVERY_MS_OPEN = 1_000;
/** The shortest time the status queue may fail to answer before the completion wait ends. */
const STATUS_LOST_MIN_MS = 30_000;
/** How long past `--stop-timeout` winding down may take before `onStopOverrun` is called. */
export const STOP_GRACE_MS = 3_000;
/** Longest a normal end may spend writing one output before it is reported as failed. */
const OUTPUT_WRITE_LIMIT_MS = 120_000;

/** Run a load test to the end and return its result (never calls `Deno.exit`). */
export async function runLoadTest(
  settings: RunSettings,
  options: LoadTestOptions = {},
): Promise<LoadTestResult> {
  const clock = options.clock ?? systemClock;
  const processStart = clock.now();
  const write = options.write ?? ((line: string) => console.log(line));
  const log = options.log ??
    new RunLog({ verbose: settings.verbose, level: settings.logLevel, logFile: settings.logFile });
  const supervisor = new RunSupervisor((message) => log.error(LOGGER, message));
  const stopTimeoutMs = settings.stopTimeoutS * 1000;
  /** After an interrupt or a failure: when winding down must be over (monotonic ms). */
  let stopDeadline: number | undefined;
  let overrun: ReturnType<typeof setTimeout> | undefined;
  const armStopDeadline = () => {
    if (stopDeadline !== undefined) return;
    stopDeadline = clock.monotonic() + stopTimeoutMs;
    if (options.onStopOverrun) {
      // The last resort when something does not honour its bound: the caller exits the process.
      overrun = setTimeout(options.onStopOverrun, stopTimeoutMs + STOP_GRACE_MS);
      Deno.unrefTimer(overrun);
    }
  };
  const interruptRun = () => {
    supervisor.interrupt();
    armStopDeadline();
  };
  // Signals are handled from the start: a signal during preparation still ends the run cleanly.
  const interrupt = options.handleSignals === false ? undefined : Interrupt.listen((signal) => {
    log.warn(
      LOGGER,
      `${signal} received: stopping users and writing outputs (at most --stop-timeout ${settings.stopTimeoutS} s)`,
    );
    interruptRun();
  });
  if (options.signal?.aborted) interruptRun();
  else options.signal?.addEventListener("abort", interruptRun, { once: true });
  const aws = {
    timeoutMs: settings.awsTimeoutS * 1000,
    signal: supervisor.signal,
    env: settings.env,
  };
  // What the workers' SQS clients read: the endpoint and static credentials only.
  const workerAwsEnv = clientEnv("sqs", settings.env);
  const empty = (prepared: PreparedRun | undefined, code: number): LoadTestResult => ({
    exitCode: code,
    reason: code === ExitCode.Interrupted ? "interrupted" : "dry-run",
    stats: new StatsAggregator(processStart),
    jobs: new JobTracker().statistics(),
    files: [],
    prepared,
    failures: [],
    thresholds: [],
  });

  // ---- prepare -------------------------------------------------------------------------------
  let prepared: PreparedRun;
  const planned = plannedOutputs(settings);
  try {
    if (!settings.dryRun) await preflightOutputs(planned);
    prepared = await prepareRun(settings, log, aws);
    const peakUsers = Math.max(0, ...prepared.shape.plan().map((row) => row.users ?? 0));
    checkUserCount(Math.max(peakUsers, settings.users), "--users");
    checkThresholdScopes(settings.thresholds, prepared);
  } catch (error) {
    interrupt?.dispose();
    if (supervisor.reason === "interrupted") return empty(undefined, ExitCode.Interrupted);
    throw error;
  }
  if (settings.dryRun || supervisor.reason === "interrupted") {
    interrupt?.dispose();
    if (settings.dryRun) { for (const line of formatPlan(prepared)) write(line); }
    return empty(prepared, settings.dryRun ? ExitCode.Ok : ExitCode.Interrupted);
  }
  let statusSource: StatusSource;
  let journal: FileJobJournal;
  let releaseLogDir = () => Promise.resolve();
  try {
    await createOutputFolders(planned);
    // One run per log folder: a second one would overwrite this one's job files.
    let previousRunKilled = false;
    releaseLogDir = await lockLogDir(settings.logDir, {
      onLost: (message) => failRun("log folder", new Error(message)),
      onTakenOver: () => previousRunKilled = true,
    });
    const leftovers = await removeLeftoverTempFiles(settings.logDir);
    if (leftovers) log.info(LOGGER, `Removed ${leftovers} temporary file(s) a killed run left`);
    const kept = previousRunKilled ? await keepKilledRunJournal(settings.logDir) : undefined;
    if (kept) {
      log.warn(
        LOGGER,
        `The last run in this log folder was killed: its finished jobs were kept in ${kept} ` +
          `(README "Long runs" says how to rebuild its job_status.json)`,
      );
    }
    // Finished jobs leave memory for this file (issue 18).
    journal = FileJobJournal.create(join(settings.logDir, JOB_RECORDS_FILE));
    // A private status subscription (or the shared queue); removed again in the finish phase.
    statusSource = await openRunStatusSource(prepared, log, aws);
  } catch (error) {
    interrupt?.dispose();
    await releaseLogDir();
    // (Read again: the check above narrowed the getter's type.)
    const reason = supervisor.reason as StopReason | undefined;
    if (reason === "interrupted") return empty(prepared, ExitCode.Interrupted);
    throw error;
  }
  const logPath = join(settings.logDir, "job_log.log");
  log.attachFile(logPath);
  const files = new Set<string>([logPath, journal.path]);

  // ---- load ----------------------------------------------------------------------------------
  let stats = new StatsAggregator(clock.now());
  let pool: UserPool | undefined;
  const timeline: TimelinePoint[] = [];
  let loadStartedAt: number | undefined;
  let loadStartMono: number | undefined;
  // deno-lint-ignore prefer-const -- assigned in the finish phase (the rule misreads the closures)
  let stoppedAt: number | undefined;
  let drainDeadline: number | undefined;
  let phase: RunPhase = "load";
  let thresholdResults: readonly ThresholdResult[] = [];
  const arrivals = new ArrivalStats();
  let targetRate: number | undefined;
  let waitRequested = settings.waitForCompletion;
  /** The status queue stopped answering during the completion wait. */
  let statusLost = false;
  /** After a reset, Job Complete totals no longer match the tracker's (which never resets). */
  let statsWereReset = false;

  const onTransition = (t: JobTransition) => {
    if (!t.completedNow) return;
    const job = t.job;
    const status = job.record.status;
    stats.record(jobCompleteSample(job, job.completedAt ?? clock.now()));
    if (job.awaited) {
      pool?.notifyJobDone(
        job.workerIndex,
        `${job.record.job_id}:${job.record.image_url}`,
        status,
        job.record.processing_duration,
      );
    }
  };
  const tracker = new JobTracker({ onTransition, journal });
  const monitor = StatusMonitor.start({
    region: prepared.deployment.region,
    queueUrl: statusSource.queueUrl,
    keepForeign: statusSource.keepForeign,
    jobIdPrefix: prepared.runId,
    awsTimeoutMs: aws.timeoutMs,
    awsEnv: workerAwsEnv,
    onEvents: (events) => {
      for (const event of events) tracker.update(event);
    },
    onWarning: (message) => log.warn("osml_load.status_monitor", message),
    onFatal: (message) => failRun("status monitor", message),
  });
  log.info(LOGGER, "Started background status monitor");
  const sqs = sqsClient({ region: prepared.deployment.region, ...aws });
  const backlog = new BacklogSampler(
    sqs,
    prepared.queueUrl,
    (m) => log.debug(LOGGER, m),
    (m) => log.warn(LOGGER, m),
  );

  function failRun(where: string, error: unknown): void {
    supervisor.fail(where, error);
    armStopDeadline();
  }

  const summaryExtras = () => {
    const counts = tracker.counts();
    const monitorCounts = monitor.counts();
    return {
      startedAt: processStart,
      ...(loadStartedAt !== undefined ? { loadStartedAt } : {}),
      ...(stoppedAt !== undefined ? { stoppedAt } : {}),
      statusCounts: counts,
      imagesPixelsUnknown: prepared.images.filter((image) => image.pixels === null).length,
      extra: {
        aws_account: prepared.deployment.account,
        aws_region: prepared.deployment.region,
        mr_input_queue: prepared.deployment.imageQueueName,
        mr_status_queue: prepared.deployment.statusQueueName,
        model_name: settings.modelName,
        status_messages_received: monitorCounts.received,
        status_messages_malformed: monitorCounts.malformed,
        status_messages_foreign: counts.foreign + monitorCounts.foreign,
        max_queue_backlog: backlog.max,
        queue_backlog: backlog.depth ?? null,
        ...(supervisor.failures.length ? { tool_failures: supervisor.failures.join("; ") } : {}),
        ...(arrivals.active ? arrivals.summary() : {}),
        ...(thresholdResults.length ? { thresholds: thresholdSummary(thresholdResults) } : {}),
      },
    };
  };
  /** Check the job invariants (a broken one is a defect: logged, never hidden). */
  const checkInvariants = () => {
    const broken = jobInvariantViolations(
      tracker.statistics(),
      statsWereReset ? undefined : jobCompleteTotals(stats),
    );
    for (const message of broken) log.warn(TRACKER_LOGGER, `job invariant broken: ${message}`);
  };

  const steps = stepsOf(prepared.shape);
  const ctx: OutputContext = {
    get stats() {
      return stats;
    },
    userCount: () => pool?.runningUsers ?? 0,
    jobs: () => tracker.statistics(),
    timeline: () => timeline,
    configuration: prepared.configuration,
    // The run's start in every output is when the load started (set-up is reported apart).
    get startedAt() {
      return loadStartedAt ?? processStart;
    },
    stoppedAt: () => stoppedAt,
    jobRecords: () => tracker.statusRecords(),
    queryJobs: (query) => tracker.query(query),
    jobStatusCounts: () => tracker.statusCounts(),
    ...(steps ? { capacity: steps } : {}),
    thresholds: () => thresholdResults,
    phase: () => phase,
    loadStartedAt: () => loadStartedAt,
    plannedDurationS: prepared.shape.durationS ?? undefined,
    drainDeadline: () => drainDeadline,
    filesWritten: () => [...files],
  };
  const outputs = [...buildOutputs(settings, write), ...(options.extraOutputs ?? [])];
  const takeTimelinePoint = (now: number) => {
    timeline.push(timelinePoint(now, {
      stats,
      jobs: tracker.statistics(),
      users: pool?.runningUsers ?? 0,
      queueDepth: backlog.depth,
      targetRate,
    }));
  };
  // Rewrites run in the background, less often as job_status.json grows (job_files_writer.ts).
  const jobFiles = new JobFilesWriter({
    logDir: settings.logDir,
    tracker,
    intervalMs: settings.statsIntervalS * 1000,
    summary: summaryExtras,
    monotonic: () => clock.monotonic(),
    onError: (error) => failRun("job files", error),
    onWritten: (paths) => {
      for (const path of paths) files.add(path);
      log.info(TRACKER_LOGGER, `Wrote job status to ${join(settings.logDir, "job_status.json")}`);
    },
  });
  const writeJobFiles = async () => {
    checkInvariants();
    for (const path of await jobFiles.final()) files.add(path);
  };

  const observeShape = () => {
    const shape = prepared.shape;
    if (!shape.observe || loadStartMono === undefined) return;
    const jobs = tracker.statistics();
    const latency = stats.mergedType(JOB_COMPLETE);
    shape.observe({
      elapsedS: (clock.monotonic() - loadStartMono) / 1000,
      backlog: backlog.depth,
      jobsSent: jobs.total_image_sent,
      scheduled: arrivals.scheduled,
      dropped: arrivals.dropped,
      jobsDone: jobs.total_image_processed + jobs.total_image_timed_out,
      jobsFailed: jobs.total_image_failed + jobs.total_image_timed_out,
      gbDone: jobs.total_gb_processed,
      pixelsDone: jobs.total_pixels_processed,
      latency: latency?.responseTimes ?? new Map(),
    });
  };

  let lastStats = clock.now();
  let lastBacklog = 0;
  let backlogInFlight: Promise<void> | undefined;
  /** The once-a-second work of the load and drain phases; a failing output stops the run. */
  const everySecond = async (now: number) => {
    tracker.expirePending(now);
    const backlogEvery = targetRate === undefined ? BACKLOG_EVERY_MS : BACKLOG_EVERY_MS_OPEN;
    if (!backlogInFlight && now - lastBacklog >= backlogEvery) {
      lastBacklog = now;
      // Not awaited: a slow endpoint must not hold up the clock.
      backlogInFlight = backlog.sample().finally(() => (backlogInFlight = undefined));
    }
    observeShape();
    takeTimelinePoint(now);
    for (const output of outputs) {
      try {
        await output.tick?.(ctx, now);
      } catch (error) {
        failRun(`${output.name} output`, error);
        return;
      }
    }
    if (now - lastStats >= settings.statsIntervalS * 1000) {
      lastStats = now;
      log.block(TRACKER_LOGGER, statisticsBlock(tracker.statistics()));
      if (backlog.depth === null) {
        log.info(TRACKER_LOGGER, "Request queue backlog: unknown (it could not be read)");
      } else if (backlog.depth !== undefined) {
        log.info(TRACKER_LOGGER, `Request queue backlog: ${backlog.depth} (max ${backlog.max})`);
      }
      if (arrivals.active) log.info(TRACKER_LOGGER, arrivals.describe());
      checkInvariants();
      jobFiles.tick();
    }
  };

  try {
    for (const output of outputs) await output.start?.(ctx);
    pool = await UserPool.start({
      workerCount: prepared.workerCount,
      images: prepared.images,
      mix: settings.userMix,
      settings: {
        region: prepared.deployment.region,
        queueUrl: prepared.queueUrl,
        modelName: settings.modelName,
        resultBucket: settings.resultBucket?.bucket ?? "",
        kinesisStream: `${prepared.deployment.kinesisPrefix}-${prepared.deployment.account}`,
        waitMinMs: settings.waitMinS * 1000,
        waitMaxMs: settings.waitMaxS * 1000,
        jobTimeoutMs: settings.jobTimeoutS * 1000,
        maxLatenessMs: settings.maxLatenessS * 1000,
        awsTimeoutMs: aws.timeoutMs,
        awsEnv: workerAwsEnv,
        jobIdPrefix: prepared.runId,
        ...prepared.userInputs,
      },
      onDelta: (delta) => stats.apply(delta),
      onArrivals: (delta) => arrivals.apply(delta),
      onJobs: (jobs, workerIndex) => {
        for (const job of jobs) tracker.register(job, workerIndex);
        monitor.addKnownJobs(jobs.map((j) => j.jobId));
      },
      onFatal: (message) => failRun("user worker", message),
    });
    supervisor.enter("load");
    loadStartMono = clock.monotonic();
    loadStartedAt = clock.now();
    stats = new StatsAggregator(loadStartedAt);
    logBanner(log, settings, prepared, loadStartedAt);
    let manual: { users: number; spawnRate: number } | undefined;
    options.onStarted?.({
      setUsers(users, spawnRate) {
        checkUserCount(users, "user count");
        manual = { users, spawnRate };
        pool?.setTarget(users, spawnRate);
        log.info(LOGGER, `User count changed to ${users} (spawn rate ${spawnRate}/s)`);
      },
      stop(mode = "now") {
        log.info(LOGGER, mode === "wait" ? "Stop requested: waiting for jobs" : "Stop requested");
        if (mode === "wait" && !supervisor.loadSignal.aborted) waitRequested = true;
        if (mode === "now") waitRequested = false;
        supervisor.stop(mode);
      },
      resetStats() {
        statsWereReset = true;
        stats.reset();
        log.info(LOGGER, "Statistics reset");
      },
    }, ctx);
    let lastTickS = 0;
    let spawned = false;
    while (!supervisor.loadSignal.aborted) {
      const elapsedS = (clock.monotonic() - loadStartMono) / 1000;
      const target = prepared.shape.tick(elapsedS);
      if (target === null) {
        supervisor.windowOver();
        break;
      }
      if ("rate" in target) {
        if (targetRate !== undefined) arrivals.advance(elapsedS - lastTickS, targetRate);
        targetRate = target.rate;
        pool.setRate(target.rate, manual?.users ?? target.users);
      } else if (manual) pool.setTarget(manual.users, manual.spawnRate);
      else pool.setTarget(target.users, target.spawnRate);
      lastTickS = elapsedS;
      if (!spawned && pool.target > 0 && pool.runningUsers >= pool.target) {
        spawned = true;
        // Locust's --reset-stats: the statistics start again once every user is running.
        if (settings.resetStats) {
          statsWereReset = true;
          stats.reset();
          log.info(LOGGER, "All users spawned: statistics reset (--reset-stats)");
        }
      }
      await everySecond(clock.now());
      const next = loadStartMono + Math.ceil(elapsedS + 1e-9) * 1000;
      await clock.sleep(next - clock.monotonic(), supervisor.loadSignal);
    }
    if (targetRate !== undefined) {
      arrivals.advance((clock.monotonic() - loadStartMono) / 1000 - lastTickS, targetRate);
    }
  } catch (error) {
    failRun("engine", error);
  }

  // ---- stop the users --------------------------------------------------------------------------
  const reasonNow = supervisor.reason;
  log.info(LOGGER, reasonNow === "window" ? "Time window ended: stopping users" : "Stopping users");
  const budget = () =>
    stopDeadline === undefined ? stopTimeoutMs : Math.max(0, stopDeadline - clock.monotonic());
  if (pool && !(await pool.stop(budget()))) {
    log.warn(LOGGER, "Users did not stop within --stop-timeout: their workers were terminated");
  }

  // ---- drain ---------------------------------------------------------------------------------
  const drains = waitRequested && pool !== undefined &&
    (supervisor.reason === "window" || supervisor.reason === "stopped") &&
    !supervisor.drainSignal.aborted;
  if (drains) {
    supervisor.enter("drain");
    phase = "drain";
    try {
      await waitForCompletion();
    } catch (error) {
      failRun("engine", error);
    }
  }

  // ---- finish --------------------------------------------------------------------------------
  supervisor.enter("finish");
  phase = "finish";
  await monitor.stop(Math.min(5_000, budget()));
  await statusSource.close(Math.max(2_000, Math.min(10_000, budget())), log);
  tracker.expirePending(Number.POSITIVE_INFINITY);
  if (drains && !supervisor.drainSignal.aborted) {
    const now = clock.now();
    const note = statusLost
      ? "No terminal status: the status queue stopped answering"
      : `No terminal status within --completion-timeout ${settings.completionTimeoutS} s`;
    for (const job of tracker.markOpenJobsTimedOut()) {
      stats.record(jobCompleteSample(job, now, note));
    }
  }
  supervisor.cancelAll();
  stoppedAt = clock.now();
  takeTimelinePoint(stoppedAt);
  const jobs = tracker.statistics();
  log.block(TRACKER_LOGGER, statisticsBlock(jobs));
  if (arrivals.active) {
    log.info(TRACKER_LOGGER, arrivals.describe());
    write(arrivals.describe());
  }
  if (jobs.total_image_sent === 0) {
    log.warn(
      LOGGER,
      "No job was sent: check the failures above, the request queue and --users/--run-time",
    );
  }
  thresholdResults = evaluateRunThresholds(settings.thresholds, stats, jobs, write);
  const writeLimit = () =>
    stopDeadline === undefined ? OUTPUT_WRITE_LIMIT_MS : Math.max(1_000, budget());
  const wroteJobs = await within(writeLimit(), writeJobFiles(), (e) => failRun("job files", e));
  if (!wroteJobs) failRun("job files", "not written within the stop timeout");
  for (const output of outputs) {
    const done = await within(
      writeLimit(),
      Promise.resolve().then(() => output.finish(ctx)),
      (error) => failRun(`${output.name} output`, error),
    );
    if (!done) failRun(`${output.name} output`, "not written within the stop timeout");
  }
  for (const output of planned) {
    if (output.kind === "file" && (await exists(output.path))) files.add(output.path);
  }
  // Only what is really there (a folder replaced by a file mid-run loses its files).
  for (const path of [...files]) if (!(await exists(path))) files.delete(path);
  log.info(LOGGER, `Start time: ${isoLocalWithOffset(new Date(loadStartedAt ?? processStart))}`);
  log.info(LOGGER, `Actual end time: ${isoLocalWithOffset(new Date(stoppedAt))}`);
  log.info(
    LOGGER,
    `Total elapsed time: ${(stoppedAt - (loadStartedAt ?? processStart)) / 1000} seconds`,
  );
  try {
    journal.close();
  } catch (error) {
    failRun("job files", error);
  }
  sqs.destroy();
  log.close();
  await releaseLogDir();
  clearTimeout(overrun);
  interrupt?.dispose();
  supervisor.enter("done");

  // (Read again: the checks during preparation narrowed the getter's type.)
  const reason: StopReason = (supervisor.reason as StopReason | undefined) ?? "window";
  let exitCode: number = ExitCode.Ok;
  if (supervisor.failures.length) exitCode = ExitCode.ToolFailed;
  else if (reason === "interrupted") exitCode = ExitCode.Interrupted;
  else if (thresholdResults.some((r) => !r.passed)) exitCode = ExitCode.ThresholdsFailed;
  else if (stats.numFailures > 0 || stats.exceptions().length > 0) {
    exitCode = settings.exitCodeOnError;
  }
  return {
    exitCode,
    reason: reason === "failed" ? "fatal" : reason,
    stats,
    jobs,
    files: [...files],
    prepared,
    failures: supervisor.failures,
    thresholds: thresholdResults,
  };

  async function waitForCompletion(): Promise<void> {
    log.info(LOGGER, "Waiting for all jobs to complete...");
    const deadline = clock.now() + settings.completionTimeoutS * 1000;
    drainDeadline = deadline;
    // A status queue that stops answering ends the wait: nothing more can be learned.
    const lostAfterMs = Math.max(STATUS_LOST_MIN_MS, 3 * aws.timeoutMs);
    while (!tracker.isComplete() && !supervisor.drainSignal.aborted && clock.now() < deadline) {
      const now = clock.now();
      if (monitor.failingFor(Date.now()) > lostAfterMs) {
        statusLost = true;
        log.warn(
          LOGGER,
          `The status queue has not answered for ${
            Math.round(monitor.failingFor(Date.now()) / 1000)
          } s: no longer waiting; the ${tracker.statistics().total_image_in_progress} job(s) still open are reported as timed out`,
        );
        break;
      }
      await everySecond(now);
      await clock.sleep(Math.min(1000, deadline - clock.now()), supervisor.drainSignal);
    }
    await everySecond(clock.now());
    if (tracker.isComplete()) log.info(LOGGER, "All jobs completed!");
    else if (!supervisor.drainSignal.aborted && !statusLost) {
      log.warn(
        LOGGER,
        `Completion timeout (${settings.completionTimeoutS} s): ${tracker.statistics().total_image_in_progress} job(s) still open are reported as timed out`,
      );
    }
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

/** The start banner (upstream's log lines), with the expected end from the load start. */
function logBanner(
  log: RunLog,
  settings: RunSettings,
  prepared: PreparedRun,
  loadStartedAt: number,
): void {
  const expectedEnd = new Date(loadStartedAt + settings.windowS * 1000);
  log.info(LOGGER, `Load test start time: ${isoLocalWithOffset(new Date(loadStartedAt))}`);
  log.info(LOGGER, `Expected end time: ${isoLocalWithOffset(expectedEnd)}`);
  log.info(LOGGER, `Processing window: ${settings.windowS / 60} minute(s)`);
  log.info(LOGGER, `Input bucket: ${settings.sourceBucket?.bucket ?? "(none)"}`);
  log.info(LOGGER, `Output bucket: ${settings.resultBucket?.bucket ?? "(none)"}`);
  log.info(LOGGER, `Model: ${settings.modelName} (instance type ${prepared.instanceType})`);
  log.info(
    LOGGER,
    `Account: ${prepared.deployment.account}, region: ${prepared.deployment.region}`,
  );
}

/** The steps getter of a shape that keeps capacity-search steps. */
function stepsOf(shape: PreparedRun["shape"]): (() => readonly CapacityStep[]) | undefined {
  const steps = (shape as { steps?: () => readonly CapacityStep[] }).steps;
  return typeof steps === "function" ? () => steps.call(shape) : undefined;
}
