/**
 * Atomic file writes: write a temp file beside the target, then rename it over the target, so a
 * reader never sees half a file. {@linkcode writeTextFileAtomic} takes the whole text;
 * {@linkcode writeFileAtomicStream} takes it piece by piece (an async iterable of strings or
 * bytes), so a file of any size is written with memory for one buffer, not the whole file.
 *
 * @example
 * ```ts
 * import { writeFileAtomicStream } from "./atomic_write.ts";
 * const dir = await Deno.makeTempDir();
 * async function* parts() {
 *   yield "{";
 *   yield "}\n";
 * }
 * await writeFileAtomicStream(`${dir}/a.json`, parts());
 * if (await Deno.readTextFile(`${dir}/a.json`) !== "{}\n") throw new Error("written");
 * await Deno.remove(dir, { recursive: true });
 * ```
 * @module
 */
import { dirname, join } from "node:path";

/**
 * Write a file atomically: write a temp file beside it, then rename it over the
 * target, so a reader never sees half a file. Creates the parent folder.
 *
 * @example
 * ```ts
 * import { writeTextFileAtomic } from "./atomic_write.ts";
 * const dir = await Deno.makeTempDir();
 * await writeTextFileAtomic(`${dir}/a/b.json`, "{}\n");
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeTextFileAtomic(path: string, text: string): Promise<void> {
  const dir = dirname(path);
  const temp = join(dir, `.${crypto.randomUUID().slice(0, 8)}.tmp`);
  try {
    await Deno.mkdir(dir, { recursive: true });
    await Deno.writeTextFile(temp, text);
    await Deno.rename(temp, path);
  } catch (error) {
    await Deno.remove(temp).catch(() => {});
    throw writeError(path, error);
  }
}

/** Options of {@linkcode writeFileAtomicStream}. */
export interface StreamWriteOptions {
  /** Bytes gathered before each write to the file (default 1 MiB). */
  bufferBytes?: number;
  /** Stop (and leave the target untouched) when this aborts. */
  signal?: AbortSignal;
}

/**
 * Write a file atomically from pieces: strings are UTF-8 encoded into one reusable buffer,
 * written whenever it fills; then the temp file is renamed over `path`. Memory is one buffer
 * whatever the file's size. On any failure (a write, the source throwing, `signal`) the temp
 * file is removed, the target is left as it was, and the error names the path. Creates the
 * parent folder. Returns the bytes written.
 *
 * @example
 * ```ts
 * import { writeFileAtomicStream } from "./atomic_write.ts";
 * const dir = await Deno.makeTempDir();
 * async function* lines() {
 *   for (let i = 0; i < 3; i++) yield `${i}\n`;
 * }
 * const bytes = await writeFileAtomicStream(`${dir}/n.txt`, lines(), { bufferBytes: 2 });
 * if (bytes !== 6 || (await Deno.readTextFile(`${dir}/n.txt`)) !== "0\n1\n2\n") throw new Error();
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeFileAtomicStream(
  path: string,
  pieces: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>,
  options: StreamWriteOptions = {},
): Promise<number> {
  const dir = dirname(path);
  const temp = join(dir, `.${crypto.randomUUID().slice(0, 8)}.tmp`);
  const size = Math.max(1, options.bufferBytes ?? 1 << 20);
  const buffer = new Uint8Array(Math.max(size, 1024));
  let used = 0;
  let total = 0;
  const encoder = new TextEncoder();
  let file: Deno.FsFile | undefined;
  const drain = async () => {
    let at = 0;
    while (at < used) at += await file!.write(buffer.subarray(at, used));
    total += used;
    used = 0;
  };
  try {
    await Deno.mkdir(dir, { recursive: true });
    file = await Deno.open(temp, { write: true, create: true, truncate: true });
    for await (const piece of pieces) {
      options.signal?.throwIfAborted();
      if (typeof piece === "string") {
        let rest = piece;
        for (;;) {
          // encodeInto stops where the buffer is full (never inside a character).
          const { read, written } = encoder.encodeInto(rest, buffer.subarray(used));
          used += written;
          if (read === rest.length) break;
          rest = rest.slice(read);
          await drain();
        }
        if (used >= size) await drain();
      } else {
        if (used + piece.length > buffer.length) await drain();
        if (piece.length >= buffer.length) {
          let at = 0;
          while (at < piece.length) at += await file.write(piece.subarray(at));
          total += piece.length;
        } else {
          buffer.set(piece, used);
          used += piece.length;
          if (used >= size) await drain();
        }
      }
    }
    await drain();
    file.close();
    file = undefined;
    options.signal?.throwIfAborted();
    await Deno.rename(temp, path);
    return total;
  } catch (error) {
    try {
      file?.close();
    } catch {
      // already closed
    }
    await Deno.remove(temp).catch(() => {});
    throw writeError(path, error);
  }
}

function writeError(path: string, error: unknown): Error {
  return new Error(
    `could not write ${path}: ${error instanceof Error ? error.message : String(error)}; ` +
      `check that its folder is writable and the disk has room`,
    { cause: error },
  );
}
