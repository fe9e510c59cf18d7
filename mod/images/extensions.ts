/**
 * The file-name endings the default user treats as images (docs/compatibility.md#image-extensions):
 * NITF, TIFF, PNG and JPEG, matched case-insensitively against the end of the key or URL.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { IMAGE_EXTENSIONS } from "./extensions.ts";
 * assert.equal(IMAGE_EXTENSIONS.join(" "), ".ntf .nitf .tif .tiff .png .jpg .jpeg");
 * ```
 */
export const IMAGE_EXTENSIONS: readonly string[] = Object.freeze([
  ".ntf",
  ".nitf",
  ".tif",
  ".tiff",
  ".png",
  ".jpg",
  ".jpeg",
]);

/**
 * Whether an S3 key (or full `s3://` URL) names an image, by a case-insensitive suffix match
 * against {@linkcode IMAGE_EXTENSIONS}, as upstream does.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { isImageKey } from "./extensions.ts";
 * assert.equal(isImageKey("scenes/SMALL.TIF"), true);
 * assert.equal(isImageKey("notes.txt"), false);
 * ```
 */
export function isImageKey(key: string): boolean {
  const lower = key.toLowerCase();
  return IMAGE_EXTENSIONS.some((ext) => lower.endsWith(ext));
}
