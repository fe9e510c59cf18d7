/**
 * The size of an image's first raster as GDAL reports it (`RasterXSize`, `RasterYSize`).
 *
 * @example
 * ```ts
 * import type { ImageDimensions } from "./dimensions.ts";
 * const d: ImageDimensions = { format: "PNG", width: 640, height: 360 };
 * if (d.width * d.height !== 230_400) throw new Error("640 × 360 pixels");
 * ```
 */
export interface ImageDimensions {
  /** The format, named as GDAL's driver is: `GTiff`, `NITF`, `PNG` or `JPEG`. */
  format: string;
  /** Width in pixels (GDAL's `RasterXSize`). */
  width: number;
  /** Height in pixels (GDAL's `RasterYSize`). */
  height: number;
}
