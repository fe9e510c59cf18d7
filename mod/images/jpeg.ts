import type { ImageDimensions } from "./dimensions.ts";
import { ImageHeaderError } from "./image_header_error.ts";
import { type RangeReader, readExactly } from "./range_reader.ts";

/** Markers C0..CF that are not frame headers: DHT, JPG (reserved) and DAC. */
const NOT_SOF = new Set([0xc4, 0xc8, 0xcc]);

/** The most markers walked before giving up (a real header has a few dozen at most). */
const MAX_MARKERS = 1000;

/**
 * Reads a JPEG's width and height from its first SOFn frame header (SOF0..SOF15 except DHT,
 * JPG and DAC), walking the marker segments from SOI. Baseline, extended, progressive and
 * lossless frames all work. Only the segment headers are read.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { readJpegDimensions } from "./jpeg.ts";
 * import { buildGreyJpeg } from "./jpeg_writer.ts";
 * import { bytesRangeReader } from "./range_reader.ts";
 * const jpeg = buildGreyJpeg(320, 240, true);
 * const { width, height } = await readJpegDimensions(bytesRangeReader(jpeg), "tile.jpeg");
 * assert.deepEqual([width, height], [320, 240]);
 * ```
 */
export async function readJpegDimensions(
  read: RangeReader,
  name: string,
): Promise<ImageDimensions> {
  const soi = await readExactly(read, name, 0, 2, "JPEG start-of-image marker");
  if (soi[0] !== 0xff || soi[1] !== 0xd8) {
    throw new ImageHeaderError(name, "the file does not start with a JPEG SOI marker (FF D8)");
  }
  let offset = 2;
  for (let count = 0; count < MAX_MARKERS; count++) {
    // A marker is FF followed by a code; extra FF bytes are fill and are skipped.
    let marker = await readExactly(read, name, offset, 2, "JPEG marker");
    if (marker[0] !== 0xff) {
      throw new ImageHeaderError(
        name,
        `expected a JPEG marker at byte ${offset} but found 0x${hex(marker[0] ?? 0)}`,
      );
    }
    while (marker[1] === 0xff) {
      offset += 1;
      marker = await readExactly(read, name, offset, 2, "JPEG marker");
    }
    const code = marker[1] ?? 0;
    offset += 2;
    if (code === 0x01 || (code >= 0xd0 && code <= 0xd7)) continue; // no length field
    if (code === 0xd9 || code === 0xda) {
      throw new ImageHeaderError(
        name,
        `reached ${code === 0xd9 ? "EOI" : "the first scan (SOS)"} at byte ${offset - 2} ` +
          "without a frame header (SOFn)",
      );
    }
    const isSof = code >= 0xc0 && code <= 0xcf && !NOT_SOF.has(code);
    const segment = await readExactly(
      read,
      name,
      offset,
      isSof ? 7 : 2,
      `JPEG segment FF${hex(code)}`,
    );
    const length = ((segment[0] ?? 0) << 8) | (segment[1] ?? 0);
    if (length < 2) {
      throw new ImageHeaderError(name, `JPEG segment FF${hex(code)} has a bad length ${length}`);
    }
    if (isSof) {
      const height = ((segment[3] ?? 0) << 8) | (segment[4] ?? 0);
      const width = ((segment[5] ?? 0) << 8) | (segment[6] ?? 0);
      if (width === 0 || height === 0) {
        throw new ImageHeaderError(
          name,
          `the JPEG frame header gives an empty size ${width}x${height}`,
        );
      }
      return { format: "JPEG", width, height };
    }
    offset += length;
  }
  throw new ImageHeaderError(
    name,
    `no JPEG frame header (SOFn) in the first ${MAX_MARKERS} markers`,
  );
}

function hex(byte: number): string {
  return byte.toString(16).toUpperCase().padStart(2, "0");
}
