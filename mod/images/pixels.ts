import type { ImageDimensions } from "./dimensions.ts";
import { ImageHeaderError } from "./image_header_error.ts";
import { readJpegDimensions } from "./jpeg.ts";
import { readNitfDimensions } from "./nitf.ts";
import { PNG_SIGNATURE, readPngDimensions } from "./png.ts";
import { cachedHeadReader, type RangeReader } from "./range_reader.ts";
import { readTiffDimensions } from "./tiff.ts";

export type { ImageDimensions } from "./dimensions.ts";
export { ImageHeaderError } from "./image_header_error.ts";
export type { RangeReader } from "./range_reader.ts";

/**
 * How many bytes are read first. Every header of the sample images, and of ordinary files,
 * fits; more is read only when the header points further on (a big JPEG APP segment, a TIFF
 * IFD at the end of the file).
 */
export const HEAD_BYTES = 64 * 1024;

/**
 * Reads an image's format, width and height from its header, with a few small ranged reads
 * (first {@linkcode HEAD_BYTES}, more only when the header says so). The format is sniffed
 * from the magic bytes; `name` is only used in error messages; `size`, when known, is the file
 * size and sharpens the truncation checks.
 *
 * @throws {ImageHeaderError} when the file is not a TIFF/BigTIFF, NITF, PNG or JPEG, or its
 * header is truncated or malformed.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { readImageDimensions } from "./pixels.ts";
 * import { buildPng } from "./png_writer.ts";
 * import { bytesRangeReader } from "./range_reader.ts";
 * const { format, width, height } = await readImageDimensions(
 *   bytesRangeReader(buildPng(64, 32, () => [0, 0, 0])),
 *   "tile.png",
 * );
 * assert.deepEqual([format, width, height], ["PNG", 64, 32]);
 * ```
 */
export async function readImageDimensions(
  read: RangeReader,
  name: string,
  size?: number,
): Promise<ImageDimensions> {
  const head = await read(0, HEAD_BYTES);
  const cached = cachedHeadReader(read, head, HEAD_BYTES);
  const known = size ?? (head.length < HEAD_BYTES ? head.length : undefined);
  const b = (i: number) => head[i] ?? -1;
  if (head.length === 0) throw new ImageHeaderError(name, "the file is empty");
  if (
    (b(0) === 0x49 && b(1) === 0x49 && (b(2) === 42 || b(2) === 43) && b(3) === 0) ||
    (b(0) === 0x4d && b(1) === 0x4d && b(2) === 0 && (b(3) === 42 || b(3) === 43))
  ) {
    return await readTiffDimensions(cached, name, known);
  }
  const magic4 = String.fromCharCode(...head.subarray(0, 4));
  if (magic4 === "NITF" || magic4 === "NSIF") {
    return await readNitfDimensions(cached, name, known);
  }
  if (PNG_SIGNATURE.every((value, i) => head[i] === value)) {
    return await readPngDimensions(cached, name);
  }
  if (b(0) === 0xff && b(1) === 0xd8 && b(2) === 0xff) {
    return await readJpegDimensions(cached, name);
  }
  const start = Array.from(
    head.subarray(0, 4),
    (c) => c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : ".",
  ).join("");
  throw new ImageHeaderError(
    name,
    `it is not a TIFF, BigTIFF, NITF, PNG or JPEG file (it starts with '${start}')`,
  );
}

/**
 * Counts an image's pixels as upstream does with GDAL: `RasterXSize × RasterYSize` of the
 * first image (TIFF IFD 0, NITF image segment 1, PNG IHDR, JPEG SOFn), read from the header
 * with a few small ranged reads. Band count and bit depth do not matter.
 *
 * @throws {ImageHeaderError} when the header cannot be read; callers that follow upstream
 * count that as 0 pixels (and warn once).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { readPixelCount } from "./pixels.ts";
 * import { bytesRangeReader } from "./range_reader.ts";
 * import { buildTiff } from "./tiff_writer.ts";
 * const { bytes } = buildTiff({ width: 1024, height: 1024, pixel: () => 0 });
 * const pixels = await readPixelCount(bytesRangeReader(bytes), "small.tif");
 * assert.equal(pixels, 1_048_576);
 * ```
 */
export async function readPixelCount(
  read: RangeReader,
  name: string,
  size?: number,
): Promise<number> {
  const { width, height } = await readImageDimensions(read, name, size);
  return width * height;
}
