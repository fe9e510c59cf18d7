/**
 * The run's image catalog: every image under an S3 location (all pages, the
 * seven supported extensions, case-insensitive), each with its pixel count read
 * from its header with ranged GETs. Built once per run and shared by every
 * user (upstream listed one page per user and read headers inside the timed
 * submission: docs/compatibility.md#fix-image-listing and docs/compatibility.md#fix-submit-timing).
 *
 * Unknown is not zero: an image whose header cannot be read has `pixels: null`
 * (upstream counted it as 0 pixels); the unreadable images are reported once,
 * grouped by cause; a catalog in which no image can be read is a UsageError.
 *
 * Ranged header reads never validate a checksum: a 206 body can never match a
 * whole-object checksum, and S3-compatible servers that send the object's
 * `Content-MD5` with a ranged answer made the SDK (which validates
 * `content-md5` like the flexible checksums when `ChecksumMode` is ENABLED,
 * the default `WHEN_SUPPORTED` behaviour) fail every header read with
 * "Checksum mismatch". See {@linkcode s3RangeReader}.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { S3Client } from "@aws-sdk/client-s3";
 * import { simClientConfig } from "../sim/aws/client_config.ts";
 * import { startSimulator } from "../sim/simulator.ts";
 * import { buildImageCatalog } from "./image_catalog.ts";
 * const sim = await startSimulator({ port: 0, modelRunner: false }); // seeds sample images
 * const s3 = new S3Client({ ...simClientConfig(sim), forcePathStyle: true });
 * const warnings: string[] = [];
 * const images = await buildImageCatalog(s3, { bucket: sim.seeded!.imageBucket, prefix: "" }, {
 *   warn: (message) => warnings.push(message),
 * });
 * assert.equal(images.find((i) => i.name === "tile.png")?.pixels, 230_400);
 * // The seeded truncated TIFF cannot be read: its pixels are unknown, and said once.
 * assert.equal(images.find((i) => i.name === "truncated.tif")?.pixels, null);
 * assert.match(warnings[0]!, /^could not read the header of 1 of \d+ image\(s\)/);
 * s3.destroy();
 * await sim.close();
 * ```
 * @module
 */
import { GetObjectCommand, paginateListObjectsV2, type S3Client } from "@aws-sdk/client-s3";
import { isImageKey } from "./extensions.ts";
import { readPixelCount } from "./pixels.ts";
import {
  describeUnreadable,
  groupUnreadable,
  type UnreadableGroup,
  type UnreadableImage,
} from "./unreadable_images.ts";
import { formatS3Url, type S3Location } from "../aws/s3_location.ts";
import type { ImageInfo } from "./image_info.ts";
import { awsHttpStatus } from "../aws/aws_errors.ts";
import { UsageError } from "../usage_error.ts";

/** Options of {@linkcode buildImageCatalog}. */
export interface CatalogOptions {
  /**
   * Called with the start-up lines about unreadable images: one saying how many, then one per
   * cause (nothing when every header was read).
   */
  warn: (message: string) => void;
  /** Called once per unreadable image with its full error (for a debug log). */
  onUnreadable?: (url: string, message: string) => void;
  /** Keep a key? Default: the seven image extensions. */
  filter?: (key: string) => boolean;
  /** Header reads in flight at once (default 16). */
  concurrency?: number;
  /** Progress callback: (done, total) after each header read. */
  onProgress?: (done: number, total: number) => void;
}

/** List every image object under `location` (all pages), in listing order. */
export async function listImages(
  s3: S3Client,
  location: S3Location,
  filter: (key: string) => boolean = isImageKey,
): Promise<Omit<ImageInfo, "pixels">[]> {
  const images: Omit<ImageInfo, "pixels">[] = [];
  const input = {
    Bucket: location.bucket,
    ...(location.prefix ? { Prefix: location.prefix } : {}),
  };
  for await (const page of paginateListObjectsV2({ client: s3 }, input)) {
    for (const object of page.Contents ?? []) {
      const key = object.Key;
      if (!key || !filter(key)) continue;
      images.push({
        url: `s3://${location.bucket}/${key}`,
        bucket: location.bucket,
        key,
        name: key.slice(key.lastIndexOf("/") + 1),
        size: object.Size ?? 0,
      });
    }
  }
  return images;
}

/**
 * A ranged reader over one S3 object: GetObject with `Range: bytes=a-b`.
 * Reads past the end return the bytes that exist (or none).
 *
 * The GetObject is sent without `ChecksumMode` whatever the client's
 * `responseChecksumValidation` says: the SDK would otherwise validate a
 * `content-md5` or `x-amz-checksum-*` header of the WHOLE object against the
 * ranged body, and fail.
 */
