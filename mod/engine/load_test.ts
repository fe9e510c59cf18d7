/**
 * Run one load test: prepare (discovery, validation, images, plan), start the
 * status monitor and the user workers, follow the load shape, keep the
 * tracker, statistics and timeline, then stop, optionally wait for the jobs,
 * and write every output. Ctrl-C / SIGTERM stop the run cleanly.
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
import { ExitCode } from "../exit_codes.ts";
import type { RunSettings } from "../config/run_settings.ts";
import { RunLog } from "../log/run_log.ts";
import { progressBar } from "../log/progress.ts";
import { StatsAggregator } from "../stats/aggregator.ts";
import type { Output, OutputContext } from "../output/output.ts";
import type { CapacityStep, JobStatistics, TimelinePoint } from "../output/run_report.ts";
import { JobTracker, type JobTransition } from "../tracker/job_tracker.ts";
import { statisticsBlock, writeJobStatus, writeJobSummary } from "../tracker/job_files.ts";
import { isoLocalWithOffset } from "../tracker/local_time.ts";
import { formatPlan, type PreparedRun, prepareRun } from "./prepare_run.ts";
import { StatusMonitor } from "./status_monitor.ts";
import { UserPool } from "./user_pool.ts";
import { Interrupt } from "./interrupt.ts";
import { buildOutputs } from "./run_outputs.ts";
import { evaluateRunThresholds } from "./run_thresholds.ts";
import { ArrivalStats } from "./arrival_stats.ts";
import { abortableSleep } from "./abortable_sleep.ts";
import { BacklogSampler } from "./backlog_sampler.ts";
import { timelinePoint } from "./timeline_point.ts";
import { JOB_COMPLETE, jobCompleteSample } from "./job_complete_sample.ts";

/** How a run ended. */
export interface LoadTestResult {
  exitCode: number;
  /** Why the load phase ended. */
  reason: "window" | "interrupted" | "dry-run" | "fatal";
  stats: StatsAggregator;
  jobs: JobStatistics;
  /** Files written (logs, CSV, reports). */
  files: string[];
  prepared: PreparedRun;
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
  /** Stop the load phase when this aborts (like a signal). */
  signal?: AbortSignal;
  /** Called once the users start, with a handle to steer the run (the web UI uses it). */
  onStarted?: (control: RunControl, ctx: OutputContext) => void;
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

/** Run a load test to the end and return its result (never calls `Deno.exit`). */
export async function runLoadTest(
  settings: RunSettings,
  options: LoadTestOptions = {},
): Promise<LoadTestResult> {
  const startedAt = Date.now();
  const write = options.write ?? ((line: string) => console.log(line));
  const log = options.log ?? new RunLog({ verbose: settings.verbose });
  // Listen for Ctrl-C / SIGTERM from the start: a signal during preparation still ends the
  // run cleanly, with its outputs written.
  let reason = "window" as LoadTestResult["reason"];
  // stopLoad ends the load phase; stopAll also ends the completion wait.
  const stopLoad = new AbortController();
  const stopAll = new AbortController();
  const interruptRun = () => {
    reason = "interrupted";
    stopLoad.abort();
    stopAll.abort();
  };
  const interrupt = options.handleSignals === false ? undefined : Interrupt.listen((signal) => {
    log.warn(LOGGER, `${signal} received: stopping users and writing outputs`);
    interruptRun();
  });
  if (options.signal?.aborted) interruptRun();
  else options.signal?.addEventListener("abort", interruptRun, { once: true });
  let prepared: PreparedRun;
  try {
    prepared = await prepareRun(settings, log);
  } catch (error) {
    interrupt?.dispose();
    throw error;
  }
  const stats = new StatsAggregator(startedAt);
  if (settings.dryRun) {
    interrupt?.dispose();
    for (const line of formatPlan(prepared)) write(line);
    return {
      exitCode: ExitCode.Ok,
      reason: "dry-run",
      stats,
      jobs: new JobTracker().statistics(),
      files: [],
      prepared,
    };
  }

  await Deno.mkdir(settings.logDir, { recursive: true });
  const logPath = join(settings.logDir, "job_log.log");
  log.attachFile(logPath);
  const files = new Set<string>([logPath]);

  let pool: UserPool | undefined;
  let fatal: string | undefined;
  const timeline: TimelinePoint[] = [];
  let stoppedAt: number | undefined;
  const arrivals = new ArrivalStats();
  let targetRate: number | undefined;

  const onTransition = (t: JobTransition) => {
    if (!t.completedNow) return;
    const job = t.job;
    const status = job.record.status;
    stats.record(jobCompleteSample(job, job.completedAt ?? Date.now()));
    if (job.awaited) {
      pool?.notifyJobDone(
        job.workerIndex,
        `${job.record.job_id}:${job.record.image_url}`,
        status,
        job.record.processing_duration,
      );
    }
  };
  const tracker = new JobTracker({ onTransition });

  const monitor = StatusMonitor.start({
    region: prepared.deployment.region,
    queueUrl: prepared.statusQueueUrl,
    keepForeign: settings.keepForeignStatus,
    onEvents: (events) => {
      for (const event of events) tracker.update(event);
    },
    onWarning: (message) => log.warn("osml_load.status_monitor", message),
  });
  log.info(LOGGER, "Started background status monitor");

  const summaryExtras = () => {
    const counts = tracker.counts();
    const monitorCounts = monitor.counts();
    return {
      startedAt,
      ...(stoppedAt !== undefined ? { stoppedAt } : {}),
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
        ...(arrivals.active ? arrivals.summary() : {}),
      },
    };
  };

