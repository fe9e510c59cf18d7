import { dirname, join } from "node:path";
import { buildGreyJpeg } from "./jpeg_writer.ts";
import { buildNitf } from "./nitf_writer.ts";
import { buildPng } from "./png_writer.ts";
import { buildTiff, type BuiltFile, geoTiffEntries } from "./tiff_writer.ts";

/**
 * One sample image the project generates (see {@linkcode SAMPLE_IMAGES}).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { SAMPLE_IMAGES, type SampleImage } from "./samples.ts";
 * const small: SampleImage | undefined = SAMPLE_IMAGES.find((s) => s.key === "small.tif");
 * assert.equal(small?.pixels, 1024 * 1024);
 * ```
 */
export interface SampleImage {
  /** The object key / relative path, e.g. `small.tif` or `nested/deep/small-copy.tif`. */
  key: string;
  /** GDAL's driver name (`GTiff`, `NITF`, `PNG`, `JPEG`), or `text` for the non-image. */
  format: string;
  /** Width in pixels as GDAL reports it (0 when GDAL cannot open the file). */
  width: number;
  /** Height in pixels as GDAL reports it (0 when GDAL cannot open the file). */
  height: number;
  /** GDAL's RasterXSize × RasterYSize; 0 for the non-image and the truncated file. */
  pixels: number;
  /** The file size in bytes (what an S3 listing reports). */
  bytes: number;
  /** What the sample is for. */
  description: string;
}

/** A deterministic grey pattern: diagonal bands plus a checkerboard, so images are not flat. */
const pattern = (x: number, y: number) => ((x + y) >> 1) ^ ((x >> 5 ^ y >> 5) & 1 ? 0x40 : 0);

const geo = geoTiffEntries({ west: 10, north: 45, degreesPerPixel: 0.0001 });

/** How each sample's bytes are made; keyed like SAMPLE_IMAGES. */
const MAKERS: Record<string, () => BuiltFile> = {
  "small.tif": () =>
    buildTiff({ width: 1024, height: 1024, rowsPerStrip: 16, extraEntries: geo, pixel: pattern }),
  "tile.tif": () =>
    buildTiff({ width: 512, height: 512, tileSize: 256, extraEntries: geo, pixel: pattern }),
  "bigtiff.tif": () =>
    buildTiff({
      width: 768,
      height: 512,
      bigTiff: true,
      bigEndian: true,
      tileSize: 256,
      extraEntries: geo,
      pixel: pattern,
    }),
  "large.tif": () => buildTiff({ width: 24576, height: 20480, tileSize: 512, extraEntries: geo }),
  "tile.ntf": () =>
    buildNitf({
      version: "02.10",
      title: "osml-load sample: one image segment",
      images: [{ width: 512, height: 512, id: "TILE", pixel: pattern }],
    }),
  "meta.ntf": () =>
    buildNitf({
      version: "02.10",
      title: "osml-load sample: two image segments and a TRE",
      images: [
        {
          width: 640,
          height: 480,
          id: "FIRST",
          tre: { tag: "OSMLTA", data: "osml-load sample metadata" },
          pixel: pattern,
        },
        { width: 256, height: 256, id: "SECOND", pixel: (x, y) => x ^ y },
      ],
    }),
  "wbid.ntf": () =>
    buildNitf({
      version: "02.00",
      title: "osml-load sample: NITF 2.0",
      images: [{ width: 384, height: 256, id: "WBID", pixel: pattern }],
    }),
  "large.ntf": () =>
    buildNitf({
      version: "02.10",
      title: "osml-load sample: large, header only",
      images: [{ width: 25000, height: 25000, blockSize: 1024, id: "LARGE" }],
    }),
  "tile.png": () => {
    const bytes = buildPng(640, 360, (x, y) => [(x >> 4) * 6, (y >> 4) * 11, 128]);
    return { bytes, size: bytes.length };
  },
  "tile.jpeg": () => {
    const bytes = buildGreyJpeg(512, 384, false);
    return { bytes, size: bytes.length };
  },
  "progressive.jpg": () => {
    const bytes = buildGreyJpeg(600, 400, true);
    return { bytes, size: bytes.length };
  },
  "notes.txt": () => {
    const bytes = new TextEncoder().encode(
      "osml-load sample bucket: this text file is not an image and must be skipped.\n",
    );
    return { bytes, size: bytes.length };
  },
  "truncated.tif": () => {
    // A valid 256x256 TIFF cut in the middle of its first IFD (after 5 of its entries).
    const whole = buildTiff({ width: 256, height: 256, extraEntries: geo, pixel: pattern });
    const bytes = whole.bytes.slice(0, 8 + 2 + 5 * 12 + 6);
    return { bytes, size: bytes.length };
  },
  "nested/deep/small-copy.tif": () =>
    buildTiff({ width: 256, height: 256, extraEntries: geo, pixel: pattern }),
};