export function s3RangeReader(s3: S3Client, bucket: string, key: string) {
  return async (offset: number, length: number): Promise<Uint8Array> => {
    if (length <= 0) return new Uint8Array(0);
    try {
      const command = new GetObjectCommand({
        Bucket: bucket,
        Key: key,
        Range: `bytes=${offset}-${offset + length - 1}`,
      });
      command.middlewareStack.addRelativeTo(withoutChecksumMode, {
        relation: "after",
        toMiddleware: "flexibleChecksumsInputMiddleware",
        name: "osmlLoadRangedReadWithoutChecksumMode",
        override: true,
      });
      const response = await s3.send(command);
      return response.Body ? await response.Body.transformToByteArray() : new Uint8Array(0);
    } catch (error) {
      if (awsHttpStatus(error) === 416) return new Uint8Array(0);
      throw error;
    }
  };
}

/** Drops `ChecksumMode` after the SDK's flexible-checksums input middleware set it. */
// deno-lint-ignore no-explicit-any
const withoutChecksumMode = (next: any) => (args: any) => {
  if (args?.input && "ChecksumMode" in args.input) delete args.input.ChecksumMode;
  return next(args);
};

/** The images with their pixel counts, and the unreadable ones grouped by cause. */
export interface PixelReport {
  images: ImageInfo[];
  /** Unreadable images by cause, the most common first; empty when every header was read. */
  unreadable: UnreadableGroup[];
}

/**
 * Read the pixel count of each listed image; an unreadable header gives `pixels: null`. The
 * unreadable images are reported through `options.warn` once, grouped by cause.
 */
export async function readPixelReport(
  s3: S3Client,
  listed: Omit<ImageInfo, "pixels">[],
  options: CatalogOptions,
): Promise<PixelReport> {
  const result: ImageInfo[] = listed.map((image) => ({ ...image, pixels: null }));
  const failures: UnreadableImage[] = [];
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < result.length) {
      const image = result[next++]!;
      try {
        image.pixels = await readPixelCount(
          s3RangeReader(s3, image.bucket, image.key),
          image.url,
          image.size,
        );
      } catch (error) {
        failures.push({ url: image.url, error });
        options.onUnreadable?.(image.url, error instanceof Error ? error.message : String(error));
      }
      options.onProgress?.(++done, result.length);
    }
  };
  const lanes = Math.max(1, Math.min(options.concurrency ?? 16, result.length));
  await Promise.all(Array.from({ length: lanes }, worker));
  // Report in listing order, whatever order the lanes finished in.
  const order = new Map(result.map((image, i) => [image.url, i]));
  failures.sort((a, b) => order.get(a.url)! - order.get(b.url)!);
  const unreadable = groupUnreadable(failures);
  for (const line of describeUnreadable(unreadable, result.length)) options.warn(line);
  return { images: result, unreadable };
}

/** Read the pixel count of each listed image (null when unreadable; see {@linkcode readPixelReport}). */
export async function readPixels(
  s3: S3Client,
  listed: Omit<ImageInfo, "pixels">[],
  options: CatalogOptions,
): Promise<ImageInfo[]> {
  return (await readPixelReport(s3, listed, options)).images;
}

/**
 * Throw a {@linkcode UsageError} when there are images and not one of them could be read:
 * every pixel total of the run would be unknown, so the run stops before sending. `where`
 * names the images (e.g. `s3://bucket/prefix`), `flag` the option that chose them.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { UsageError } from "../usage_error.ts";
 * import { requireReadableImages } from "./image_catalog.ts";
 * requireReadableImages({ images: [], unreadable: [] }, "s3://b", "--source-bucket"); // no images: no error here
 * const unreadable = { url: "s3://b/a.tif", bucket: "b", key: "a.tif", name: "a.tif", size: 9, pixels: null };
 * assert.throws(
 *   () => requireReadableImages({ images: [unreadable], unreadable: [] }, "s3://b", "--source-bucket"),
 *   UsageError,
 * );
 * ```
 */
export function requireReadableImages(report: PixelReport, where: string, flag: string): void {
  const { images, unreadable } = report;
  if (images.length === 0 || images.some((image) => image.pixels !== null)) return;
  const causes = unreadable.map((g) => `${g.cause} (${g.count} image(s), e.g. ${g.examples[0]})`)
    .join("; ");
  throw new UsageError(
    `none of the ${images.length} image(s) in ${where} could be read, so no pixel count would be ` +
      `known: ${causes}. First error: ${unreadable[0]?.firstMessage ?? "unknown"}. ` +
      `Check the objects and your access to them, or point ${flag} at readable TIFF, NITF, PNG ` +
      "or JPEG images",
  );
}

/**
 * List the images under `location` and read their pixel counts; throws a UsageError when
 * images were found but none could be read.
 */
export async function buildImageCatalog(
  s3: S3Client,
  location: S3Location,
  options: CatalogOptions,
): Promise<ImageInfo[]> {
  const report = await readPixelReport(
    s3,
    await listImages(s3, location, options.filter),
    options,
  );
  requireReadableImages(report, formatS3Url(location), "--source-bucket");
  return report.images;
}
