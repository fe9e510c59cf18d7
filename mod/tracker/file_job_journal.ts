/**
 * The job journal as an append-only JSON Lines file (`job_records.jsonl` in the log folder):
 * one finished job a line, in the order jobs finish (`journal_line.ts` gives the format).
 *
 * - Appends are buffered and written synchronously when 256 KiB gather and at every `flush()`
 *   (the tracker flushes every second), so a crashed run loses at most about a second of
 *   finished jobs; each line is complete once written.
 * - Memory is the buffer plus sparse checkpoints: the byte offset of every 256th line, and per
 *   status the line number of every 256th line with that status — 8 bytes per 256 jobs each —
 *   so a reader starts within 256 lines of any entry (the web UI's pages) without an index per
 *   job.
 * - A write error is remembered and thrown by `flush()`; later lines stay in memory (the run
 *   reports the failure and stops).
 *
 * @example
 * ```ts
 * import { FileJobJournal } from "./file_job_journal.ts";
 * const dir = await Deno.makeTempDir();
 * const journal = FileJobJournal.create(`${dir}/job_records.jsonl`);
 * const record = { job_id: "a", image_url: "u", message_id: "m", status: "FAILED" as const,
 *   completed: true, size: 1, pixels: 1, start_time: "t", processing_duration: 2.5 };
 * journal.append({ imageId: "a:u", record, attempt: 1, seq: 0 }, { record, name: "u:m",
 *   submittedAt: 0, startAt: 0, attempt: 1, workerIndex: 0, awaited: false });
 * journal.close();
 * const text = await Deno.readTextFile(`${dir}/job_records.jsonl`);
 * if (JSON.parse(text).status !== "FAILED" || !text.endsWith("\n")) throw new Error(text);
 * await Deno.remove(dir, { recursive: true });
 * ```
 * @module
 */
import { readLineBatches, readLinesSync } from "../fs/read_lines.ts";
import { JOB_STATUSES, type JobStatusValue, type TrackedJob } from "../model/job_record.ts";
import { formatJournalLine, type JournalEntry, journalLineStatus } from "./journal_line.ts";
import { type JobJournal, JOURNAL_BATCH } from "./job_journal.ts";

/** Lines between two checkpoints. */
const CHECKPOINT_EVERY = 256;
const FLUSH_CHARS = 256 * 1024;

