import { ImageHeaderError } from "./image_header_error.ts";

/**
 * Reads `length` bytes of a file starting at `offset`. It may return fewer bytes when the range
 * runs past the end of the file (and an empty array when `offset` is at or past it).
 *
 * @example
 * ```ts
 * import type { RangeReader } from "./range_reader.ts";
 * const read: RangeReader = (offset, length) =>
 *   Promise.resolve(new Uint8Array(16).subarray(offset, offset + length));
 * if ((await read(12, 8)).length !== 4) throw new Error("a range past the end is cut short");
 * ```
 */
export type RangeReader = (offset: number, length: number) => Promise<Uint8Array>;

/**
 * A {@linkcode RangeReader} over bytes in memory.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { bytesRangeReader } from "./range_reader.ts";
 * const read = bytesRangeReader(new Uint8Array([1, 2, 3]));
 * assert.deepEqual(await read(1, 10), new Uint8Array([2, 3]));
 * ```
 */
export function bytesRangeReader(bytes: Uint8Array): RangeReader {
  return (offset, length) =>
    Promise.resolve(bytes.subarray(Math.min(offset, bytes.length), offset + length));
}

/**
 * A {@linkcode RangeReader} over a file on disk. Each call opens the file, reads the range and
 * closes it again, so the reader holds no resource and needs no cleanup.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { fileRangeReader } from "./range_reader.ts";
 * const path = await Deno.makeTempFile();
 * await Deno.writeFile(path, new Uint8Array([73, 73, 42, 0, 8, 0, 0, 0, 1, 2]));
 * const read = fileRangeReader(path);
 * const header = await read(0, 8);
 * assert.deepEqual(header, new Uint8Array([73, 73, 42, 0, 8, 0, 0, 0]));
 * await Deno.remove(path);
 * ```
 */
export function fileRangeReader(path: string | URL): RangeReader {
  return async (offset, length) => {
    const file = await Deno.open(path, { read: true });
    try {
      await file.seek(offset, Deno.SeekMode.Start);
      const out = new Uint8Array(length);
      let filled = 0;
      while (filled < length) {
        const n = await file.read(out.subarray(filled));
        if (n === null) break;
        filled += n;
      }
      return out.subarray(0, filled);
    } finally {
      file.close();
    }
  };
}

/**
 * Wraps `read` so that ranges inside `head` (the bytes already read from offset 0) are served
 * from memory. When `head` is shorter than `headRequested` the file ended inside it, so every
 * range is served from memory. Other ranges go to `read`.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { bytesRangeReader, cachedHeadReader } from "./range_reader.ts";
 * const bytes = bytesRangeReader(new Uint8Array(100_000));
 * let reads = 0;
 * const read = (offset: number, length: number) => (reads++, bytes(offset, length));
 * const head = await read(0, 65536);
 * const cached = cachedHeadReader(read, head, 65536);
 * assert.equal((await cached(10, 20)).length, 20); // served from head, no new read
 * assert.equal(reads, 1);
 * await cached(70_000, 10);
 * assert.equal(reads, 2);
 * ```
 */
export function cachedHeadReader(
  read: RangeReader,
  head: Uint8Array,
  headRequested: number,
): RangeReader {
  const wholeFile = head.length < headRequested;
  return (offset, length) => {
    if (wholeFile || offset + length <= head.length) {
      return Promise.resolve(head.subarray(Math.min(offset, head.length), offset + length));
    }
    return read(offset, length);
  };
}

/**
 * Reads exactly `length` bytes at `offset`, or throws an {@linkcode ImageHeaderError} naming
 * `file` and `what` was being read when the file ends first.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { ImageHeaderError } from "./image_header_error.ts";
 * import { bytesRangeReader, readExactly } from "./range_reader.ts";
 * const bytes = await readExactly(bytesRangeReader(new Uint8Array(8)), "a.png", 0, 8, "signature");
 * assert.equal(bytes.length, 8);
 * await assert.rejects(
 *   readExactly(bytesRangeReader(new Uint8Array(4)), "a.png", 0, 8, "signature"),
 *   ImageHeaderError,
 * );
 * ```
 */
export async function readExactly(
  read: RangeReader,
  file: string,
  offset: number,
  length: number,
  what: string,
): Promise<Uint8Array> {
  const bytes = await read(offset, length);
  if (bytes.length < length) {
    throw new ImageHeaderError(
      file,
      `the file ends at byte ${offset + bytes.length} inside the ${what} ` +
        `(bytes ${offset}..${offset + length - 1}); it looks truncated`,
    );
  }
  return bytes.length === length ? bytes : bytes.subarray(0, length);
}
