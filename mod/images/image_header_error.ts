/**
 * An image header that could not be read: the file is truncated, not an image, or in a layout
 * this reader does not understand. The message names the file and says what was wrong.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { ImageHeaderError } from "./image_header_error.ts";
 * const error = new ImageHeaderError("notes.txt", "not a TIFF, NITF, PNG or JPEG file (starts with 'hell')");
 * assert.equal(error.file, "notes.txt");
 * assert.ok(error.message.startsWith("cannot read the image header of notes.txt: not a TIFF"));
 * ```
 */
export class ImageHeaderError extends Error {
  /** The file (key or path) whose header could not be read. */
  readonly file: string;
  /** What was wrong with the header (the message without the file name and the advice). */
  readonly problem: string;

  /** Make an error for `file`; `problem` says what was wrong with its header. */
  constructor(file: string, problem: string, options?: ErrorOptions) {
    super(
      `cannot read the image header of ${file}: ${problem}; ` +
        "check that the object is a complete TIFF, NITF, PNG or JPEG image",
      options,
    );
    this.name = "ImageHeaderError";
    this.file = file;
    this.problem = problem;
  }
}
