/**
 * The one owner of a run's lifecycle: its phases (prepare, load, drain,
 * finish), its cancellation tree, why it stopped, and the first failure of the
 * tool itself. Everything a run starts (AWS calls, sleeps, workers, outputs)
 * takes one of its signals, so any stop or failure reaches all of them.
 *
 * - `loadSignal` aborts when sending must stop (window over, Ctrl-C, SIGTERM,
 *   a stop from the web UI, a failure);
 * - `drainSignal` aborts when waiting for jobs must stop too;
 * - `signal` aborts everything still in flight (AWS calls included): on an
 *   interrupt during preparation, a tool failure, or when the stop timeout
 *   runs out.
 *
 * @example
 * ```ts
 * import { RunSupervisor } from "./run_supervisor.ts";
 * const run = new RunSupervisor();
 * run.fail("csv output", new Error("disk full"));
 * if (!run.loadSignal.aborted || run.reason !== "failed") throw new Error("a failure stops the run");
 * if (run.failures[0] !== "csv output: disk full") throw new Error("and is remembered");
 * ```
 * @module
 */

/** Where a run is. */
export type RunPhaseName = "prepare" | "load" | "drain" | "finish" | "done";

/**
 * Why the load ended: its shape or window ran out, a person interrupted it
 * (Ctrl-C, SIGTERM), it was stopped from the web UI, or the tool failed.
 */
export type StopReason = "window" | "interrupted" | "stopped" | "failed";

/** A run's phases, cancellation and failures. */
export class RunSupervisor {
  #phase: RunPhaseName = "prepare";
  #reason: StopReason | undefined;
  #failures: string[] = [];
  #load = new AbortController();
  #drain = new AbortController();
  #all = new AbortController();
  #onFailure: ((message: string) => void) | undefined;

  /** `onFailure` hears each tool failure once, as one line (for the log). */
  constructor(onFailure?: (message: string) => void) {
    this.#onFailure = onFailure;
  }

  /** The phase now. */
  get phase(): RunPhaseName {
    return this.#phase;
  }

  /** Why the load ended (undefined while it goes). */
  get reason(): StopReason | undefined {
    return this.#reason;
  }

  /** Tool failures, first first, each `where: message`. */
  get failures(): readonly string[] {
    return this.#failures;
  }

  /** Aborts when users must stop sending. */
  get loadSignal(): AbortSignal {
    return this.#load.signal;
  }

  /** Aborts when the wait for jobs must end too. */
  get drainSignal(): AbortSignal {
    return this.#drain.signal;
  }

  /** Aborts every call still in flight. */
  get signal(): AbortSignal {
    return this.#all.signal;
  }

  /** Move to `phase` (phases only go forward). */
  enter(phase: RunPhaseName): void {
    const order: RunPhaseName[] = ["prepare", "load", "drain", "finish", "done"];
    if (order.indexOf(phase) > order.indexOf(this.#phase)) this.#phase = phase;
  }

  /** End the load phase because its shape or window ran out. */
  windowOver(): void {
    this.#reason ??= "window";
    this.#load.abort();
  }

  /**
   * Stop from the web UI or an API: `wait` keeps the completion wait (bounded
   * by the completion timeout), `now` ends it too.
   */
  stop(mode: "wait" | "now"): void {
    this.#reason ??= "stopped";
    this.#load.abort();
    if (mode === "now") this.#drain.abort();
  }

  /**
   * Ctrl-C or SIGTERM: stop sending and stop waiting. Sends in flight may finish
   * (within the stop timeout); during preparation, calls in flight are cancelled.
   */
  interrupt(): void {
    // An interrupt during the completion wait still makes the run an interrupted one.
    if (this.#reason !== "failed") this.#reason = "interrupted";
    this.#load.abort();
    this.#drain.abort();
    if (this.#phase === "prepare") this.#all.abort();
  }

  /** The tool itself failed (an output, a worker, the monitor): record it and stop the run. */
  fail(where: string, error: unknown): void {
    const message = `${where}: ${error instanceof Error ? error.message : String(error)}`;
    this.#failures.push(message);
    this.#onFailure?.(message);
    this.#reason ??= "failed";
    this.#load.abort();
    this.#drain.abort();
    this.#all.abort();
  }

  /** The stop timeout ran out: cancel whatever is still in flight. */
  cancelAll(): void {
    this.#load.abort();
    this.#drain.abort();
    this.#all.abort();
  }
}

/**
 * Run `work` for at most `ms`; resolves `true` when it finished in time, `false`
 * when the time ran out first (the work is then abandoned, not awaited).
 * Rejections of `work` are passed to `onError` and count as finished.
 *
 * @example
 * ```ts
 * import { within } from "./run_supervisor.ts";
 * const never = new Promise<void>(() => {});
 * if (await within(10, never) !== false) throw new Error("a hang is cut off");
 * if (await within(1000, Promise.resolve()) !== true) throw new Error("quick work finishes");
 * ```
 */
export async function within(
  ms: number,
  work: Promise<unknown>,
  onError?: (error: unknown) => void,
): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), Math.max(0, ms));
  });
  try {
    return await Promise.race([
      work.then(() => true, (error) => {
        onError?.(error);
        return true;
      }),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
