import type { BuiltFile } from "./tiff_writer.ts";

/** One image segment for {@linkcode buildNitf}: a single-band 8-bit uncompressed image. */
export interface NitfImageSpec {
  width: number;
  height: number;
  /** Block size (NPPBH = NPPBV); default: one block for the whole image (≤ 8192). */
  blockSize?: number | undefined;
  /** Image identifier IID1 (10 characters at most). */
  id: string;
  /** An optional tagged record extension (TRE) put in the image subheader's IXSHD. */
  tre?: { tag: string; data: string } | undefined;
  /**
   * The value of pixel (x, y); when absent the pixels are not stored (the segment is left for
   * a sparse zero region; only valid for the last segment).
   */
  pixel?: ((x: number, y: number) => number) | undefined;
}

/** What {@linkcode buildNitf} writes. */
export interface NitfSpec {
  /** `"02.10"` (MIL-STD-2500C) or `"02.00"` (MIL-STD-2500A). */
  version: "02.10" | "02.00";
  title: string;
  images: readonly NitfImageSpec[];
}

/**
 * Lays out an uncompressed NITF 2.1 or 2.0 file: the file header, then for each image segment
 * its subheader and its blocked pixel data (IMODE B, one band, 8 bits). NITF 2.1 segments are
 * georeferenced with decimal-degree IGEOLO; NITF 2.0 ones have none (ICORDS N).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { readNitfDimensions } from "./nitf.ts";
 * import { buildNitf } from "./nitf_writer.ts";
 * import { bytesRangeReader } from "./range_reader.ts";
 * const { bytes } = buildNitf({
 *   version: "02.10",
 *   title: "demo",
 *   images: [{ width: 256, height: 256, id: "DEMO", pixel: (x, y) => x ^ y }],
 * });
 * const dimensions = await readNitfDimensions(bytesRangeReader(bytes), "demo.ntf");
 * assert.deepEqual(dimensions, { format: "NITF", width: 256, height: 256 });
 * ```
 */
export function buildNitf(spec: NitfSpec): BuiltFile {
  const v21 = spec.version === "02.10";
  const segments = spec.images.map((image, index) => {
    const blockW = image.blockSize ?? image.width;
    const blockH = image.blockSize ?? image.height;
    const across = Math.ceil(image.width / blockW);
    const down = Math.ceil(image.height / blockH);
    const dataLength = across * down * blockW * blockH;
    const header = imageSubheader(image, v21, blockW, blockH, index + 1);
    return { image, blockW, blockH, across, down, dataLength, header };
  });
  const total = segments.reduce((sum, s) => sum + s.header.length + s.dataLength, 0);
  const maxSide = Math.max(...spec.images.map((i) => Math.max(i.width, i.height)));
  const clevel = maxSide <= 2048 && total < 50e6
    ? "03"
    : maxSide <= 8192 && total < 1e9
    ? "05"
    : "06";

  const tail = segments.map((s) => num(s.header.length, 6) + num(s.dataLength, 10)).join("") +
    "000" + "000" + "000" + "000" + "000" + "00000" + "00000"; // NUMS NUMX NUMT NUMDES NUMRES UDHDL XHDL
  const fixedLength = 363 + 16 * segments.length + 25;
  const fileLength = fixedLength + total;
  let header = "NITF" + spec.version + clevel + (v21 ? "BF01" : "    ") + pad("OSMLLOAD", 10) +
    (v21 ? "20260101000000" : "01000000ZJAN26") + pad(spec.title, 80);
  header += v21
    ? "U" + pad("", 2) + pad("", 11) + pad("", 2) + pad("", 20) + pad("", 2) + pad("", 8) +
      pad("", 4) + pad("", 1) + pad("", 8) + pad("", 43) + pad("", 1) + pad("", 40) + pad("", 1) +
      pad("", 8) + pad("", 15)
    : "U" + pad("", 40) + pad("", 40) + pad("", 40) + pad("", 20) + pad("", 20) + pad("", 6);
  header += "00000" + "00000" + "0";
  header += v21 ? "\u0000\u0000\u0000" + pad("osml-load", 24) : pad("osml-load", 27);
  header += pad("", 18) + num(fileLength, 12) + num(fixedLength, 6) + num(segments.length, 3) +
    tail;
  if (header.length !== fixedLength) {
    throw new Error(`NITF writer bug: file header is ${header.length} bytes, not ${fixedLength}`);
  }

  const anyMissing = spec.images.some((i) => !i.pixel);
  const lastPixels = spec.images[spec.images.length - 1]?.pixel;
  const storedLength = anyMissing && !lastPixels
    ? fileLength - (segments[segments.length - 1]?.dataLength ?? 0)
    : fileLength;
  const out = new Uint8Array(storedLength);
  let p = ascii(out, 0, header);
  for (const s of segments) {
    p = ascii(out, p, s.header);
    const pixel = s.image.pixel;
    if (!pixel) {
      p += s.dataLength;
      continue;
    }
    for (let by = 0; by < s.down; by++) {
      for (let bx = 0; bx < s.across; bx++) {
        for (let y = 0; y < s.blockH; y++) {
          for (let x = 0; x < s.blockW; x++) {
            const gx = bx * s.blockW + x;
            const gy = by * s.blockH + y;
            out[p++] = gx < s.image.width && gy < s.image.height ? pixel(gx, gy) & 255 : 0;
          }
        }
      }
    }
  }
  return { bytes: out, size: fileLength };
}

