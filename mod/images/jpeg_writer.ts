/**
 * Builds a minimal valid JFIF JPEG of one grey level (mid-grey, 128): 8-bit, one component,
 * a flat quantisation table and one-symbol Huffman tables, so every 8×8 block codes as "DC
 * difference 0, end of block". `progressive` writes an SOF2 frame with a DC scan and an AC
 * scan (Ss 1..63) instead of a baseline SOF0 frame with one scan. Decoders (libjpeg, GDAL)
 * read it as a uniform image of the given size.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { readJpegDimensions } from "./jpeg.ts";
 * import { buildGreyJpeg } from "./jpeg_writer.ts";
 * import { bytesRangeReader } from "./range_reader.ts";
 * const jpeg = buildGreyJpeg(320, 240, false);
 * assert.deepEqual(await readJpegDimensions(bytesRangeReader(jpeg), "a.jpg"), { format: "JPEG", width: 320, height: 240 });
 * ```
 */
export function buildGreyJpeg(width: number, height: number, progressive: boolean): Uint8Array {
  const blocks = Math.ceil(width / 8) * Math.ceil(height / 8);
  const parts: number[] = [0xff, 0xd8];
  const segment = (marker: number, body: readonly number[]) => {
    const length = body.length + 2;
    parts.push(0xff, marker, length >> 8, length & 255, ...body);
  };
  // APP0 JFIF 1.01, no density units, 1:1 aspect, no thumbnail.
  segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]);
  // DQT: table 0, 8-bit, all ones.
  segment(0xdb, [0, ...new Array<number>(64).fill(1)]);
  // SOF0 / SOF2: precision 8, height, width, 1 component (id 1, sampling 1x1, table 0).
  segment(progressive ? 0xc2 : 0xc0, [
    8,
    height >> 8,
    height & 255,
    width >> 8,
    width & 255,
    1,
    1,
    0x11,
    0,
  ]);
  // DHT: DC table 0 and AC table 0, each with one 1-bit code for symbol 0.
  const oneCode = [1, ...new Array<number>(15).fill(0), 0];
  segment(0xc4, [0x00, ...oneCode, 0x10, ...oneCode]);
  // Each block is a run of 0 bits: "0" (DC diff category 0) then, in a baseline scan or the
  // progressive AC scan, "0" (EOB / EOB run of one block).
  const scanData = (bitsPerBlock: number) => {
    const bits = blocks * bitsPerBlock;
    const bytes = new Array<number>(Math.ceil(bits / 8)).fill(0);
    const spare = bytes.length * 8 - bits;
    if (spare > 0) bytes[bytes.length - 1] = (1 << spare) - 1; // pad with 1 bits
    return bytes;
  };
  if (progressive) {
    segment(0xda, [1, 1, 0x00, 0, 0, 0x00]); // DC first scan: Ss 0, Se 0, Ah 0, Al 0
    parts.push(...scanData(1));
    segment(0xda, [1, 1, 0x00, 1, 63, 0x00]); // AC first scan: Ss 1, Se 63
    parts.push(...scanData(1));
  } else {
    segment(0xda, [1, 1, 0x00, 0, 63, 0x00]);
    parts.push(...scanData(2));
  }
  parts.push(0xff, 0xd9);
  return new Uint8Array(parts);
}