  const ctx: OutputContext = {
    stats,
    userCount: () => pool?.userCount ?? 0,
    jobs: () => tracker.statistics(),
    timeline: () => timeline,
    configuration: prepared.configuration,
    startedAt,
    stoppedAt: () => stoppedAt,
    jobRecords: () => tracker.statusRecords(),
    ...(stepsOf(prepared.shape) ? { capacity: stepsOf(prepared.shape)! } : {}),
  };
  const outputs = [...buildOutputs(settings, write), ...(options.extraOutputs ?? [])];
  for (const output of outputs) await output.start?.(ctx);

  // Start banner (§7.4 step 7).
  const expectedEnd = new Date(startedAt + settings.windowS * 1000);
  log.info(LOGGER, `Load test start time: ${isoLocalWithOffset(new Date(startedAt))}`);
  log.info(LOGGER, `Expected end time: ${isoLocalWithOffset(expectedEnd)}`);
  log.info(LOGGER, `Processing window: ${settings.windowS / 60} minute(s)`);
  log.info(LOGGER, `Input bucket: ${settings.sourceBucket?.bucket ?? "(none)"}`);
  log.info(LOGGER, `Output bucket: ${settings.resultBucket?.bucket ?? "(none)"}`);
  log.info(LOGGER, `Model: ${settings.modelName} (instance type ${prepared.instanceType})`);
  log.info(
    LOGGER,
    `Account: ${prepared.deployment.account}, region: ${prepared.deployment.region}`,
  );

  const sqs = sqsClient({ region: prepared.deployment.region });
  const backlog = new BacklogSampler(sqs, prepared.queueUrl, (m) => log.debug(LOGGER, m));
  let lastBacklog = 0;
  const takeTimelinePoint = (now: number) => {
    timeline.push(timelinePoint(now, {
      stats,
      jobs: tracker.statistics(),
      users: pool?.userCount ?? 0,
      queueDepth: backlog.depth,
      targetRate,
    }));
  };

  const writeJobFiles = async () => {
    files.add(await writeJobStatus(settings.logDir, tracker));
    files.add(await writeJobSummary(settings.logDir, tracker.statistics(), summaryExtras()));
  };

