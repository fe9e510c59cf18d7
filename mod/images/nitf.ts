import type { ImageDimensions } from "./dimensions.ts";
import { ImageHeaderError } from "./image_header_error.ts";
import { type RangeReader, readExactly } from "./range_reader.ts";

/*
 * Field offsets, as GDAL's NITF driver (frmts/nitf/nitffile.c, nitfimage.c) reads them:
 *
 * File header (NITF 2.1 / NSIF 1.0 per MIL-STD-2500C; NITF 2.0 per MIL-STD-2500A): FHDR+FVER
 * at 0 (9 bytes), then fixed fields to HL at 354 (6 digits), NUMI at 360 (3 digits), and one
 * LISH (6) + LI (10) pair per image segment from 363. Both versions put HL at 354: the 2.1
 * security block (FSCLAS..FSCTLN, 167 bytes) and the 2.0 one (FSCLAS..FSDWNG, 167 bytes) have
 * the same length. NITF 2.0 adds a 40-byte FSDEVT when FSDWNG (at 280) is "999998", and
 * NITF 1.x always has it; GDAL then reads HL at 394.
 *
 * Image subheader: "IM" at 0, then NROWS (8) at 333 and NCOLS (8) at 341, again in both
 * versions; 40 bytes later when ISDWNG (at 284) is "999998" (NITF 2.0 ISDEVT) or in NITF 1.x.
 * GDAL's dataset is the first image segment: RasterXSize = NCOLS, RasterYSize = NROWS.
 */

/** Bytes of file header read first; enough for HL, NUMI and the first segment's lengths. */
const FILE_HEADER_PREFIX = 512;
/** Bytes of image subheader read; enough for NROWS and NCOLS even with ISDEVT. */
const IMAGE_SUBHEADER_PREFIX = 400;

/**
 * Reads the first image segment's NCOLS × NROWS from a NITF 2.0, NITF 2.1 or NSIF 1.0 file:
 * the file header gives its length (HL) and the number of image segments, and the first image
 * subheader starts right after it. This is the size GDAL's NITF driver reports.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { readNitfDimensions } from "./nitf.ts";
 * import { buildNitf } from "./nitf_writer.ts";
 * import { bytesRangeReader } from "./range_reader.ts";
 * const { bytes } = buildNitf({ version: "02.10", title: "t", images: [{ width: 512, height: 256, id: "A", pixel: () => 0 }] });
 * const { width, height } = await readNitfDimensions(bytesRangeReader(bytes), "tile.ntf");
 * assert.deepEqual([width, height], [512, 256]);
 * ```
 */
export async function readNitfDimensions(
  read: RangeReader,
  name: string,
  size?: number | undefined,
): Promise<ImageDimensions> {
  const header = await read(0, FILE_HEADER_PREFIX);
  const need = (length: number) => {
    if (header.length < length) {
      throw new ImageHeaderError(
        name,
        `the file ends at byte ${header.length}, inside the NITF file header; it looks truncated`,
      );
    }
  };
  need(9);
  const text = (start: number, length: number) =>
    String.fromCharCode(...header.subarray(start, start + length));
  const fhdr = text(0, 9);
  if (!/^(NITF|NSIF)/.test(fhdr)) {
    throw new ImageHeaderError(name, `the file does not start with NITF or NSIF ('${fhdr}')`);
  }
  const legacy = fhdr.startsWith("NITF01.");
  need(286);
  const hlOffset = legacy || text(280, 6) === "999998" ? 394 : 354;
  need(hlOffset + 9);
  const hl = field(name, text(hlOffset, 6), "HL (file header length)");
  const numi = field(name, text(hlOffset + 6, 3), "NUMI (number of image segments)");
  if (size !== undefined && hl > size) {
    throw new ImageHeaderError(
      name,
      `the NITF header length HL=${hl} is past the end of the ${size}-byte file`,
    );
  }
  if (numi === 0) throw new ImageHeaderError(name, "the NITF file has no image segments");
  need(hlOffset + 15);
  const lish = field(name, text(hlOffset + 9, 6), "LISH (first image subheader length)");
  if (lish < 349) {
    throw new ImageHeaderError(name, `the first NITF image subheader is too short (LISH=${lish})`);
  }
  const sub = await readExactly(
    read,
    name,
    hl,
    Math.min(lish, IMAGE_SUBHEADER_PREFIX),
    "first NITF image subheader",
  );
  const subText = (start: number, length: number) =>
    String.fromCharCode(...sub.subarray(start, start + length));
  if (subText(0, 2) !== "IM") {
    throw new ImageHeaderError(
      name,
      `the first image subheader (at HL=${hl}) does not start with 'IM' ('${subText(0, 2)}')`,
    );
  }
  const at = legacy || subText(284, 6) === "999998" ? 373 : 333;
  if (sub.length < at + 16) {
    throw new ImageHeaderError(name, `the first NITF image subheader is too short (LISH=${lish})`);
  }
  const height = field(name, subText(at, 8), "NROWS");
  const width = field(name, subText(at + 8, 8), "NCOLS");
  if (width === 0 || height === 0) {
    throw new ImageHeaderError(name, `the first NITF image segment is empty (${width}x${height})`);
  }
  return { format: "NITF", width, height };
}

function field(name: string, value: string, what: string): number {
  const trimmed = value.trim();
  if (!/^\d+$/.test(trimmed)) {
    throw new ImageHeaderError(name, `the NITF field ${what} is not a number ('${value}')`);
  }
  return Number(trimmed);
}
