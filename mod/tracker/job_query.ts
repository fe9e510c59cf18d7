/**
 * Pages of job records for the web UI's Jobs tab, bounded whatever the run's size: finished
 * jobs are read from the journal (from the nearest checkpoint, `file_job_journal.ts`), jobs in
 * memory from the packed table.
 *
 * Records are in one sequence: the journal's (the order jobs finished), then the jobs in memory
 * (registration order). `order: "newest"` (the default) reads it from the end: the jobs in
 * memory newest first, then the finished ones, latest finished first.
 *
 * - No filter, or a `status` filter: the page costs its `limit` records plus at most 256
 *   journal lines, and `matched` comes from counters.
 * - A `text` filter (a substring of the image id — job id and image URL — or of the message id,
 *   case-sensitive) scans every record: the journal twice (count, then page) — about a second
 *   per million finished jobs. Memory stays one batch.
 *
 * @example
 * ```ts
 * import { JobTracker } from "./job_tracker.ts";
 * const tracker = new JobTracker();
 * for (const id of ["a", "b", "c"]) {
 *   tracker.register({ imageId: `${id}:s3://b/${id}.tif`, jobId: id, imageUrl: `s3://b/${id}.tif`,
 *     messageId: "m", size: 1, pixels: 1, submittedAt: 0, name: `${id}.tif:m`, awaited: false }, 0);
 * }
 * tracker.update({ imageId: "b:s3://b/b.tif", jobId: "b", status: "FAILED", durationS: 1, receivedAt: 5 });
 * const page = await tracker.query({ limit: 2 });
 * if (page.total !== 3 || page.records.map((r) => r.record.job_id).join() !== "c,a") throw new Error();
 * const failed = await tracker.query({ status: "FAILED" });
 * if (failed.matched !== 1 || failed.records[0]?.imageId !== "b:s3://b/b.tif") throw new Error();
 * ```
 * @module
 */
import {
  isJobStatus,
  JOB_STATUSES,
  type JobStatusRecord,
  type JobStatusValue,
} from "../model/job_record.ts";
import type { JobJournal } from "./job_journal.ts";
import type { OpenJobs } from "./open_jobs.ts";
import { parseJournalLine } from "./journal_line.ts";
import { UsageError } from "../usage_error.ts";

/** Most records in one page. */
export const MAX_PAGE_RECORDS = 1000;

/** What the Jobs tab asks for. */
export interface JobRecordQuery {
  /** Records to skip from the start of the order (default 0). */
  offset?: number;
  /** Records in the page (default 100, at most {@linkcode MAX_PAGE_RECORDS}). */
  limit?: number;
  /** Only this status (`STARTED`, `IN_PROGRESS`, `PARTIAL`, `SUCCESS`, `FAILED`). */
  status?: string;
  /** Only records whose image id or message id contains this text (case-sensitive). */
  text?: string;
  /** `newest` first (default) or `oldest` first. */
  order?: "newest" | "oldest";
}

/** One record of a page. */
export interface JobRecordRow {
  /** The `job_status.json` key (`<jobId>:<imageUrl>`). */
  imageId: string;
  record: JobStatusRecord;
}

/** One page of records. */
export interface JobRecordPage {
  /** Jobs tracked in all. */
  total: number;
  /** Jobs matching the filters. */
  matched: number;
  /** The offset of the page (as asked). */
  offset: number;
  /** The page's records, in the order asked. */
  records: JobRecordRow[];
}

/** What a query reads (the tracker's parts). */
export interface QuerySource {
  journal: JobJournal;
  open: OpenJobs;
  record(slot: number): JobStatusRecord;
  /** Jobs tracked in all. */
  total: number;
  /** Jobs by current status code (every job, in memory or in the journal). */
  byStatus: readonly number[];
}

/**
 * One page of `query` over `source`. A bad query (an unknown status, a negative offset) is a
 * {@linkcode UsageError} that says what is accepted.
 *
 * @example
 * ```ts
 * import { JobTracker } from "./job_tracker.ts";
 * const page = await new JobTracker().query({ status: "SUCCESS", offset: 10 });
 * if (page.matched !== 0 || page.records.length !== 0) throw new Error("empty");
 * ```
 */
