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
 * ```
 */
export type RangeReader = (offset: number, length: number) => Promise<Uint8Array>;

/**
 * A {@linkcode RangeReader} over bytes in memory.
 *
 * @example
 * ```ts
 * import { bytesRangeReader } from "./range_reader.ts";
 * const read = bytesRangeReader(new Uint8Array([1, 2, 3]));
 * await read(1, 10); // Uint8Array [2, 3]
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
 * import { fileRangeReader } from "./range_reader.ts";
 * const read = fileRangeReader("samples/small.tif");
 * const header = await read(0, 8);
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
 * import { bytesRangeReader, cachedHeadReader } from "./range_reader.ts";
 * const read = bytesRangeReader(new Uint8Array(100_000));
 * const head = await read(0, 65536);
 * const cached = cachedHeadReader(read, head, 65536);
 * await cached(10, 20); // served from head, no new read
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
 * import { bytesRangeReader, readExactly } from "./range_reader.ts";
 * const bytes = await readExactly(bytesRangeReader(new Uint8Array(8)), "a.png", 0, 8, "signature");
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
