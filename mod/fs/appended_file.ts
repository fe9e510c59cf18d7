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
 * file.close();
 * assert.equal(await Deno.readTextFile(path), "t,n\n1,10\n2,25\n");
 * await Deno.remove(path);
 * ```
 * @module
 */

/** A header, then rows appended through one open handle; the last rows can be replaced. */
export class AppendedFile {
  #path: string;
  #file: Deno.FsFile | undefined;
  #size = 0;
  #lastOffset = 0;

  /** The file at `path` (nothing is written before {@linkcode AppendedFile.create}). */
  constructor(path: string) {
    this.#path = path;
  }

  /** Write `header` as the whole file and keep it open for appending. */
  async create(header: string): Promise<void> {
    await Deno.writeTextFile(this.#path, header);
    this.#file = await Deno.open(this.#path, { append: true });
    this.#size = (await this.#file.stat()).size;
    this.#lastOffset = this.#size;
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
