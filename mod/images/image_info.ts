/**
 * An image the run submits: where it is, its size from the listing, and its
 * pixel count from its header.
 *
 * @example
 * ```ts
 * import type { ImageInfo } from "./image_info.ts";
 * const image: ImageInfo = {
 *   url: "s3://images/small.tif", bucket: "images", key: "small.tif",
 *   name: "small.tif", size: 1048576, pixels: 1048576,
 * };
 * ```
 * @module
 */

/** One source image. */
export interface ImageInfo {
  /** `s3://bucket/key`. */
  url: string;
  bucket: string;
  key: string;
  /** Last path segment of the key (the Locust entry name uses it). */
  name: string;
  /** Object size in bytes, from the listing. */
  size: number;
  /**
   * Width × height from the header; null when the header could not be read (unknown, never 0:
   * a run's pixel totals count only known pixels and say how many are unknown).
   */
  pixels: number | null;
}
