/**
 * A consistent snapshot of every job record at one instant, read record by record while the
 * run goes on — what `job_status.json` is written from, with memory for one batch of records
 * (not the run):
 *
 * - taken synchronously: the journal's length (finished jobs) and the registration numbers and
 *   slots of the jobs in memory — 8 bytes per job in memory, nothing per finished job;
 * - read: the journal's first entries (as they were), then each job that was in memory (its
 *   state when it is read); a job that finished and left memory in between is read from the
 *   journal's newer entries instead. Every job of the instant comes exactly once; jobs
 *   registered later do not come.
 *
 * @example
 * ```ts
 * import { JobTracker } from "./job_tracker.ts";
 * const tracker = new JobTracker();
 * tracker.register({ imageId: "j:s3://b/a.tif", jobId: "j", imageUrl: "s3://b/a.tif", messageId: "m",
 *   size: 1, pixels: 1, submittedAt: 0, name: "a.tif:m", awaited: false }, 0);
 * const snapshot = tracker.snapshot();
 * let text = "";
 * for await (const piece of snapshot.text()) text += piece;
 * if (JSON.parse(text)["j:s3://b/a.tif"].status !== "STARTED") throw new Error(text);
 * ```
 * @module
 */
import type { JobStatistics, JobStatisticsExtra } from "../model/run_report.ts";
import { JOB_STATUSES, type JobStatusRecord, TERMINAL_STATUSES } from "../model/job_record.ts";
import type { JobJournal } from "./job_journal.ts";
import type { OpenJobs } from "./open_jobs.ts";
import { parseJournalLine } from "./journal_line.ts";
import { formatStatusEntry } from "./job_status_entry.ts";

/** What a snapshot reads from (the tracker's parts). */
export interface SnapshotSource {
  journal: JobJournal;
  open: OpenJobs;
  /** The record of the job in `slot` now. */
  record(slot: number): JobStatusRecord;
  /** The tracker's statistics at the instant of the snapshot. */
  stats: JobStatistics & JobStatisticsExtra;
}

/** One record: image id and `job_status.json` record. */
export type StatusEntry = readonly [imageId: string, record: JobStatusRecord];

const BATCH = 64;
/** Records in one piece of {@linkcode JobStatusSnapshot.text} (about 470 bytes each). */
const TEXT_PIECE = 64;

/** Every record at one instant, read in batches. */
export class JobStatusSnapshot {
  /** The tracker's statistics at the same instant (for `job_summary.json`). */
  readonly stats: JobStatistics & JobStatisticsExtra;
  /** Records in the snapshot. */
  readonly count: number;
  #source: SnapshotSource;
  #journalCount: number;
  #slots: Int32Array;
  #seqs: Uint32Array;
  /** Each open job's status and duration at the snapshot's instant (NaN: none yet). */
  #statuses: Uint8Array;
  #durations: Float64Array;

  constructor(source: SnapshotSource) {
    this.#source = source;
    this.stats = source.stats;
    this.#journalCount = source.journal.count;
    const open = source.open;
    this.#slots = new Int32Array(open.size);
    this.#seqs = new Uint32Array(open.size);
    this.#statuses = new Uint8Array(open.size);
    this.#durations = new Float64Array(open.size);
    let i = 0;
    for (let slot = open.first; slot >= 0; slot = open.next(slot)) {
      this.#slots[i] = slot;
      this.#statuses[i] = open.status(slot);
      this.#durations[i] = open.duration(slot);
      this.#seqs[i++] = open.seq(slot);
    }
    this.count = this.#journalCount + this.#slots.length;
  }

  /** The records, in batches: the journal's, then those that were in memory. */
  async *entries(): AsyncGenerator<StatusEntry[]> {
    const { journal, open } = this.#source;
    for await (const lines of journal.lines(0, this.#journalCount)) {
      yield lines.map((line) => {
        const entry = parseJournalLine(line);
        return [entry.imageId, entry.record] as const;
      });
    }
    const n = this.#slots.length;
    const read = new Uint8Array(n);
    let batch: StatusEntry[] = [];
    for (let i = 0; i < n; i++) {
      const slot = this.#slots[i]!;
      if (!open.inUse(slot) || open.seq(slot) !== this.#seqs[i]) continue;
      batch.push([open.imageId(slot), this.#asTaken(i, this.#source.record(slot))]);
      read[i] = 1;
      if (batch.length >= BATCH) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length) yield batch;
    // Jobs that left memory since the snapshot: in the journal's newer entries.
    let missing = 0;
    for (let i = 0; i < n; i++) if (!read[i]) missing++;
    if (missing === 0) return;
    for await (const lines of journal.lines(this.#journalCount, journal.count)) {
      batch = [];
      for (const line of lines) {
        const entry = parseJournalLine(line);
        const i = indexOf(this.#seqs, entry.seq);
        if (i < 0 || read[i]) continue;
        read[i] = 1;
        missing--;
        batch.push([entry.imageId, this.#asTaken(i, entry.record)]);
      }
      if (batch.length) yield batch;
      if (missing === 0) return;
    }
  }

  /**
   * The record of the `i`-th open job as it was at the snapshot's instant (a status that came
   * while the file was written belongs to the next one), so the records agree with `stats`.
   */
  #asTaken(i: number, record: JobStatusRecord): JobStatusRecord {
    const status = JOB_STATUSES[this.#statuses[i]!]!;
    if (record.status === status) return record;
    const duration = this.#durations[i]!;
    return {
      ...record,
      status,
      completed: TERMINAL_STATUSES.has(status),
      processing_duration: Number.isNaN(duration) ? null : duration,
    };
  }

  /**
   * The `job_status.json` text in pieces of {@linkcode TEXT_PIECE} records: what
   * `stringifyPythonJson(records) + "\n"` gives, without building it whole. Pieces stay small
   * (about 30 KB) so that each is young garbage: a piece above V8's large-object size (128 KB)
   * is allocated in the old generation, and a million-job file made of them grew the heap by
   * 100 MB between full collections.
   */
  async *text(): AsyncGenerator<string> {
    let first = true;
    for await (const batch of this.entries()) {
      for (let start = 0; start < batch.length; start += TEXT_PIECE) {
        const parts = batch.slice(start, start + TEXT_PIECE)
          .map(([id, record]) => formatStatusEntry(id, record));
        yield (first ? "{\n" : ",\n") + parts.join(",\n");
        first = false;
      }
    }
    yield first ? "{}\n" : "\n}\n";
  }
}

/** Index of `value` in the ascending `values`, or -1. */
function indexOf(values: Uint32Array, value: number): number {
  let lo = 0;
  let hi = values.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = values[mid]!;
    if (v === value) return mid;
    if (v < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
