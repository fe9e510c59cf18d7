/**
 * Writes the project's sample images to a folder, for uploading to a real bucket:
 *
 * ```sh
 * deno run --allow-write=samples scripts/make_samples.ts samples
 * aws s3 sync samples s3://my-load-test-images/
 * ```
 *
 * The large samples are sparse files (a real header, then a hole), so they take almost no disk
 * space; an upload sends their full listed size.
 *
 * @module
 */
import { SAMPLE_IMAGES, writeSampleImages } from "../mod/images/samples.ts";

if (import.meta.main) {
  const dir = Deno.args[0];
  if (!dir || Deno.args.length > 1 || dir.startsWith("-")) {
    console.error(
      "usage: deno run --allow-write=DIR scripts/make_samples.ts DIR\n" +
        "  writes the sample images into DIR (created if missing); pass exactly one folder",
    );
    Deno.exit(2);
  }
  await writeSampleImages(dir);
  const rows = SAMPLE_IMAGES.map((s) =>
    `${s.key.padEnd(28)} ${s.format.padEnd(6)} ${`${s.width}x${s.height}`.padStart(12)} ` +
    `${String(s.pixels).padStart(11)} px ${String(s.bytes).padStart(11)} B  ${s.description}`
  );
  console.log(`wrote ${SAMPLE_IMAGES.length} samples to ${dir}:\n${rows.join("\n")}`);
}