  let lastStats = Date.now();
  let loadStartedAt: number | undefined;
  const observeShape = () => {
    const shape = prepared.shape;
    if (!shape.observe || loadStartedAt === undefined) return;
    const jobs = tracker.statistics();
    const latency = stats.mergedType(JOB_COMPLETE);
    shape.observe({
      elapsedS: (performance.now() - loadStartedAt) / 1000,
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
  const everySecond = async (now: number) => {
    tracker.expirePending(now);
    if (
      now - lastBacklog >= (targetRate === undefined ? BACKLOG_EVERY_MS : BACKLOG_EVERY_MS_OPEN)
    ) {
      lastBacklog = now;
      await backlog.sample();
    }
    observeShape();
    takeTimelinePoint(now);
    for (const output of outputs) await output.tick?.(ctx, now);
    if (now - lastStats >= settings.statsIntervalS * 1000) {
      lastStats = now;
      log.block(TRACKER_LOGGER, statisticsBlock(tracker.statistics()));
      if (backlog.depth !== undefined) {
        log.info(TRACKER_LOGGER, `Request queue backlog: ${backlog.depth} (max ${backlog.max})`);
      }
      if (arrivals.active) log.info(TRACKER_LOGGER, arrivals.describe());
      await writeJobFiles();
      log.info(TRACKER_LOGGER, `Wrote job status to ${join(settings.logDir, "job_status.json")}`);
    }
  };

  try {
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
        ...prepared.userInputs,
      },
      onDelta: (delta) => stats.apply(delta),
      onArrivals: (delta) => arrivals.apply(delta),
      onJobs: (jobs, workerIndex) => {
        for (const job of jobs) tracker.register(job, workerIndex);
        monitor.addKnownJobs(jobs.map((j) => j.jobId));
      },
      onFatal: (message) => {
        fatal = message;
        log.error(LOGGER, message);
        reason = "fatal";
        stopLoad.abort();
        stopAll.abort();
      },
    });
    const loadStart = performance.now();
    loadStartedAt = loadStart;
    let manual: { users: number; spawnRate: number } | undefined;
    options.onStarted?.({
      setUsers(users, spawnRate) {
        manual = { users, spawnRate };
        pool?.setTarget(users, spawnRate);
        log.info(LOGGER, `User count changed to ${users} (spawn rate ${spawnRate}/s)`);
      },
      stop() {
        // A first stop ends the load phase (the completion wait still runs); a second ends both.
        if (stopLoad.signal.aborted) stopAll.abort();
        log.info(LOGGER, "Stop requested");
        stopLoad.abort();
      },
      resetStats() {
        stats.reset();
        log.info(LOGGER, "Statistics reset");
      },
    }, ctx);
    await backlog.sample();
    let lastTickS = 0;
    while (!stopLoad.signal.aborted) {
      const elapsedS = (performance.now() - loadStart) / 1000;
      const target = prepared.shape.tick(elapsedS);
      if (target === null) break;
      if ("rate" in target) {
        if (targetRate !== undefined) arrivals.advance(elapsedS - lastTickS, targetRate);
        targetRate = target.rate;
        pool.setRate(target.rate, manual?.users ?? target.users);
      } else if (manual) pool.setTarget(manual.users, manual.spawnRate);
      else pool.setTarget(target.users, target.spawnRate);
      lastTickS = elapsedS;
      await everySecond(Date.now());
      await sleepUntil(loadStart + Math.ceil(elapsedS + 1e-9) * 1000, stopLoad.signal);
    }
    if (targetRate !== undefined) {
      arrivals.advance((performance.now() - loadStart) / 1000 - lastTickS, targetRate);
    }
    log.info(LOGGER, reason === "window" ? "Time window ended: stopping users" : "Stopping users");
    await pool.stop();

    if (settings.waitForCompletion && reason === "window" && !stopAll.signal.aborted) {
      await waitForCompletion();
    }
  } finally {
    interrupt?.dispose();
    await monitor.stop();
    tracker.expirePending(Number.POSITIVE_INFINITY);
    if (settings.waitForCompletion && reason === "window" && !stopAll.signal.aborted) {
      const now = Date.now();
      const note =
        `No terminal status within --completion-timeout ${settings.completionTimeoutS} s`;
      for (const job of tracker.markOpenJobsTimedOut()) {
        stats.record(jobCompleteSample(job, now, note));
      }
    }
    stoppedAt = Date.now();
    takeTimelinePoint(stoppedAt);
    const final = tracker.statistics();
    log.block(TRACKER_LOGGER, statisticsBlock(final));
    if (arrivals.active) {
      log.info(TRACKER_LOGGER, arrivals.describe());
      write(arrivals.describe());
    }
    await writeJobFiles();
    for (const output of outputs) {
      try {
        await output.finish(ctx);
      } catch (error) {
        log.error(
          LOGGER,
          `could not write the ${output.name} output: ${
            error instanceof Error ? error.message : error
          }`,
        );
      }
    }
    log.info(LOGGER, `Start time: ${isoLocalWithOffset(new Date(startedAt))}`);
    log.info(LOGGER, `Expected end time: ${isoLocalWithOffset(expectedEnd)}`);
    log.info(LOGGER, `Actual end time: ${isoLocalWithOffset(new Date(stoppedAt))}`);
    log.info(LOGGER, `Total elapsed time: ${(stoppedAt - startedAt) / 1000} seconds`);
    sqs.destroy();
    log.close();
  }

  const jobs = tracker.statistics();
  let exitCode: number = ExitCode.Ok;
  if (reason === "interrupted") exitCode = ExitCode.Interrupted;
  else {
    const thresholds = evaluateRunThresholds(settings.thresholds, stats, jobs, write);
    if (thresholds === "failed") exitCode = ExitCode.ThresholdsFailed;
    else if (fatal || stats.numFailures > 0 || stats.exceptions().length > 0) {
      exitCode = settings.exitCodeOnError;
    }
  }
  return {
    exitCode,
    reason,
    stats,
    jobs,
    files: [...files],
    prepared,
  };

  async function waitForCompletion(): Promise<void> {
    log.info(LOGGER, "Waiting for all jobs to complete...");
    const deadline = Date.now() + settings.completionTimeoutS * 1000;
    const bar = progressBar("Waiting for jobs", tracker.size);
    try {
      while (!tracker.isComplete() && !stopAll.signal.aborted && Date.now() < deadline) {
        const now = Date.now();
        await everySecond(now);
        bar.update(tracker.statistics().total_image_processed, tracker.size);
        await sleepUntil(now + 1000, stopAll.signal);
      }
    } finally {
      bar.stop();
    }
    if (tracker.isComplete()) log.info(LOGGER, "All jobs completed!");
    else if (!stopAll.signal.aborted) {
      log.warn(
        LOGGER,
        `Completion timeout (${settings.completionTimeoutS} s): ${tracker.statistics().total_image_in_progress} job(s) still open are reported as timed out`,
      );
    }
  }
}

/** The steps getter of a shape that keeps capacity-search steps. */
function stepsOf(shape: PreparedRun["shape"]): (() => readonly CapacityStep[]) | undefined {
  const steps = (shape as { steps?: () => readonly CapacityStep[] }).steps;
  return typeof steps === "function" ? () => steps.call(shape) : undefined;
}

/** Sleep until `at` (a `performance.now()` or `Date.now()` value matching the caller's clock) or abort. */
function sleepUntil(at: number, signal: AbortSignal): Promise<void> {
  return abortableSleep(at - (at > 1e12 ? Date.now() : performance.now()), signal);
}