/**
 * The sample images, in S3 listing order (by key). Every size and pixel count was checked with
 * `gdalinfo` (GDAL 3.6.2, Debian 12 `gdal-bin`): `pixels` is `Size is X, Y` multiplied out,
 * and 0 where gdalinfo cannot open the file. `bytes` is the exact generated file size.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { SAMPLE_IMAGES } from "./samples.ts";
 * assert.equal(SAMPLE_IMAGES.length, 14);
 * assert.equal(SAMPLE_IMAGES.find((s) => s.key === "notes.txt")?.pixels, 0); // not an image
 * ```
 */
export const SAMPLE_IMAGES: readonly SampleImage[] = Object.freeze([
  sample("bigtiff.tif", "GTiff", 768, 512, 393_724, "BigTIFF, big-endian, tiled 256, GeoTIFF tags"),
  sample(
    "large.ntf",
    "NITF",
    25000,
    25000,
    655_360_903,
    "NITF 2.1, 25000x25000 in 1024 blocks, sparse",
  ),
  sample("large.tif", "GTiff", 24576, 20480, 503_332_138, "GeoTIFF tiled 512, header only, sparse"),
  sample(
    "meta.ntf",
    "NITF",
    640,
    480,
    374_193,
    "NITF 2.1, two image segments (640x480, 256x256), TRE",
  ),
  sample("nested/deep/small-copy.tif", "GTiff", 256, 256, 65_854, "GeoTIFF stripped, nested key"),
  sample("notes.txt", "text", 0, 0, 77, "not an image"),
  sample("progressive.jpg", "JPEG", 600, 400, 1_102, "progressive JPEG (SOF2), grey"),
  sample("small.tif", "GTiff", 1024, 1024, 1_049_374, "GeoTIFF stripped, 8-bit, EPSG:4326"),
  sample("tile.jpeg", "JPEG", 512, 384, 922, "baseline JPEG (SOF0), grey"),
  sample("tile.ntf", "NITF", 512, 512, 263_047, "NITF 2.1, one image segment"),
  sample("tile.png", "PNG", 640, 360, 5_216, "PNG, 8-bit RGB"),
  sample("tile.tif", "GTiff", 512, 512, 262_474, "GeoTIFF tiled 256, 8-bit, EPSG:4326"),
  sample("truncated.tif", "GTiff", 0, 0, 76, "TIFF cut in the middle of its first IFD"),
  sample("wbid.ntf", "NITF", 384, 256, 99_147, "NITF 2.0, one image segment"),
]);

function sample(
  key: string,
  format: string,
  width: number,
  height: number,
  bytes: number,
  description: string,
): SampleImage {
  return { key, format, width, height, pixels: width * height, bytes, description };
}

/**
 * Writes every sample to `dir/<key>` (creating folders), deterministically. Large samples are
 * written as a real header followed by a sparse region (`Deno.truncate` to the full size), so
 * their listed size is realistic and they take almost no disk space.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { SAMPLE_IMAGES, writeSampleImages } from "./samples.ts";
 * const dir = await Deno.makeTempDir();
 * await writeSampleImages(dir);
 * for (const sample of SAMPLE_IMAGES) assert.equal((await Deno.stat(`${dir}/${sample.key}`)).size, sample.bytes);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeSampleImages(dir: string): Promise<void> {
  for (const image of SAMPLE_IMAGES) {
    const make = MAKERS[image.key];
    if (!make) throw new Error(`no generator for sample ${image.key} (a bug in samples.ts)`);
    const { bytes, size } = make();
    const path = join(dir, image.key);
    await Deno.mkdir(dirname(path), { recursive: true });
    await Deno.writeFile(path, bytes);
    if (size > bytes.length) await Deno.truncate(path, size);
  }
}
