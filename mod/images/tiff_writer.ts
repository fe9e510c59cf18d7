/** TIFF field types used by the writer. */
export const TiffType = { ASCII: 2, SHORT: 3, LONG: 4, DOUBLE: 12, LONG8: 16 } as const;

/** One IFD entry: a tag, its field type and its values. */
export interface TiffEntry {
  /** The tag number, e.g. 256 for ImageWidth. */
  tag: number;
  /** A {@linkcode TiffType} value. */
  type: number;
  /** The values (for ASCII, the character codes including the final NUL). */
  values: readonly number[];
}

/** What {@linkcode buildTiff} needs to lay out a single-band 8-bit TIFF. */
export interface TiffLayout {
  width: number;
  height: number;
  /** Write BigTIFF (version 43, 8-byte offsets) instead of classic TIFF. */
  bigTiff?: boolean | undefined;
  /** Write big-endian ("MM") instead of little-endian ("II"). */
  bigEndian?: boolean | undefined;
  /** Tile size; when absent the image is stored in strips of `rowsPerStrip` rows. */
  tileSize?: number | undefined;
  /** Rows per strip for stripped images (default: 64). */
  rowsPerStrip?: number | undefined;
  /** Extra entries (e.g. GeoTIFF tags), merged with the structural ones. */
  extraEntries?: readonly TiffEntry[] | undefined;
  /**
   * The value of pixel (x, y). When absent, the pixel data is not stored: the returned header
   * describes blocks after it and the caller makes the file that long (sparse) itself.
   */
  pixel?: ((x: number, y: number) => number) | undefined;
}

/** A TIFF laid out by {@linkcode buildTiff}: the bytes to write and the full file size. */
export interface BuiltFile {
  /** The bytes from offset 0: the whole file, or only its header when `size` is larger. */
  bytes: Uint8Array;
  /** The full file size; larger than `bytes.length` when the rest is a sparse zero region. */
  size: number;
}

/**
 * Lays out a single-band 8-bit uncompressed TIFF or BigTIFF: header, first (only) IFD, the
 * out-of-line tag values, then the strips or tiles (a tile past the image edge is stored
 * whole, as TIFF requires).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { bytesRangeReader } from "./range_reader.ts";
 * import { readTiffDimensions } from "./tiff.ts";
 * import { buildTiff } from "./tiff_writer.ts";
 * const { bytes } = buildTiff({ width: 256, height: 256, pixel: (x, y) => (x ^ y) & 255 });
 * assert.deepEqual(await readTiffDimensions(bytesRangeReader(bytes), "a.tif"), { format: "GTiff", width: 256, height: 256 });
 * ```
 */
