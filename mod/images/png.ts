import type { ImageDimensions } from "./dimensions.ts";
import { ImageHeaderError } from "./image_header_error.ts";
import { type RangeReader, readExactly } from "./range_reader.ts";

/** The eight bytes every PNG file starts with. */
export const PNG_SIGNATURE: Uint8Array = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]);

/**
 * Reads a PNG's width and height from its IHDR chunk, which must be the first chunk.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { readPngDimensions } from "./png.ts";
 * import { buildPng } from "./png_writer.ts";
 * import { bytesRangeReader } from "./range_reader.ts";
 * const png = buildPng(640, 360, () => [0, 0, 0]);
 * const { width, height } = await readPngDimensions(bytesRangeReader(png), "tile.png");
 * assert.deepEqual([width, height], [640, 360]);
 * ```
 */
export async function readPngDimensions(
  read: RangeReader,
  name: string,
): Promise<ImageDimensions> {
  const bytes = await readExactly(read, name, 0, 24, "PNG signature and IHDR chunk");
  for (let i = 0; i < PNG_SIGNATURE.length; i++) {
    if (bytes[i] !== PNG_SIGNATURE[i]) {
      throw new ImageHeaderError(name, "the PNG signature is wrong");
    }
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const type = String.fromCharCode(...bytes.subarray(12, 16));
  if (type !== "IHDR" || view.getUint32(8) !== 13) {
    throw new ImageHeaderError(name, `the first PNG chunk is '${type}', not a 13-byte IHDR`);
  }
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  if (width === 0 || height === 0) {
    throw new ImageHeaderError(name, `the PNG IHDR gives an empty size ${width}x${height}`);
  }
  return { format: "PNG", width, height };
}
