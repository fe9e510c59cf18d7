/**
 * Benchmarks {@linkcode readPixelCount} over the sample images from local files: how many
 * headers per second each format parses, and how many bytes each needs.
 *
 * ```sh
 * deno run --allow-read --allow-write --allow-env scripts/bench_headers.ts [rounds]
 * ```
 *
 * @module
 */
import { readPixelCount } from "../mod/images/pixels.ts";
import { bytesRangeReader, fileRangeReader, type RangeReader } from "../mod/images/range_reader.ts";
import { SAMPLE_IMAGES, writeSampleImages } from "../mod/images/samples.ts";

if (import.meta.main) {
  const rounds = Number(Deno.args[0] ?? 200);
  const dir = await Deno.makeTempDir({ prefix: "osml-load-bench-" });
  try {
    await writeSampleImages(dir);
    console.log(`readPixelCount, ${rounds} rounds per sample (memory: header bytes cached)`);
    for (const sample of SAMPLE_IMAGES.filter((s) => s.pixels > 0)) {
      // Read the first 1 MiB once, so the benchmark measures parsing, not the disk.
      const head = await fileRangeReader(`${dir}/${sample.key}`)(0, 1024 * 1024);
      const memory = bytesRangeReader(head);
      let asked = 0;
      let calls = 0;
      const read: RangeReader = (offset, length) => {
        asked += length;
        calls += 1;
        return memory(offset, length);
      };
      const start = performance.now();
      for (let i = 0; i < rounds; i++) await readPixelCount(read, sample.key, sample.bytes);
      const ms = performance.now() - start;
      console.log(
        `${sample.key.padEnd(28)} ${(rounds / ms * 1000).toFixed(0).padStart(7)} headers/s  ` +
          `${(asked / rounds / 1024).toFixed(1)} KiB in ${(calls / rounds).toFixed(1)} reads`,
      );
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