export function buildTiff(layout: TiffLayout): BuiltFile {
  const { width, height } = layout;
  const big = layout.bigTiff ?? false;
  const le = !(layout.bigEndian ?? false);
  const tiled = layout.tileSize !== undefined;
  const blockW = layout.tileSize ?? width;
  const blockH = layout.tileSize ?? Math.min(layout.rowsPerStrip ?? 64, height);
  const across = Math.ceil(width / blockW);
  const down = Math.ceil(height / blockH);
  const blockSizes: number[] = [];
  for (let row = 0; row < down; row++) {
    for (let col = 0; col < across; col++) {
      blockSizes.push(tiled ? blockW * blockH : blockW * Math.min(blockH, height - row * blockH));
    }
  }
  const offsetType = big ? TiffType.LONG8 : TiffType.LONG;
  const dimType = width > 65535 || height > 65535 ? TiffType.LONG : TiffType.SHORT;
  const structural: TiffEntry[] = [
    { tag: 256, type: dimType, values: [width] },
    { tag: 257, type: dimType, values: [height] },
    { tag: 258, type: TiffType.SHORT, values: [8] },
    { tag: 259, type: TiffType.SHORT, values: [1] },
    { tag: 262, type: TiffType.SHORT, values: [1] },
    { tag: 277, type: TiffType.SHORT, values: [1] },
    { tag: 284, type: TiffType.SHORT, values: [1] },
    { tag: 339, type: TiffType.SHORT, values: [1] },
  ];
  const zeros = blockSizes.map(() => 0); // placeholders, filled once the layout is known
  if (tiled) {
    structural.push(
      { tag: 322, type: TiffType.SHORT, values: [blockW] },
      { tag: 323, type: TiffType.SHORT, values: [blockH] },
      { tag: 324, type: offsetType, values: zeros },
      { tag: 325, type: TiffType.LONG, values: blockSizes },
    );
  } else {
    structural.push(
      { tag: 273, type: offsetType, values: zeros },
      { tag: 278, type: TiffType.LONG, values: [blockH] },
      { tag: 279, type: TiffType.LONG, values: blockSizes },
    );
  }
  const entries = [...structural, ...(layout.extraEntries ?? [])].sort((a, b) => a.tag - b.tag);

  const headerSize = big ? 16 : 8;
  const entrySize = big ? 20 : 12;
  const inline = big ? 8 : 4;
  const ifdSize = (big ? 8 : 2) + entries.length * entrySize + (big ? 8 : 4);
  let cursor = headerSize + ifdSize;
  const valueOffsets = entries.map((entry) => {
    const length = typeSize(entry.type) * entry.values.length;
    if (length <= inline) return -1;
    const at = cursor;
    cursor += length + (length % 2);
    return at;
  });
  const dataStart = cursor;
  const blockOffsets: number[] = [];
  for (const blockSize of blockSizes) {
    blockOffsets.push(cursor);
    cursor += blockSize;
  }
  const size = cursor;
  const offsetsTag = tiled ? 324 : 273;
  const finalEntries = entries.map((e) =>
    e.tag === offsetsTag ? { ...e, values: blockOffsets } : e
  );

  const headerBytes = layout.pixel ? size : dataStart;
  const out = new Uint8Array(headerBytes);
  const view = new DataView(out.buffer);
  view.setUint16(0, le ? 0x4949 : 0x4d4d);
  if (big) {
    view.setUint16(2, 43, le);
    view.setUint16(4, 8, le);
    view.setUint16(6, 0, le);
    view.setBigUint64(8, BigInt(headerSize), le);
  } else {
    view.setUint16(2, 42, le);
    view.setUint32(4, headerSize, le);
  }
  let p = headerSize;
  if (big) view.setBigUint64(p, BigInt(finalEntries.length), le);
  else view.setUint16(p, finalEntries.length, le);
  p += big ? 8 : 2;
  finalEntries.forEach((entry, i) => {
    view.setUint16(p, entry.tag, le);
    view.setUint16(p + 2, entry.type, le);
    if (big) view.setBigUint64(p + 4, BigInt(entry.values.length), le);
    else view.setUint32(p + 4, entry.values.length, le);
    const valueAt = p + (big ? 12 : 8);
    const outOfLine = valueOffsets[i] ?? -1;
    if (outOfLine < 0) {
      writeValues(view, valueAt, entry, le);
    } else {
      if (big) view.setBigUint64(valueAt, BigInt(outOfLine), le);
      else view.setUint32(valueAt, outOfLine, le);
      writeValues(view, outOfLine, entry, le);
    }
    p += entrySize;
  });
  // The next-IFD offset stays 0: there is one image.
  const pixel = layout.pixel;
  if (pixel) {
    let block = 0;
    for (let row = 0; row < down; row++) {
      for (let col = 0; col < across; col++) {
        const at = blockOffsets[block++] ?? 0;
        const rows = tiled ? blockH : Math.min(blockH, height - row * blockH);
        for (let y = 0; y < rows; y++) {
          for (let x = 0; x < blockW; x++) {
            const gx = col * blockW + x;
            const gy = row * blockH + y;
            out[at + y * blockW + x] = gx < width && gy < height ? pixel(gx, gy) & 255 : 0;
          }
        }
      }
    }
  }
  return { bytes: out, size };
}

/**
 * GeoTIFF tags for a north-up EPSG:4326 (WGS 84) raster: ModelPixelScale, ModelTiepoint
 * (pixel 0,0 at `west`, `north`) and a GeoKeyDirectory with GTModelType = geographic,
 * GTRasterType = PixelIsArea and GeographicType = 4326.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { buildTiff, geoTiffEntries } from "./tiff_writer.ts";
 * const extraEntries = geoTiffEntries({ west: 10, north: 45, degreesPerPixel: 0.0001 });
 * // ModelPixelScale, ModelTiepoint, GeoKeyDirectory
 * assert.deepEqual(extraEntries.map((e) => e.tag), [33550, 33922, 34735]);
 * buildTiff({ width: 256, height: 256, extraEntries, pixel: () => 0 });
 * ```
 */
export function geoTiffEntries(
  place: { west: number; north: number; degreesPerPixel: number },
): TiffEntry[] {
  return [
    {
      tag: 33550,
      type: TiffType.DOUBLE,
      values: [place.degreesPerPixel, place.degreesPerPixel, 0],
    },
    { tag: 33922, type: TiffType.DOUBLE, values: [0, 0, 0, place.west, place.north, 0] },
    {
      tag: 34735,
      type: TiffType.SHORT,
      values: [1, 1, 0, 3, 1024, 0, 1, 2, 1025, 0, 1, 1, 2048, 0, 1, 4326],
    },
  ];
}

function typeSize(type: number): number {
  switch (type) {
    case TiffType.ASCII:
      return 1;
    case TiffType.SHORT:
      return 2;
    case TiffType.LONG:
      return 4;
    default:
      return 8;
  }
}

function writeValues(view: DataView, at: number, entry: TiffEntry, le: boolean): void {
  const size = typeSize(entry.type);
  entry.values.forEach((value, i) => {
    const p = at + i * size;
    switch (entry.type) {
      case TiffType.ASCII:
        view.setUint8(p, value);
        break;
      case TiffType.SHORT:
        view.setUint16(p, value, le);
        break;
      case TiffType.LONG:
        view.setUint32(p, value, le);
        break;
      case TiffType.DOUBLE:
        view.setFloat64(p, value, le);
        break;
      default:
        view.setBigUint64(p, BigInt(value), le);
    }
  });
}
