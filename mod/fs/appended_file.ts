/**
 * A file written once with a header, then appended to through one open handle, so a row a second
 * costs one write instead of an open, a stat, a seek, a write and a close. The rows last appended
 * can be replaced (a run's final state takes the row of its second).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { AppendedFile } from "./appended_file.ts";
 * const path = await Deno.makeTempFile();
 * const file = new AppendedFile(path);
 * await file.create("t,n\n");
 * await file.append("1,10\n", false);
 * await file.append("2,20\n", false);
 * await file.append("2,25\n", true); // the final state replaces second 2's row
 * await file.check(); // still the same file
 * file.close();
 * assert.equal(await Deno.readTextFile(path), "t,n\n1,10\n2,25\n");
 * await Deno.remove(path);
 * await assert.rejects(file.check(), /was removed during the run/);
 * ```
 * @module
 */

/** A header, then rows appended through one open handle; the last rows can be replaced. */
export class AppendedFile {
  #path: string;
  #file: Deno.FsFile | undefined;
  #size = 0;
  #lastOffset = 0;
  #ino: number | null = null;

  /** The file at `path` (nothing is written before {@linkcode AppendedFile.create}). */
  constructor(path: string) {
    this.#path = path;
  }

  /** Write `header` as the whole file and keep it open for appending. */
  async create(header: string): Promise<void> {
    await Deno.writeTextFile(this.#path, header);
    this.#file = await Deno.open(this.#path, { append: true });
    const info = await this.#file.stat();
    this.#size = info.size;
    this.#ino = info.ino;
    this.#lastOffset = this.#size;
  }

  /**
   * Throw when the file at the path is no longer the one being appended to (removed, moved or
   * replaced since {@linkcode AppendedFile.create}): rows would go nowhere the user can see.
   */
  async check(): Promise<void> {
    let ino: number | null | undefined;
    try {
      ino = (await Deno.stat(this.#path)).ino;
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    if (ino === undefined || (ino !== null && this.#ino !== null && ino !== this.#ino)) {
      throw new Error(
        `${this.#path} was ${
          ino === undefined ? "removed" : "replaced"
        } during the run: its rows can no longer be written (leave the output folder in place while a run writes to it)`,
      );
    }
  }

  /** Append `text`, or with `replaceLast` put it in place of the rows last appended. */
  async append(text: string, replaceLast: boolean): Promise<void> {
    const file = this.#file;
    if (!file) throw new Error(`${this.#path} is not open for appending`);
    if (replaceLast) {
      await file.truncate(this.#lastOffset);
      this.#size = this.#lastOffset;
    }
    this.#lastOffset = this.#size;
    const bytes = new TextEncoder().encode(text);
    for (let done = 0; done < bytes.length;) done += await file.write(bytes.subarray(done));
    this.#size += bytes.length;
  }

  /** Close the handle (idempotent). */
  close(): void {
    this.#file?.close();
    this.#file = undefined;
  }
}
