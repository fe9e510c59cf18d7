/**
 * The Logs tab's data: the last lines of a log file, read from its end with a
 * bounded buffer, so a long run's `job_log.log` never costs more than
 * {@linkcode MAX_TAIL_BYTES} to show.
 *
 * @example
 * ```ts
 * import { readLogTail } from "./log_tail.ts";
 * const path = await Deno.makeTempFile();
 * await Deno.writeTextFile(path, "one\ntwo\nthree\n");
 * const tail = await readLogTail(path, { maxLines: 2 });
 * if (tail.lines.join(",") !== "two,three" || !tail.truncated) throw new Error(JSON.stringify(tail));
 * await Deno.remove(path);
 * ```
 * @module
 */
import type { LogTail } from "../frontend/wire.ts";

export type { LogTail };

/** Most bytes read from the end of the file. */
export const MAX_TAIL_BYTES = 128 * 1024;
/** Most lines returned. */
export const MAX_TAIL_LINES = 500;

/** Limits of {@linkcode readLogTail}. */
export interface TailOptions {
  /** Most bytes read from the end (default and cap {@linkcode MAX_TAIL_BYTES}). */
  maxBytes?: number;
  /** Most lines returned (default and cap {@linkcode MAX_TAIL_LINES}). */
  maxLines?: number;
}

/**
 * The last lines of the file at `path` (oldest first); an empty tail when
 * there is no such file yet.
 *
 * @example
 * ```ts
 * import { readLogTail } from "./log_tail.ts";
 * const tail = await readLogTail("/no/such/job_log.log");
 * if (tail.lines.length !== 0 || tail.size !== 0) throw new Error("empty");
 * ```
 */
export async function readLogTail(path: string, options: TailOptions = {}): Promise<LogTail> {
  const maxBytes = Math.min(options.maxBytes ?? MAX_TAIL_BYTES, MAX_TAIL_BYTES);
  const maxLines = Math.min(options.maxLines ?? MAX_TAIL_LINES, MAX_TAIL_LINES);
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { read: true });
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return { lines: [], truncated: false, size: 0 };
    throw error;
  }
  try {
    const { size } = await file.stat();
    const start = Math.max(0, size - maxBytes);
    await file.seek(start, Deno.SeekMode.Start);
    const buffer = new Uint8Array(size - start);
    let filled = 0;
    while (filled < buffer.length) {
      const n = await file.read(buffer.subarray(filled));
      if (n === null) break;
      filled += n;
    }
    let lines = new TextDecoder().decode(buffer.subarray(0, filled)).split("\n");
    if (lines.at(-1) === "") lines.pop();
    // Reading from the middle of the file: the first line is a fragment.
    if (start > 0) lines = lines.slice(1);
    const truncated = start > 0 || lines.length > maxLines;
    return { lines: lines.slice(-maxLines), truncated, size };
  } finally {
    file.close();
  }
}
