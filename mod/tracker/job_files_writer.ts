/**
 * When to rewrite `job_status.json` and `job_summary.json` during a run, so that the rewrites
 * never hold up the run and their total cost does not grow with the square of its length:
 *
 * - a rewrite runs in the background (the run's once-a-second work does not wait for it), one
 *   at a time;
 * - the next one starts `--stats-interval` after the last one started, or, when writing took
 *   long, {@linkcode REWRITE_DUTY} times the last write's duration after it — rewrites take at
 *   most about a fiftieth of the time. `job_status.json` grows with the run (about 470 bytes a
 *   job), so in long runs it is rewritten less often than `--stats-interval` (e.g. every
 *   few minutes at a million jobs), and the total work stays proportional to the run;
 * - the final write first stops a rewrite in flight, then writes both files once more.
 *
 * @example
 * ```ts
 * import { JobFilesWriter } from "./job_files_writer.ts";
 * import { JobTracker } from "./job_tracker.ts";
 * const dir = await Deno.makeTempDir();
 * const writer = new JobFilesWriter({ logDir: dir, tracker: new JobTracker(), intervalMs: 30_000,
 *   summary: () => ({ startedAt: 0 }), onError: (e) => { throw e; } });
 * const paths = await writer.final();
 * if (paths.length !== 2) throw new Error("job_status.json and job_summary.json");
 * await Deno.remove(dir, { recursive: true });
 * ```
 * @module
 */
import { type SummaryExtras, writeJobFiles } from "./job_files.ts";
import type { JobTracker } from "./job_tracker.ts";

/** A rewrite waits at least this many times the last write's duration after it started. */
export const REWRITE_DUTY = 50;

/** Options of a {@linkcode JobFilesWriter}. */
export interface JobFilesWriterOptions {
  logDir: string;
  tracker: JobTracker;
  /** `--stats-interval` in ms: the shortest time between two rewrites. */
  intervalMs: number;
  /** The summary's run facts, taken at the instant of each write. */
  summary: () => SummaryExtras;
  /** A background rewrite failed (the run should stop: its job files are stale). */
  onError: (error: unknown) => void;
  /** A background rewrite finished (paths written, ms it took). */
  onWritten?: (paths: string[], ms: number) => void;
  /** Monotonic ms (default `performance.now`). */
  monotonic?: () => number;
}

/** Paces the job files' rewrites. */
export class JobFilesWriter {
  #options: JobFilesWriterOptions;
  #monotonic: () => number;
  #inFlight: { done: Promise<void>; abort: AbortController } | undefined;
  #lastStart = Number.NEGATIVE_INFINITY;
  #lastMs = 0;
  /** Rewrites finished (background ones and the final one). */
  writes = 0;

  constructor(options: JobFilesWriterOptions) {
    this.#options = options;
    this.#monotonic = options.monotonic ?? (() => performance.now());
  }

  /** How long the last write took (ms; 0 before the first). */
  get lastWriteMs(): number {
    return this.#lastMs;
  }

  /** When the next rewrite may start (monotonic ms). */
  get nextDueAt(): number {
    return this.#lastStart + Math.max(this.#options.intervalMs, REWRITE_DUTY * this.#lastMs);
  }

  /** True while a background rewrite runs. */
  get writing(): boolean {
    return this.#inFlight !== undefined;
  }

  /** Start a background rewrite when one is due and none runs; true when one started. */
  tick(): boolean {
    const now = this.#monotonic();
    if (this.#inFlight || now < this.nextDueAt) return false;
    const abort = new AbortController();
    const done = this.#write(abort.signal).then(
      ({ paths, ms }) => this.#options.onWritten?.(paths, ms),
      (error) => {
        if (!abort.signal.aborted) this.#options.onError(error);
      },
    ).finally(() => (this.#inFlight = undefined));
    this.#inFlight = { done, abort };
    return true;
  }

  /** Stop a rewrite in flight, then write both files; returns their paths. */
  async final(): Promise<string[]> {
    const inFlight = this.#inFlight;
    if (inFlight) {
      inFlight.abort.abort();
      await inFlight.done;
    }
    return (await this.#write()).paths;
  }

  async #write(signal?: AbortSignal): Promise<{ paths: string[]; ms: number }> {
    const start = this.#monotonic();
    this.#lastStart = start;
    const { logDir, tracker, summary } = this.#options;
    const paths = await writeJobFiles(logDir, tracker, summary, signal);
    this.#lastMs = this.#monotonic() - start;
    this.writes++;
    return { paths, ms: this.#lastMs };
  }
}