export async function queryJobRecords(
  source: QuerySource,
  query: JobRecordQuery,
): Promise<JobRecordPage> {
  const offset = query.offset ?? 0;
  const limit = Math.min(query.limit ?? 100, MAX_PAGE_RECORDS);
  if (!Number.isInteger(offset) || offset < 0) {
    throw new UsageError(`job query: offset must be a whole number >= 0, not ${query.offset}`);
  }
  if (!Number.isInteger(limit) || limit < 0) {
    throw new UsageError(`job query: limit must be a whole number >= 0, not ${query.limit}`);
  }
  let status: JobStatusValue | undefined;
  if (query.status !== undefined && query.status !== "") {
    if (!isJobStatus(query.status)) {
      throw new UsageError(
        `job query: unknown status ${JSON.stringify(query.status)}; use one of ${
          JOB_STATUSES.join(", ")
        }`,
      );
    }
    status = query.status;
  }
  const newest = query.order !== "oldest";
  const text = query.text ?? "";
  if (text !== "") return await textPage(source, status, text, offset, limit, newest);

  const { journal, open } = source;
  const code = status === undefined ? -1 : JOB_STATUSES.indexOf(status);
  const inJournal = status === undefined ? journal.count : journal.countByStatus(status);
  const inMemory = status === undefined
    ? open.size
    : Math.max(0, source.byStatus[code]! - inJournal);
  const matched = inJournal + inMemory;
  const records: JobRecordRow[] = [];
  const end = Math.min(matched, offset + limit);
  if (offset >= end) return { total: source.total, matched, offset, records };
  // Positions in the sequence [journal..., memory...] (newest: counted from the end).
  const first = newest ? matched - end : offset;
  const last = newest ? matched - offset : end; // exclusive
  // The journal's part: [first, min(last, inJournal)).
  if (first < inJournal) {
    const to = Math.min(last, inJournal);
    const batches = status === undefined
      ? journal.lines(first, to)
      : journal.linesWithStatus(status, first, to);
    for await (const lines of batches) {
      for (const line of lines) {
        const entry = parseJournalLine(line);
        records.push({ imageId: entry.imageId, record: entry.record });
      }
    }
  }
  // The memory part: [max(first, inJournal), last) — positions among matching jobs in memory.
  if (last > inJournal) {
    const from = Math.max(first, inJournal) - inJournal;
    const to = last - inJournal;
    let index = 0;
    for (let slot = open.first; slot >= 0 && index < to; slot = open.next(slot)) {
      if (code >= 0 && open.status(slot) !== code) continue;
      if (index >= from) records.push({ imageId: open.imageId(slot), record: source.record(slot) });
      index++;
    }
  }
  if (newest) records.reverse();
  return { total: source.total, matched, offset, records };
}

/** A text-filtered page: count every match, then collect the page's. */
async function textPage(
  source: QuerySource,
  status: JobStatusValue | undefined,
  text: string,
  offset: number,
  limit: number,
  newest: boolean,
): Promise<JobRecordPage> {
  const { journal, open } = source;
  const escaped = JSON.stringify(text).slice(1, -1);
  const code = status === undefined ? -1 : JOB_STATUSES.indexOf(status);
  const journalMatches = async function* () {
    const batches = status === undefined
      ? journal.lines(0, journal.count)
      : journal.linesWithStatus(status, 0, journal.countByStatus(status));
    for await (const lines of batches) {
      for (const line of lines) {
        if (!line.includes(escaped)) continue;
        const entry = parseJournalLine(line);
        if (entry.imageId.includes(text) || entry.record.message_id.includes(text)) {
          yield { imageId: entry.imageId, record: entry.record };
        }
      }
    }
  };
  const memoryMatches = function* () {
    for (let slot = open.first; slot >= 0; slot = open.next(slot)) {
      if (code >= 0 && open.status(slot) !== code) continue;
      const imageId = open.imageId(slot);
      if (imageId.includes(text) || open.messageId(slot).includes(text)) yield slot;
    }
  };
  let inJournal = 0;
  for await (const _ of journalMatches()) inJournal++;
  let inMemory = 0;
  for (const _ of memoryMatches()) inMemory++;
  const matched = inJournal + inMemory;
  const end = Math.min(matched, offset + limit);
  const records: JobRecordRow[] = [];
  if (offset < end) {
    const first = newest ? matched - end : offset;
    const last = newest ? matched - offset : end;
    let index = 0;
    if (first < inJournal) {
      for await (const row of journalMatches()) {
        if (index >= first && index < last) records.push(row);
        if (++index >= last) break;
      }
    }
    index = inJournal;
    if (last > inJournal) {
      for (const slot of memoryMatches()) {
        if (index >= first) {
          records.push({ imageId: open.imageId(slot), record: source.record(slot) });
        }
        if (++index >= last) break;
      }
    }
    if (newest) records.reverse();
  }
  return { total: source.total, matched, offset, records };
}
