import { GeoTIFF } from "geotiff";
import type { ImageDimensions } from "./dimensions.ts";
import { ImageHeaderError } from "./image_header_error.ts";
import type { RangeReader } from "./range_reader.ts";

/** The `source` argument `GeoTIFF.fromSource` takes (geotiff's BaseSource, not exported). */
type GeoTiffSource = Parameters<typeof GeoTIFF.fromSource>[0];

/** A byte range as geotiff asks for it. */
interface Slice {
  offset: number;
  length: number;
}

/**
 * Adapts a {@linkcode RangeReader} to geotiff's source interface, so geotiff parses the
 * header with ranged reads only. geotiff 3 reads the 1 KiB file header, then each IFD it is
 * asked for (1 KiB, or 4 KiB for BigTIFF, more only when the IFD is bigger), and defers large
 * tag arrays such as TileOffsets until they are used, which they are not here.
 */
function sourceOver(read: RangeReader, size: number | undefined): GeoTiffSource {
  const fetchSlice = async (slice: Slice) => {
    const bytes = await read(slice.offset, slice.length);
    // geotiff wants an ArrayBuffer of its own per slice.
    const data = bytes.slice().buffer;
    return { offset: slice.offset, length: slice.length, data };
  };
  const source = {
    fetch: (slices: Slice[]) =>
      Promise.all(slices.map(async (slice) => (await fetchSlice(slice)).data)),
    fetchSlice,
    get fileSize() {
      return size ?? null;
    },
    close: () => Promise.resolve(),
  };
  return source as unknown as GeoTiffSource;
}

/**
 * Reads the width and height of the first image (IFD 0) of a TIFF or BigTIFF, little- or
 * big-endian, with the `geotiff` package over ranged reads. This is the size GDAL's GTiff
 * driver reports. Before trusting geotiff, it checks that the first IFD lies wholly inside
 * the file, because GDAL refuses a file whose first directory is cut short.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { readTiffDimensions } from "./tiff.ts";
 * import { bytesRangeReader } from "./range_reader.ts";
 * import { buildTiff } from "./tiff_writer.ts";
 * const { bytes } = buildTiff({ width: 300, height: 200, pixel: () => 0 });
 * const { width, height } = await readTiffDimensions(bytesRangeReader(bytes), "small.tif");
 * assert.deepEqual([width, height], [300, 200]);
 * ```
 */
export async function readTiffDimensions(
  read: RangeReader,
  name: string,
  size?: number | undefined,
): Promise<ImageDimensions> {
  await checkFirstIfd(read, name);
  let width: number;
  let height: number;
  try {
    const tiff = await GeoTIFF.fromSource(sourceOver(read, size));
    const image = await tiff.getImage(0);
    width = image.getWidth();
    height = image.getHeight();
  } catch (error) {
    if (error instanceof ImageHeaderError) throw error;
    throw new ImageHeaderError(
      name,
      `the TIFF header is unreadable (${error instanceof Error ? error.message : error})`,
      { cause: error },
    );
  }
  if (!(width > 0 && height > 0)) {
    throw new ImageHeaderError(
      name,
      `the first TIFF image has no ImageWidth/ImageLength (got ${width}x${height})`,
    );
  }
  return { format: "GTiff", width, height };
}

/** Throws unless the header and the whole first IFD (entries and next-IFD offset) exist. */
async function checkFirstIfd(read: RangeReader, name: string): Promise<void> {
  const header = await read(0, 16);
  if (header.length < 8) throw truncated(name, header.length, "TIFF file header");
  const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
  const order = view.getUint16(0);
  if (order !== 0x4949 && order !== 0x4d4d) {
    throw new ImageHeaderError(name, "the TIFF byte-order mark is neither II nor MM");
  }
  const le = order === 0x4949;
  const magic = view.getUint16(2, le);
  if (magic !== 42 && magic !== 43) {
    throw new ImageHeaderError(name, `the TIFF version is ${magic}, neither 42 nor 43 (BigTIFF)`);
  }
  const big = magic === 43;
  if (big && header.length < 16) throw truncated(name, header.length, "BigTIFF file header");
  const ifd = big ? Number(view.getBigUint64(8, le)) : view.getUint32(4, le);
  if (ifd < (big ? 16 : 8)) {
    throw new ImageHeaderError(name, `the first TIFF IFD offset ${ifd} points into the header`);
  }
  const countBytes = await read(ifd, big ? 8 : 2);
  if (countBytes.length < (big ? 8 : 2)) {
    throw truncated(name, ifd + countBytes.length, "first TIFF IFD (its entry count)");
  }
  const countView = new DataView(countBytes.buffer, countBytes.byteOffset, countBytes.byteLength);
  const count = big ? Number(countView.getBigUint64(0, le)) : countView.getUint16(0, le);
  if (count === 0) throw new ImageHeaderError(name, "the first TIFF IFD has no entries");
  const ifdLength = big ? 8 + count * 20 + 8 : 2 + count * 12 + 4;
  const tail = await read(ifd + ifdLength - 1, 1);
  if (tail.length < 1) {
    throw truncated(name, undefined, `first TIFF IFD (${count} entries at byte ${ifd})`);
  }
}

function truncated(name: string, at: number | undefined, what: string): ImageHeaderError {
  return new ImageHeaderError(
    name,
    `the file ends${
      at === undefined ? "" : ` at byte ${at}`
    } inside the ${what}; it looks truncated`,
  );
}
