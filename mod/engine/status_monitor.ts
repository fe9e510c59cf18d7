/**
 * The main-thread side of the status monitor worker: starts it, forwards
 * known job ids (for `--keep-foreign-status`), and hands status events to a
 * callback. Counts what the monitor saw.
 *
 * @example
 * Not run as a test: its worker reads the status queue of the AWS account the environment names.
 * ```ts ignore
 * const monitor = StatusMonitor.start({ region, queueUrl, keepForeign: false, onEvents: (e) => {} });
 * await monitor.stop();
 * ```
 * @module
 */
import type { FromMonitorWorker, StatusEvent, ToMonitorWorker } from "./worker_messages.ts";

/** Options of {@linkcode StatusMonitor.start}. */
export interface StatusMonitorOptions {
  region: string;
  queueUrl: string;
  keepForeign: boolean;
  /**
   * The run's job-id prefix: with `keepForeign`, a message for an unknown job without it is
   * handed back at once, one with it is held for a grace period first (it may be ours).
   */
  jobIdPrefix?: string;
  /** Timeout of one SQS call, in ms (long polls add their wait). */
  awsTimeoutMs: number;
  /**
   * What the worker's SQS client reads instead of the process environment: its endpoint and
   * static credentials only (`clientEnv("sqs", env)`); absent, the process environment.
   */
  awsEnv?: Record<string, string>;
  onEvents: (events: StatusEvent[]) => void;
  onWarning: (message: string) => void;
  /** The monitor died: the run cannot follow its jobs any more. */
  onFatal: (message: string) => void;
  /** Long-poll wait (default 5 s, as upstream). */
  waitTimeSeconds?: number;
  /** Visibility timeout (default 30 s, as upstream). */
  visibilityTimeout?: number;
}

/** Counters of the status queue traffic. */
export interface MonitorCounts {
  received: number;
  malformed: number;
  /** Foreign messages counted by the monitor (keep-foreign mode only). */
  foreign: number;
  receiveErrors: number;
}

/** A running status monitor. */
export class StatusMonitor {
  #worker: Worker;
  #keepForeign: boolean;
  #stopped: Promise<void>;
  #counts: MonitorCounts = { received: 0, malformed: 0, foreign: 0, receiveErrors: 0 };
  #failingSince: number | undefined;

  private constructor(worker: Worker, keepForeign: boolean, stopped: Promise<void>) {
    this.#worker = worker;
    this.#keepForeign = keepForeign;
    this.#stopped = stopped;
  }

  /** Start the monitor worker. */
  static start(options: StatusMonitorOptions): StatusMonitor {
    const worker = new Worker(new URL("../../workers/monitor_worker.ts", import.meta.url), {
      type: "module",
      name: "status-monitor",
    });
    let resolveStopped!: () => void;
    const stopped = new Promise<void>((resolve) => (resolveStopped = resolve));
    const monitor = new StatusMonitor(worker, options.keepForeign, stopped);
    worker.onmessage = (event: MessageEvent<FromMonitorWorker>) => {
      const message = event.data;
      switch (message.type) {
        case "events": {
          const counts = monitor.#counts;
          counts.received += message.received;
          counts.malformed += message.malformed;
          counts.foreign += message.foreign;
          counts.receiveErrors += message.errors;
          if (message.errors > 0) monitor.#failingSince ??= Date.now();
          else monitor.#failingSince = undefined;
          if (message.events.length) options.onEvents(message.events);
          break;
        }
        case "warning":
          options.onWarning(message.message);
          break;
        case "fatal":
          options.onFatal(`status monitor stopped: ${message.message}`);
          resolveStopped();
          break;
        case "stopped":
          resolveStopped();
          break;
      }
    };
    worker.onerror = (event) => {
      event.preventDefault();
      options.onFatal(`status monitor failed: ${event.message}`);
      resolveStopped();
    };
    const init: ToMonitorWorker = {
      type: "init",
      region: options.region,
      queueUrl: options.queueUrl,
      keepForeign: options.keepForeign,
      ...(options.jobIdPrefix ? { jobIdPrefix: options.jobIdPrefix } : {}),
      awsTimeoutMs: options.awsTimeoutMs,
      ...(options.awsEnv ? { awsEnv: options.awsEnv } : {}),
      waitTimeSeconds: options.waitTimeSeconds ?? 5,
      visibilityTimeout: options.visibilityTimeout ?? 30,
    };
    worker.postMessage(init);
    return monitor;
  }

  /** Tell the monitor these jobs are this run's (used with keep-foreign). */
  addKnownJobs(jobIds: string[]): void {
    if (!this.#keepForeign || jobIds.length === 0) return;
    const message: ToMonitorWorker = { type: "known", jobIds };
    this.#worker.postMessage(message);
  }

  /**
   * How long (ms) every receive has failed, up to `now`: 0 while the status queue answers.
   */
  failingFor(now: number): number {
    return this.#failingSince === undefined ? 0 : Math.max(0, now - this.#failingSince);
  }

  /** What the monitor saw so far. */
  counts(): MonitorCounts {
    return { ...this.#counts };
  }

  /** Stop the monitor (ends its long poll), wait up to `timeoutMs`, then terminate its worker. */
  async stop(timeoutMs = 5_000): Promise<void> {
    const message: ToMonitorWorker = { type: "stop" };
    this.#worker.postMessage(message);
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([this.#stopped, new Promise((r) => (timer = setTimeout(r, timeoutMs)))]);
    clearTimeout(timer);
    this.#worker.terminate();
  }
}
