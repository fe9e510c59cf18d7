/**
 * Read the lines of a byte range of a text file, chunk by chunk (memory for one chunk, whatever
 * the file's size): in batches ({@linkcode readLineBatches}, one await a chunk), one by one
 * ({@linkcode readLines}), or synchronously ({@linkcode readLinesSync}). Lines come without
 * their `\n`; a last line without one comes too.
 *
 * @example
 * ```ts
 * import { readLines } from "./read_lines.ts";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/a.txt`, "one\ntwo\nthree\n");
 * const lines: string[] = [];
 * for await (const line of readLines(`${dir}/a.txt`, { start: 4 })) lines.push(line);
 * if (lines.join() !== "two,three") throw new Error(lines.join());
 * await Deno.remove(dir, { recursive: true });
 * ```
 * @module
 */

/** The byte range and chunk size of a read. */
export interface ReadLinesOptions {
  /** First byte (default 0); must be the start of a line. */
  start?: number;
  /** Byte after the last one read (default: the end of the file when reading starts). */
  end?: number;
  /** Bytes read at a time (default 1 MiB). */
  chunkBytes?: number;
}

/**
 * The lines of `path` from byte `start` to `end`, a chunk's worth at a time (the fast way to
 * read many lines: one await per chunk, not per line).
 *
 * @example
 * ```ts
 * import { readLineBatches } from "./read_lines.ts";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/a.txt`, "a\nb\nc\n");
 * const batches: string[][] = [];
 * for await (const batch of readLineBatches(`${dir}/a.txt`, { chunkBytes: 4 })) batches.push(batch);
 * if (batches.flat().join() !== "a,b,c") throw new Error(JSON.stringify(batches));
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function* readLineBatches(
  path: string,
  options: ReadLinesOptions = {},
): AsyncGenerator<string[]> {
  const file = await Deno.open(path, { read: true });
  try {
    const start = options.start ?? 0;
    const end = options.end ?? (await file.stat()).size;
    if (start > 0) await file.seek(start, Deno.SeekMode.Start);
    const buffer = new Uint8Array(Math.max(1, options.chunkBytes ?? 1 << 20));
    const decoder = new TextDecoder();
    let left = end - start;
    let carry = "";
    while (left > 0) {
      const n = await file.read(buffer.subarray(0, Math.min(buffer.length, left)));
      if (n === null || n === 0) break;
      left -= n;
      const text = carry + decoder.decode(buffer.subarray(0, n), { stream: left > 0 });
      const lines = text.split("\n");
      carry = lines.pop()!;
      if (lines.length) yield lines;
    }
    carry += decoder.decode();
    if (carry.length > 0) yield [carry];
  } finally {
    file.close();
  }
}

/**
 * The lines of `path` from byte `start` to `end`, one at a time.
 *
 * @example
 * ```ts
 * import { readLines } from "./read_lines.ts";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/a.txt`, "é\nb");
 * const lines: string[] = [];
 * for await (const line of readLines(`${dir}/a.txt`, { chunkBytes: 1 })) lines.push(line);
 * if (lines.join("|") !== "é|b") throw new Error(lines.join("|"));
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function* readLines(
  path: string,
  options: ReadLinesOptions = {},
): AsyncGenerator<string> {
  for await (const batch of readLineBatches(path, options)) yield* batch;
}

/**
 * The lines of `path` from byte `start` to `end`, read synchronously.
 *
 * @example
 * ```ts
 * import { readLinesSync } from "./read_lines.ts";
 * const dir = Deno.makeTempDirSync();
 * Deno.writeTextFileSync(`${dir}/a.txt`, "one\ntwo\n");
 * const lines = [...readLinesSync(`${dir}/a.txt`, { end: 4 })];
 * if (lines.join() !== "one") throw new Error(lines.join());
 * Deno.removeSync(dir, { recursive: true });
 * ```
 */
export function* readLinesSync(path: string, options: ReadLinesOptions = {}): Generator<string> {
  const file = Deno.openSync(path, { read: true });
  try {
    const start = options.start ?? 0;
    const end = options.end ?? file.statSync().size;
    if (start > 0) file.seekSync(start, Deno.SeekMode.Start);
    const buffer = new Uint8Array(Math.max(1, options.chunkBytes ?? 1 << 20));
    const decoder = new TextDecoder();
    let left = end - start;
    let carry = "";
    while (left > 0) {
      const n = file.readSync(buffer.subarray(0, Math.min(buffer.length, left)));
      if (n === null || n === 0) break;
      left -= n;
      const text = carry + decoder.decode(buffer.subarray(0, n), { stream: left > 0 });
      const lines = text.split("\n");
      carry = lines.pop()!;
      yield* lines;
    }
    carry += decoder.decode();
    if (carry.length > 0) yield carry;
  } finally {
    file.close();
  }
}
