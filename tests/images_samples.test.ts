import assert from "node:assert/strict";
import { join } from "node:path";
import { isImageKey } from "../mod/images/extensions.ts";
import { fileRangeReader } from "../mod/images/range_reader.ts";
import { SAMPLE_IMAGES, writeSampleImages } from "../mod/images/samples.ts";

async function withSamples(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "osml-load-samples-" });
  try {
    await writeSampleImages(dir);
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function sha256(path: string, length?: number): Promise<string> {
  const bytes = length === undefined
    ? await Deno.readFile(path)
    : await fileRangeReader(path)(0, length);
  const digest = await crypto.subtle.digest("SHA-256", new Uint8Array(bytes));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

Deno.test("writeSampleImages writes every sample with exactly the size SAMPLE_IMAGES lists", async () => {
  await withSamples(async (dir) => {
    for (const sample of SAMPLE_IMAGES) {
      const info = await Deno.stat(join(dir, sample.key));
      assert.equal(info.size, sample.bytes, `${sample.key} size`);
    }
  });
});

Deno.test("writeSampleImages is deterministic: two runs give identical files", async () => {
  await withSamples(async (first) => {
    await withSamples(async (second) => {
      for (const sample of SAMPLE_IMAGES) {
        // Large sparse samples: compare their real (header) part only.
        const limit = sample.bytes > 8 * 1024 * 1024 ? 1024 * 1024 : undefined;
        assert.equal(
          await sha256(join(first, sample.key), limit),
          await sha256(join(second, sample.key), limit),
          sample.key,
        );
      }
    });
  });
});

Deno.test("SAMPLE_IMAGES covers the formats and sizes the brief asks for", () => {
  const keys = SAMPLE_IMAGES.map((s) => s.key);
  assert.deepEqual(keys, [...keys].sort(), "listed in S3 listing (lexicographic) order");
  assert.equal(new Set(keys).size, keys.length, "keys are unique");
  for (const s of SAMPLE_IMAGES) assert.equal(s.pixels, s.width * s.height, s.key);
  const formats = new Set(SAMPLE_IMAGES.filter((s) => s.pixels > 0).map((s) => s.format));
  assert.deepEqual([...formats].sort(), ["GTiff", "JPEG", "NITF", "PNG"]);
  assert.ok(
    SAMPLE_IMAGES.some((s) => s.width >= 20000 && s.height >= 20000 && s.format === "GTiff"),
  );
  assert.ok(
    SAMPLE_IMAGES.some((s) => s.width >= 20000 && s.height >= 20000 && s.format === "NITF"),
  );
  assert.ok(SAMPLE_IMAGES.some((s) => s.width === 256 && s.height === 256));
  const notImage = SAMPLE_IMAGES.filter((s) => !isImageKey(s.key));
  assert.deepEqual(notImage.map((s) => s.key), ["notes.txt"]);
  const zero = SAMPLE_IMAGES.filter((s) => s.pixels === 0).map((s) => s.key);
  assert.deepEqual(zero, ["notes.txt", "truncated.tif"]);
  assert.ok(keys.some((k) => k.includes("/")), "a nested key to test prefixes");
});

Deno.test("large samples are sparse: a real header and a full-size, mostly unallocated file", async () => {
  await withSamples(async (dir) => {
    for (const key of ["large.tif", "large.ntf"]) {
      const info = await Deno.stat(join(dir, key));
      assert.ok(info.size > 400_000_000, `${key} listed size is realistic`);
      // st_blocks is in 512-byte units; where the platform reports it, almost nothing is stored.
      if (info.blocks !== null && info.blocks !== undefined && info.blocks > 0) {
        assert.ok(info.blocks * 512 < 8 * 1024 * 1024, `${key} uses ${info.blocks * 512} bytes`);
      }
    }
  });
});
