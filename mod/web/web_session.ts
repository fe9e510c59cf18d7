/**
 * The state behind the web UI: at most one load test at a time, started from
 * the form, steered while it runs (users, stop with or without waiting for
 * the jobs, reset), and kept after it ends so its results and downloads stay
 * available until the next start. It is also the live feed: an
 * {@linkcode Output} whose ticks push a snapshot to every browser over
 * server-sent events.
 *
 * @example
 * Not run as a test: `start` runs a load test against the deployment the environment names.
 * ```ts ignore
 * import { WebSession } from "./web_session.ts";
 * const session = new WebSession({ flags: {}, env: Deno.env.toObject() });
 * session.start({ users: 5, spawnRate: 1, runTime: "1m" });
 * session.stop("wait");
 * await session.close();
 * ```
 * @module
 */
import { checkUserCount } from "../engine/user_capacity.ts";
import { join } from "node:path";
import { resolveRunSettings, type RunFlags, type RunSettings } from "../config/run_settings.ts";
import { type LoadTestResult, type RunControl, runLoadTest } from "../engine/load_test.ts";
import { ExitCode } from "../exit_codes.ts";
import { RunLog } from "../log/run_log.ts";
import type { Output, OutputContext } from "../output/output.ts";
import { UsageError } from "../usage_error.ts";
import { buildSnapshot, type DashboardSnapshot, type RunState } from "./dashboard_snapshot.ts";
import {
  availableDownloads,
  type DownloadName,
  downloadResponse,
  type DownloadSources,
} from "./downloads.ts";
import { FORM_FIELDS } from "./form_fields.ts";
import { type JobQuery, MAX_JOB_ROWS, selectJobRows } from "./job_rows.ts";
import { readLogTail } from "./log_tail.ts";
import { csvOutput } from "./report_renderers.ts";
import { SseHub } from "./sse_hub.ts";
import { prefillForm, startFlags } from "./start_form.ts";
import { SystemUsageSampler } from "./system_usage.ts";
import type { FormValues, JobPage, LogTail, StopMode } from "../frontend/wire.ts";

/** Runs one load test (the engine's `runLoadTest`; tests may pass a stand-in). */
export type LoadTestRunner = typeof runLoadTest;

/** Options of a {@linkcode WebSession}. */
export interface WebSessionOptions {
  /** The `run` command's flags (the form's defaults; other flags apply to every run). */
  flags: RunFlags;
  /** Environment for the settings' fallbacks. */
  env: Record<string, string | undefined>;
  /** Where runs print plain console lines (default `console.log`). */
  write?: (line: string) => void;
  /** Where the runs' log lines go besides `job_log.log` (default `console.error`). */
  logConsole?: (line: string) => void;
  /** Longest gap between two snapshots when nothing ticks (ms, default 1000). */
  heartbeatMs?: number;
  /** What runs a load test (default the engine's `runLoadTest`). */
  runner?: LoadTestRunner;
}

interface ClientState {
  runId: number;
  cursor: number;
}

/**
 * One web UI session: runs, controls, live feed, downloads.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { WebSession } from "./web_session.ts";
 * const session = new WebSession({ flags: { sourceBucket: "s3://images", resultBucket: "s3://results" }, env: {} });
 * assert.equal(session.form.users, "1");
 * assert.equal(session.state, "idle");
 * await session.close();
 * ```
 */
export class WebSession {
  #flags: RunFlags;
  #env: Record<string, string | undefined>;
  #write: (line: string) => void;
  #logConsole: ((line: string) => void) | undefined;
  #runner: LoadTestRunner;
  #initialForm: FormValues;
  #lastForm: FormValues | undefined;
  #hub = new SseHub<ClientState>();
  #sampler = new SystemUsageSampler();
  #system = this.#sampler.sample();
  #state: RunState = "idle";
  #stopMode: StopMode | null = null;
  #runId = 0;
  #settings: RunSettings | undefined;
  #ctx: OutputContext | undefined;
  #control: RunControl | undefined;
  #abort: AbortController | undefined;
  #running: Promise<void> | undefined;
  #result: LoadTestResult | undefined;
  #error: string | undefined;
  #sources: DownloadSources = {};
  #downloads: DownloadName[] = [];
  #tempDir: string | undefined;
  #lastBroadcast = 0;
  #heartbeat: ReturnType<typeof setInterval>;
  #closed = false;