/** A growable Float64Array. */
class Float64List {
  #items = new Float64Array(64);
  length = 0;
  push(value: number): void {
    if (this.length === this.#items.length) {
      const bigger = new Float64Array(this.#items.length * 2);
      bigger.set(this.#items);
      this.#items = bigger;
    }
    this.#items[this.length++] = value;
  }
  at(index: number): number {
    return this.#items[index]!;
  }
}

/**
 * Bytes read at once when the journal is read back. Each chunk is decoded into one string: below
 * V8's large-object size (128 KB) it is young garbage; 1 MB chunks went to the old generation
 * and a million-job `job_status.json` write grew the heap by tens of MB between collections.
 */
const READ_CHUNK_BYTES = 64 * 1024;

/** The journal's file name in the log folder (`--log-dir`). */
export const JOB_RECORDS_FILE = "job_records.jsonl";

/**
 * Keep the journal a killed run left in `dir` (its finished jobs, otherwise lost when this run
 * creates its own): renamed to `job_records.killed-<its last change, UTC>.jsonl`. Returns the
 * new path, or undefined when there was none or it was empty.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { keepKilledRunJournal } from "./file_job_journal.ts";
 * const dir = await Deno.makeTempDir();
 * assert.equal(await keepKilledRunJournal(dir), undefined); // nothing to keep
 * await Deno.writeTextFile(`${dir}/job_records.jsonl`, '{"image_id":"a"}\n');
 * const kept = await keepKilledRunJournal(dir);
 * assert.match(kept!, /job_records\.killed-\d{8}-\d{6}\.jsonl$/);
 * assert.equal(await Deno.readTextFile(kept!), '{"image_id":"a"}\n');
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function keepKilledRunJournal(dir: string): Promise<string | undefined> {
  const path = `${dir}/${JOB_RECORDS_FILE}`;
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(path);
  } catch {
    return undefined;
  }
  if (!info.isFile || info.size === 0) return undefined;
  const at = (info.mtime ?? new Date()).toISOString().replace(/[-:]/g, "").replace("T", "-")
    .slice(0, 15);
  let target = `${dir}/job_records.killed-${at}.jsonl`;
  for (let n = 2; await Deno.stat(target).then(() => true, () => false); n++) {
    target = `${dir}/job_records.killed-${at}-${n}.jsonl`;
  }
  await Deno.rename(path, target);
  return target;
}

/** An append-only JSON Lines file of finished jobs. */
export class FileJobJournal implements JobJournal {
  readonly path: string;
  #file: Deno.FsFile | undefined;
  #pending: string[] = [];
  #pendingChars = 0;
  #count = 0;
  #flushedLines = 0;
  #bytes = 0;
  #lineOffsets = new Float64List();
  #statusCount = new Map<JobStatusValue, number>();
  #statusCheckpoints = new Map<JobStatusValue, Float64List>();
  #encoder = new TextEncoder();
  #buffer = new Uint8Array(FLUSH_CHARS * 3 + 1024);
  #error: Error | undefined;
  /** The file's inode (null where the platform has none), to notice it being replaced. */
  #ino: number | null;

  private constructor(path: string, file: Deno.FsFile) {
    this.path = path;
    this.#file = file;
    this.#ino = file.statSync().ino;
    for (const status of JOB_STATUSES) {
      this.#statusCount.set(status, 0);
      this.#statusCheckpoints.set(status, new Float64List());
    }
  }

  /**
   * Create (or empty) the journal file at `path`; its folder must exist. Throws an error that
   * names the path when the file cannot be created.
   */
  static create(path: string): FileJobJournal {
    try {
      return new FileJobJournal(
        path,
        Deno.openSync(path, { write: true, create: true, truncate: true }),
      );
    } catch (error) {
      throw new Error(
        `could not create the job journal ${path}: ${(error as Error).message}; ` +
          `check that the log folder (--log-dir) is writable`,
        { cause: error },
      );
    }
  }

  get count(): number {
    return this.#count;
  }

  get error(): Error | undefined {
    return this.#error;
  }

  /** Bytes written to the file so far. */
  get bytes(): number {
    return this.#bytes;
  }

  countByStatus(status: JobStatusValue): number {
    return this.#statusCount.get(status) ?? 0;
  }

  append(entry: JournalEntry, _job: TrackedJob): void {
    const line = formatJournalLine(entry);
    const status = entry.record.status;
    const n = this.#statusCount.get(status)!;
    if (n % CHECKPOINT_EVERY === 0) this.#statusCheckpoints.get(status)!.push(this.#count);
    this.#statusCount.set(status, n + 1);
    this.#pending.push(line);
    this.#pendingChars += line.length + 1;
    this.#count++;
    if (this.#pendingChars >= FLUSH_CHARS && !this.#error) {
      try {
        this.flush();
      } catch {
        // Remembered in #error; thrown by the next explicit flush.
      }
    }
  }

  /**
   * Throws (and remembers) a clear error when the file is no longer the one this journal wrote:
   * removed, replaced or emptied (log rotation) during the run.
   */
  #checkFile(): void {
    if (this.#error) throw this.#error;
    let what: string | undefined;
    try {
      const info = Deno.statSync(this.path);
      if (info.ino !== null && this.#ino !== null && info.ino !== this.#ino) what = "replaced";
      else if (info.size < this.#bytes) what = "truncated";
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
      what = "removed";
    }
    if (what === undefined) return;
    this.#error = new Error(
      `the job journal ${this.path} was ${what} during the run: it holds the run's finished ` +
        `jobs, from which job_status.json is written, so do not rotate, empty or delete it ` +
        `until the run has ended (the run's totals are in job_summary.json)`,
    );
    throw this.#error;
  }

  flush(): void {
    if (this.#error) throw this.#error;
    if (this.#pending.length === 0) return;
    const file = this.#file;
    if (!file) throw new Error(`the job journal ${this.path} is closed`);
    this.#checkFile();
    // Encode line by line, noting the byte offset of every checkpoint line.
    let used = 0;
    let line = this.#flushedLines;
    const offsets: number[] = [];
    for (const text of this.#pending) {
      if (line % CHECKPOINT_EVERY === 0) offsets.push(this.#bytes + used);
      const need = text.length * 3 + 1;
      if (this.#buffer.length - used < need) {
        const bigger = new Uint8Array(Math.max(this.#buffer.length * 2, used + need));
        bigger.set(this.#buffer.subarray(0, used));
        this.#buffer = bigger;
      }
      used += this.#encoder.encodeInto(text, this.#buffer.subarray(used)).written;
      this.#buffer[used++] = 10;
      line++;
    }
    try {
      let at = 0;
      while (at < used) at += file.writeSync(this.#buffer.subarray(at, used));
    } catch (error) {
      this.#error = new Error(
        `could not write the job journal ${this.path}: ${(error as Error).message}; ` +
          `check that the disk has room`,
        { cause: error },
      );
      throw this.#error;
    }
    for (const offset of offsets) this.#lineOffsets.push(offset);
    this.#bytes += used;
    this.#flushedLines = line;
    this.#pending = [];
    this.#pendingChars = 0;
  }

  /** Byte offset of the checkpoint at or before line `from`, and that line's number. */
  #seek(from: number): { byte: number; line: number } {
    const k = Math.min(Math.floor(from / CHECKPOINT_EVERY), this.#lineOffsets.length - 1);
    if (k < 0) return { byte: 0, line: 0 };
    return { byte: this.#lineOffsets.at(k), line: k * CHECKPOINT_EVERY };
  }

  async *lines(from: number, to: number): AsyncGenerator<string[]> {
    to = Math.min(to, this.#count);
    if (from >= to) return;
    if (to > this.#flushedLines) this.flush();
    else this.#checkFile();
    const start = this.#seek(from);
    let line = start.line;
    for await (
      const lines of readLineBatches(this.path, {
        start: start.byte,
        end: this.#bytes,
        chunkBytes: READ_CHUNK_BYTES,
      })
    ) {
      // Lines [line, line + lines.length) of the journal: yield the part in [from, to).
      const first = Math.max(0, from - line);
      const last = Math.min(lines.length, to - line);
      line += lines.length;
      for (let i = first; i < last; i += JOURNAL_BATCH) {
        yield lines.slice(i, Math.min(last, i + JOURNAL_BATCH));
      }
      if (line >= to) break;
    }
  }

  *linesSync(from: number, to: number): Generator<string> {
    to = Math.min(to, this.#count);
    if (from >= to) return;
    if (to > this.#flushedLines) this.flush();
    else this.#checkFile();
    const start = this.#seek(from);
    let line = start.line;
    for (const text of readLinesSync(this.path, { start: start.byte, end: this.#bytes })) {
      if (line >= from) yield text;
      line++;
      if (line >= to) break;
    }
  }

  async *linesWithStatus(
    status: JobStatusValue,
    from: number,
    to: number,
  ): AsyncGenerator<string[]> {
    to = Math.min(to, this.countByStatus(status));
    if (from >= to) return;
    const checkpoints = this.#statusCheckpoints.get(status)!;
    const k = Math.floor(from / CHECKPOINT_EVERY);
    let index = k * CHECKPOINT_EVERY;
    let batch: string[] = [];
    for await (const lines of this.lines(checkpoints.at(k), this.#count)) {
      for (const text of lines) {
        if (journalLineStatus(text) !== status) continue;
        if (index >= from) batch.push(text);
        index++;
        if (index >= to) break;
      }
      if (batch.length && (batch.length >= JOURNAL_BATCH || index >= to)) {
        yield batch;
        batch = [];
      }
      if (index >= to) return;
    }
    if (batch.length) yield batch;
  }

  get(_imageId: string): TrackedJob | undefined {
    return undefined;
  }

  close(): void {
    try {
      if (!this.#error) this.flush();
    } finally {
      this.#file?.close();
      this.#file = undefined;
    }
  }
}
