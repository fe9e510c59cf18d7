/**
 * One line of the job journal (`job_records.jsonl` in the log folder): a finished job as
 * compact JSON on one line — the image id, then upstream's nine `job_status.json` keys in
 * upstream's order, then `attempt` and `seq` (the tracker's registration number):
 *
 * ```text
 * {"image_id":"<jobId>:<url>","job_id":"…","image_url":"…","message_id":"…","status":"SUCCESS",
 *  "completed":true,"size":1024,"pixels":4096,"start_time":"12/09/2025/10:44:51",
 *  "processing_duration":12.0,"attempt":1,"seq":0}
 * ```
 *
 * `processing_duration` is written as upstream's Python float (`12.0`), like `job_status.json`.
 *
 * @example
 * ```ts
 * import { formatJournalLine, parseJournalLine } from "./journal_line.ts";
 * const entry = { imageId: "j:s3://b/a.tif", attempt: 1, seq: 0, record: { job_id: "j",
 *   image_url: "s3://b/a.tif", message_id: "m", status: "SUCCESS" as const, completed: true,
 *   size: 1, pixels: null, start_time: "12/09/2025/10:44:51", processing_duration: 12 } };
 * const line = formatJournalLine(entry);
 * if (!line.includes('"processing_duration":12.0')) throw new Error(line);
 * if (parseJournalLine(line).record.processing_duration !== 12) throw new Error("round trip");
 * ```
 * @module
 */
import { pythonFloatRepr } from "../stats/python_format.ts";
import { isJobStatus, type JobStatusRecord, type JobStatusValue } from "../model/job_record.ts";

/** A finished job as the journal keeps it. */
export interface JournalEntry {
  /** The `job_status.json` key: `<jobId>:<imageUrl>`. */
  imageId: string;
  /** The `job_status.json` record. */
  record: JobStatusRecord;
  /** Which send of this image id the record follows (1, then 2 and 3 for PARTIAL retries). */
  attempt: number;
  /** The tracker's registration number of the job. */
  seq: number;
}

/**
 * A number as `JSON.stringify` writes it, or as Python's float when `float` (non-finite: null).
 *
 * @example
 * ```ts
 * import { jsonNumber } from "./journal_line.ts";
 * if (jsonNumber(3, true) !== "3.0" || jsonNumber(3, false) !== "3") throw new Error();
 * ```
 */
export function jsonNumber(value: number | null, float: boolean): string {
  if (value === null || !Number.isFinite(value)) return "null";
  if (!float) return String(value);
  // Where Python and JavaScript both write plain decimals (1e-4 <= |x| < 1e16), both write the
  // shortest round-trip digits: only the ".0" of integral values differs.
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-4 && magnitude < 1e16) {
    const text = String(value);
    return text.includes(".") ? text : `${text}.0`;
  }
  return pythonFloatRepr(value);
}

/**
 * The journal line of `entry` (no newline).
 *
 * @example
 * ```ts
 * import { formatJournalLine } from "./journal_line.ts";
 * const line = formatJournalLine({ imageId: "a:u", attempt: 2, seq: 7, record: { job_id: "a",
 *   image_url: "u", message_id: "m", status: "PARTIAL", completed: true, size: 5, pixels: 9,
 *   start_time: "01/01/2026/00:00:00", processing_duration: null } });
 * if (!line.startsWith('{"image_id":"a:u","job_id":"a"') || !line.endsWith('"attempt":2,"seq":7}')) {
 *   throw new Error(line);
 * }
 * ```
 */
export function formatJournalLine(entry: JournalEntry): string {
  const r = entry.record;
  return `{"image_id":${JSON.stringify(entry.imageId)},"job_id":${
    JSON.stringify(r.job_id)
  },"image_url":${JSON.stringify(r.image_url)},"message_id":${
    JSON.stringify(r.message_id)
  },"status":"${r.status}","completed":${r.completed},"size":${
    jsonNumber(r.size, false)
  },"pixels":${jsonNumber(r.pixels, false)},"start_time":${
    JSON.stringify(r.start_time)
  },"processing_duration":${
    jsonNumber(r.processing_duration, true)
  },"attempt":${entry.attempt},"seq":${entry.seq}}`;
}

/**
 * Parse a journal line; throws with the line's start when it is not one.
 *
 * @example
 * ```ts
 * import { parseJournalLine } from "./journal_line.ts";
 * try {
 *   parseJournalLine("{}");
 *   throw new Error("accepted");
 * } catch (e) {
 *   if (!(e as Error).message.includes("not a job journal line")) throw e;
 * }
 * ```
 */
export function parseJournalLine(line: string): JournalEntry {
  let value: Record<string, unknown>;
  // The line as JSON text, shortened: never raw bytes (a damaged file may hold NULs).
  const excerpt = () => JSON.stringify(line.length > 80 ? `${line.slice(0, 80)}…` : line);
  try {
    value = JSON.parse(line);
  } catch {
    throw new Error(`not a job journal line (not JSON): ${excerpt()}`);
  }
  if (
    typeof value !== "object" || value === null || typeof value.image_id !== "string" ||
    typeof value.status !== "string" || !isJobStatus(value.status)
  ) {
    throw new Error(`not a job journal line (no image_id or status): ${excerpt()}`);
  }
  return {
    imageId: value.image_id,
    record: {
      job_id: value.job_id as string,
      image_url: value.image_url as string,
      message_id: value.message_id as string,
      status: value.status,
      completed: value.completed as boolean,
      size: value.size as number,
      pixels: value.pixels as number | null,
      start_time: value.start_time as string,
      processing_duration: value.processing_duration as number | null,
    },
    attempt: typeof value.attempt === "number" ? value.attempt : 1,
    seq: typeof value.seq === "number" ? value.seq : -1,
  };
}

const STATUS_KEY = ',"status":"';

/**
 * The status of a journal line without parsing it (the key `,"status":"` cannot occur inside a
 * JSON string, where quotes are escaped); undefined when absent.
 *
 * @example
 * ```ts
 * import { journalLineStatus } from "./journal_line.ts";
 * const s = journalLineStatus('{"image_id":"a\\",\\"status\\":\\"X","job_id":"a","status":"FAILED"}');
 * if (s !== "FAILED") throw new Error(String(s));
 * ```
 */
export function journalLineStatus(line: string): JobStatusValue | undefined {
  const at = line.indexOf(STATUS_KEY);
  if (at < 0) return undefined;
  const start = at + STATUS_KEY.length;
  const status = line.slice(start, line.indexOf('"', start));
  return isJobStatus(status) ? status : undefined;
}