  /** Resolve the command line once (bad flags fail here, before the server starts). */
  constructor(options: WebSessionOptions) {
    this.#flags = options.flags;
    this.#env = options.env;
    this.#write = options.write ?? ((line) => console.log(line));
    this.#logConsole = options.logConsole;
    this.#runner = options.runner ?? runLoadTest;
    const settings = resolveRunSettings(options.flags, options.env);
    this.#initialForm = prefillForm(options.flags, settings);
    const every = options.heartbeatMs ?? 1000;
    this.#heartbeat = setInterval(() => {
      if (Date.now() - this.#lastBroadcast >= every * 0.9) void this.broadcast();
    }, every);
  }

  /** The form's values: the last start's, else the command line's. */
  get form(): FormValues {
    return { ...(this.#lastForm ?? this.#initialForm) };
  }

  /** Where the session is: idle, preparing, running, stopping or finished. */
  get state(): RunState {
    return this.#state;
  }

  /** The last run's result, once it ended. */
  get result(): LoadTestResult | undefined {
    return this.#result;
  }

  /** Resolves when the current run (if any) has ended. */
  async settled(): Promise<void> {
    await this.#running;
  }

  /**
   * Check the form's values with the CLI's rules, without starting anything.
   * Throws the {@linkcode UsageError} a start would throw.
   */
  validate(form: Record<string, unknown>): RunSettings {
    const settings = resolveRunSettings(startFlags(this.#flags, form), this.#env);
    if (settings.dryRun) {
      throw new UsageError("--dry-run has no web UI: run with --dry-run --headless instead");
    }
    // Known before anything runs: the user count this machine can hold (the form shows it inline).
    checkUserCount(settings.users, "--users");
    return settings;
  }

  /**
   * Start a run with the form's values over the command line. Throws a
   * {@linkcode UsageError} for bad values or when a run is going already.
   */
  start(form: Record<string, unknown>): number {
    if (this.#closed) throw new UsageError("the web UI is shutting down: restart osml-load");
    if (this.#state !== "idle" && this.#state !== "finished") {
      throw new UsageError(
        `a run is ${this.#state} already: stop it first, or change its users while it runs`,
      );
    }
    const settings = this.validate(form);
    const kept = this.form;
    for (const field of FORM_FIELDS) {
      const value = form[field.name];
      if (typeof value === "string" || typeof value === "boolean") kept[field.name] = value;
      else if (typeof value === "number") kept[field.name] = String(value);
    }
    this.#lastForm = kept;
    this.#runId++;
    this.#state = "preparing";
    this.#stopMode = null;
    this.#settings = settings;
    this.#sources = {};
    this.#ctx = undefined;
    this.#control = undefined;
    this.#result = undefined;
    this.#error = undefined;
    this.#abort = new AbortController();
    this.#running = this.#run(settings, this.#runId);
    void this.broadcast();
    return this.#runId;
  }

  /** Change the users and spawn rate of the running test. */
  setUsers(users: number, spawnRate: number): void {
    if (!Number.isInteger(users) || users < 0) {
      throw new UsageError(`users must be a whole number ≥ 0 (got ${users})`);
    }
    if (!Number.isFinite(spawnRate) || spawnRate <= 0) {
      throw new UsageError(`spawn rate must be a number > 0 (got ${spawnRate})`);
    }
    if (!this.#control || this.#state !== "running") {
      throw new UsageError("no test is running: start one first");
    }
    this.#control.setUsers(users, spawnRate);
    void this.broadcast();
  }

  /**
   * Stop the running test; its outputs are still written. `"wait"` stops
   * sending and waits for the jobs in flight (bounded by the completion
   * timeout); `"now"` ends the run without waiting, also during such a wait.
   * No-op when nothing runs (or when already stopping the same way).
   */
  stop(mode: StopMode = "now"): void {
    const live = this.#state === "preparing" || this.#state === "running";
    const escalate = this.#state === "stopping" && mode === "now" && this.#stopMode === "wait";
    if (!live && !escalate) return;
    this.#stopMode = mode;
    this.#state = "stopping";
    // While the engine prepares there is no control yet: onStarted stops it.
    this.#control?.stop(mode);
    void this.broadcast();
  }

  /** Reset the request statistics of the running test (Locust's "Reset stats"). */
  resetStats(): void {
    if (!this.#control) throw new UsageError("no test is running: start one first");
    this.#control.resetStats();
    void this.broadcast();
  }

  /**
   * The Jobs tab's rows: one bounded page from the tracker (finished jobs are read from its
   * file), never every job of the run. Sorting by another column sorts the newest page, and the
   * page says so (`sortedAmong`) when there are more matching jobs than that.
   */
  async jobs(query: JobQuery): Promise<JobPage> {
    const ctx = this.#ctx;
    if (!ctx?.queryJobs) return selectJobRows(ctx?.jobRecords?.() ?? {}, query);
    const limit = Math.min(query.limit ?? MAX_JOB_ROWS, MAX_JOB_ROWS);
    const bySubmission = !query.sort || query.sort === "start_time";
    const page = await ctx.queryJobs({
      limit,
      ...(query.status ? { status: query.status } : {}),
      order: bySubmission && query.dir === "asc" ? "oldest" : "newest",
    });
    const records = page.records.map((row) => row.record);
    if (bySubmission) return { total: page.total, matched: page.matched, rows: records };
    const sorted = selectJobRows(
      Object.fromEntries(page.records.map((row) => [row.imageId, row.record])),
      { ...query, limit },
    );
    return {
      total: page.total,
      matched: page.matched,
      rows: sorted.rows,
      ...(page.matched > page.records.length ? { sortedAmong: page.records.length } : {}),
    };
  }

  /** The Logs tab: the last lines of the latest run's `job_log.log` (empty before a run). */
  logs(maxLines?: number): Promise<LogTail> {
    const dir = this.#sources.logDir;
    if (dir === undefined) return Promise.resolve({ lines: [], truncated: false, size: 0 });
    return readLogTail(join(dir, "job_log.log"), maxLines === undefined ? {} : { maxLines });
  }

  /** One snapshot from timeline index `cursor` on. */
  snapshot(cursor = 0): DashboardSnapshot {
    return buildSnapshot(
      this.#ctx,
      {
        runId: this.#runId,
        state: this.#state,
        stopMode: this.#stopMode,
        ...(this.#error !== undefined ? { error: this.#error } : {}),
        ...(this.#result
          ? { result: { exitCode: this.#result.exitCode, reason: this.#result.reason } }
          : {}),
        downloads: this.#downloads,
        mix: this.#settings?.userMix.map((m) => ({ kind: m.kind, weight: m.weight })) ?? [],
        completionTimeoutS: this.#settings?.completionTimeoutS ?? null,
      },
      cursor,
      this.#system,
    );
  }

  /** Counters of the live feed (subscribers, events sent, broadcasts coalesced). */
  feedStats(): ReturnType<SseHub<ClientState>["stats"]> {
    return this.#hub.stats();
  }

  /** A new server-sent events stream, starting with a full snapshot. */
  subscribe(): Response {
    return this.#hub.subscribe({ runId: this.#runId, cursor: 0 }, (client) => {
      const snap = this.snapshot(0);
      client.state = { runId: this.#runId, cursor: snap.timelineFrom + snap.timeline.length };
      return { event: "snapshot", data: snap };
    });
  }

  /** Push a fresh snapshot to every browser (built when each can take it). */
  async broadcast(): Promise<void> {
    this.#lastBroadcast = Date.now();
    this.#system = this.#sampler.sample();
    this.#downloads = await availableDownloads(this.#sources);
    this.#hub.broadcast((client) => {
      const cursor = client.state.runId === this.#runId ? client.state.cursor : 0;
      const snap = this.snapshot(cursor);
      client.state = { runId: this.#runId, cursor: snap.timelineFrom + snap.timeline.length };
      return { event: "snapshot", data: snap };
    });
  }

  /** The response for a download of the latest run. */
  download(name: DownloadName): Promise<Response> {
    return downloadResponse(name, this.#sources);
  }

  /**
   * Stop any run, wait for it to write its outputs, end every event stream
   * and remove the session's temp files. Returns the exit code for the
   * process: the last run's, 130 when a run was interrupted, else 0.
   */
  async close(): Promise<number> {
    if (!this.#closed) {
      this.#closed = true;
      const wasRunning = this.#state === "preparing" || this.#state === "running";
      this.stop("now");
      this.#abort?.abort();
      await this.#running;
      clearInterval(this.#heartbeat);
      this.#hub.close();
      if (this.#tempDir) await Deno.remove(this.#tempDir, { recursive: true }).catch(() => {});
      if (wasRunning) return ExitCode.Interrupted;
    }
    return this.#result?.exitCode ?? ExitCode.Ok;
  }

  async #run(settings: RunSettings, runId: number): Promise<void> {
    const extra: Output[] = [];
    let csvPrefix = settings.csvPrefix;
    if (csvPrefix === undefined) {
      // Downloads need the CSV files even when --output was not given.
      this.#tempDir ??= await Deno.makeTempDir({ prefix: "osml-load-web-" });
      csvPrefix = join(this.#tempDir, `run-${runId}`, "osml-load");
      extra.push(csvOutput({ prefix: csvPrefix, fullHistory: settings.csvFullHistory }));
    }
    const feed: Output = {
      name: "web",
      start: (ctx) => {
        this.#ctx = ctx;
        this.#sources = { csvPrefix: csvPrefix as string, logDir: settings.logDir, ctx };
      },
      tick: () => this.broadcast(),
      finish: () => this.broadcast(),
    };
    extra.push(feed);
    try {
      const result = await this.#runner(settings, {
        ...(this.#logConsole
          ? {
            log: new RunLog({
              verbose: settings.verbose,
              level: settings.logLevel,
              logFile: settings.logFile,
              console: this.#logConsole,
            }),
          }
          : {}),
        write: this.#write,
        extraOutputs: extra,
        handleSignals: false,
        signal: (this.#abort as AbortController).signal,
        onStarted: (control, ctx) => {
          this.#control = control;
          this.#ctx = ctx;
          if (this.#stopMode !== null) control.stop(this.#stopMode);
          else this.#state = "running";
          void this.broadcast();
        },
      });
      this.#result = result;
      if (result.reason === "fatal") this.#error = "the run stopped on a fatal error: see the log";
    } catch (error) {
      this.#error = error instanceof Error ? error.message : String(error);
      this.#write(`error: ${this.#error}`);
    } finally {
      this.#control = undefined;
      this.#state = "finished";
      await this.broadcast();
    }
  }
}
