import { deflateSync } from "node:zlib";
import { PNG_SIGNATURE } from "./png.ts";

/**
 * Encodes an 8-bit RGB PNG (no interlace, filter type 0 on every row, IDAT deflated with
 * `node:zlib`). Deterministic: the same pixels give the same bytes.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { readPngDimensions } from "./png.ts";
 * import { buildPng } from "./png_writer.ts";
 * import { bytesRangeReader } from "./range_reader.ts";
 * const png = buildPng(64, 32, (x, y) => [x * 4, y * 8, 128]);
 * assert.deepEqual(await readPngDimensions(bytesRangeReader(png), "a.png"), { format: "PNG", width: 64, height: 32 });
 * ```
 */
export function buildPng(
  width: number,
  height: number,
  pixel: (x: number, y: number) => readonly [number, number, number],
): Uint8Array {
  const raw = new Uint8Array(height * (1 + width * 3));
  let p = 0;
  for (let y = 0; y < height; y++) {
    raw[p++] = 0; // filter: none
    for (let x = 0; x < width; x++) {
      const [r, g, b] = pixel(x, y);
      raw[p++] = r & 255;
      raw[p++] = g & 255;
      raw[p++] = b & 255;
    }
  }
  const ihdr = new Uint8Array(13);
  const view = new DataView(ihdr.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  ihdr.set([8, 2, 0, 0, 0], 8); // bit depth 8, colour type RGB, deflate, filter 0, no interlace
  const idat = new Uint8Array(deflateSync(raw, { level: 9 }));
  const chunks = [
    chunk("IHDR", ihdr),
    chunk("IDAT", idat),
    chunk("IEND", new Uint8Array(0)),
  ];
  const out = new Uint8Array(PNG_SIGNATURE.length + chunks.reduce((n, c) => n + c.length, 0));
  out.set(PNG_SIGNATURE, 0);
  let at = PNG_SIGNATURE.length;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = (CRC_TABLE[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