function imageSubheader(
  image: NitfImageSpec,
  v21: boolean,
  blockW: number,
  blockH: number,
  displayLevel: number,
): string {
  let h = "IM" + pad(image.id, 10) + (v21 ? "20260101000000" : "01000000ZJAN26") + pad("", 17) +
    pad(image.id, 80);
  h += v21
    ? "U" + pad("", 2) + pad("", 11) + pad("", 2) + pad("", 20) + pad("", 2) + pad("", 8) +
      pad("", 4) + pad("", 1) + pad("", 8) + pad("", 43) + pad("", 1) + pad("", 40) + pad("", 1) +
      pad("", 8) + pad("", 15)
    : "U" + pad("", 40) + pad("", 40) + pad("", 40) + pad("", 20) + pad("", 20) + pad("", 6);
  h += "0" + pad("osml-load sample", 42) + num(image.height, 8) + num(image.width, 8);
  h += "INT" + pad("MONO", 8) + pad("VIS", 8) + "08" + "R";
  if (v21) {
    // Decimal degrees, corners in the order UL, UR, LR, LL: 0.1° by 0.1° near (10°E, 45°N).
    h += "D" + "+45.000+010.000" + "+45.000+010.100" + "+44.900+010.100" + "+44.900+010.000";
  } else {
    h += "N";
  }
  h += "0" + "NC" + "1" + pad("M", 2) + pad("", 6) + "N" + pad("", 3) + "0";
  // ISYNC IMODE NBPR NBPC NPPBH NPPBV NBPP IDLVL IALVL ILOC IMAG UDIDL
  h += "0" + "B" + num(Math.ceil(image.width / blockW), 4) +
    num(Math.ceil(image.height / blockH), 4) + num(blockW, 4) + num(blockH, 4) + "08" +
    num(displayLevel, 3) + "000" + "0000000000" + "1.0 " + "00000";
  if (image.tre) {
    const tre = pad(image.tre.tag, 6) + num(image.tre.data.length, 5) + image.tre.data;
    h += num(tre.length + 3, 5) + "000" + tre;
  } else {
    h += "00000";
  }
  return h;
}

function pad(text: string, width: number): string {
  return text.slice(0, width).padEnd(width, " ");
}

function num(value: number, width: number): string {
  const text = String(value);
  if (text.length > width) throw new Error(`NITF writer: ${value} does not fit in ${width} digits`);
  return text.padStart(width, "0");
}

function ascii(out: Uint8Array, at: number, text: string): number {
  for (let i = 0; i < text.length; i++) out[at + i] = text.charCodeAt(i);
  return at + text.length;
}
