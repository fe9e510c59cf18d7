/**
 * The job journal: where the tracker moves a job once it has finished (it can no longer
 * change), in the order jobs finish, one {@linkcode JournalEntry} a line (`journal_line.ts`).
 * Two kinds:
 *
 * - {@linkcode FileJobJournal} (`file_job_journal.ts`): an append-only JSON Lines file in the log
 *   folder, `job_records.jsonl`. The run's memory holds no finished job; the file also makes a
 *   crashed run's finished jobs recoverable (flushed at least every second).
 * - {@linkcode MemoryJobJournal} (here): the lines in memory, and each finished job for
 *   `JobTracker.get` — for tests and embedded use with no log folder.
 *
 * Readers ask for entries by their index in the journal, or by their index among the entries
 * with one status (the web UI's filtered pages), in batches of lines.
 *
 * @example
 * ```ts
 * import { MemoryJobJournal } from "./job_journal.ts";
 * const journal = new MemoryJobJournal();
 * if (journal.count !== 0 || journal.path !== undefined) throw new Error("empty, in memory");
 * ```
 * @module
 */
import type { JobStatusValue, TrackedJob } from "../model/job_record.ts";
import { formatJournalLine, type JournalEntry } from "./journal_line.ts";

export type { FileJobJournal } from "./file_job_journal.ts";

/** Lines per batch handed to readers. */
export const JOURNAL_BATCH = 1024;

/** Where finished jobs go. */
export interface JobJournal {
  /** The file, or undefined in memory. */
  readonly path: string | undefined;
  /** Entries appended. */
  readonly count: number;
  /** The first write error (sticky): the journal lost its file and keeps lines in memory. */
  readonly error: Error | undefined;
  /** Entries with this (terminal) status. */
  countByStatus(status: JobStatusValue): number;
  /** Append a finished job (`job` is its full state, for in-memory lookups). */
  append(entry: JournalEntry, job: TrackedJob): void;
  /** Write what is buffered; throws (and remembers) a write error. */
  flush(): void;
  /** The lines of entries [from, to), in batches. */
  lines(from: number, to: number): AsyncGenerator<string[]>;
  /** The lines of entries [from, to), read synchronously. */
  linesSync(from: number, to: number): Generator<string>;
  /** The lines of the entries with `status` whose index among those is in [from, to). */
  linesWithStatus(status: JobStatusValue, from: number, to: number): AsyncGenerator<string[]>;
  /** A finished job's full state, when the journal keeps it in memory. */
  get(imageId: string): TrackedJob | undefined;
  /** Flush and release the file. */
  close(): void;
}

/**
 * A journal in memory: every line, and every finished job for lookups (memory grows with the
 * run: for tests and small embedded runs; runs use {@linkcode FileJobJournal}).
 *
 * @example
 * ```ts
 * import { MemoryJobJournal } from "./job_journal.ts";
 * const journal = new MemoryJobJournal();
 * const record = { job_id: "a", image_url: "u", message_id: "m", status: "SUCCESS" as const,
 *   completed: true, size: 1, pixels: 1, start_time: "t", processing_duration: 1 };
 * journal.append({ imageId: "a:u", record, attempt: 1, seq: 0 }, { record, name: "u:m",
 *   submittedAt: 0, startAt: 0, attempt: 1, workerIndex: 0, awaited: false });
 * if (journal.count !== 1 || journal.get("a:u")?.record.status !== "SUCCESS") throw new Error();
 * ```
 */
export class MemoryJobJournal implements JobJournal {
  readonly path = undefined;
  readonly error = undefined;
  #lines: string[] = [];
  #byStatus = new Map<JobStatusValue, number[]>();
  #jobs = new Map<string, TrackedJob>();

  get count(): number {
    return this.#lines.length;
  }

  countByStatus(status: JobStatusValue): number {
    return this.#byStatus.get(status)?.length ?? 0;
  }

  append(entry: JournalEntry, job: TrackedJob): void {
    const index = this.#lines.length;
    this.#lines.push(formatJournalLine(entry));
    let list = this.#byStatus.get(entry.record.status);
    if (!list) this.#byStatus.set(entry.record.status, list = []);
    list.push(index);
    this.#jobs.set(entry.imageId, job);
  }

  flush(): void {}

  async *lines(from: number, to: number): AsyncGenerator<string[]> {
    for (let i = Math.max(0, from); i < Math.min(to, this.#lines.length); i += JOURNAL_BATCH) {
      yield this.#lines.slice(i, Math.min(to, i + JOURNAL_BATCH));
      await Promise.resolve();
    }
  }

  *linesSync(from: number, to: number): Generator<string> {
    for (let i = Math.max(0, from); i < Math.min(to, this.#lines.length); i++) {
      yield this.#lines[i]!;
    }
  }

  async *linesWithStatus(
    status: JobStatusValue,
    from: number,
    to: number,
  ): AsyncGenerator<string[]> {
    const list = this.#byStatus.get(status) ?? [];
    for (let i = Math.max(0, from); i < Math.min(to, list.length); i += JOURNAL_BATCH) {
      yield list.slice(i, Math.min(to, i + JOURNAL_BATCH)).map((n) => this.#lines[n]!);
      await Promise.resolve();
    }
  }

  get(imageId: string): TrackedJob | undefined {
    return this.#jobs.get(imageId);
  }

  close(): void {}
}
