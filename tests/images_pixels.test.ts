import assert from "node:assert/strict";
import { join } from "node:path";
import { ImageHeaderError, type RangeReader, readPixelCount } from "../mod/images/pixels.ts";
import { bytesRangeReader, fileRangeReader } from "../mod/images/range_reader.ts";
import { SAMPLE_IMAGES, writeSampleImages } from "../mod/images/samples.ts";

const MiB = 1024 * 1024;

/** A reader that records how many bytes were asked for, and in how many calls. */
function counting(
  read: RangeReader,
): { read: RangeReader; asked: () => number; calls: () => number } {
  let asked = 0;
  let calls = 0;
  return {
    read: (offset, length) => {
      asked += length;
      calls += 1;
      return read(offset, length);
    },
    asked: () => asked,
    calls: () => calls,
  };
}

async function withSamples(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "osml-load-pixels-" });
  try {
    await writeSampleImages(dir);
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function rejectsHeader(promise: Promise<unknown>, ...fragments: string[]): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof ImageHeaderError, `an ImageHeaderError, got ${error}`);
    for (const fragment of fragments) {
      assert.ok(error.message.includes(fragment), `'${error.message}' mentions '${fragment}'`);
    }
    return true;
  });
}

Deno.test("readPixelCount equals GDAL's pixel count for every sample image", async () => {
  await withSamples(async (dir) => {
    for (const sample of SAMPLE_IMAGES.filter((s) => s.pixels > 0)) {
      const path = join(dir, sample.key);
      assert.equal(
        await readPixelCount(fileRangeReader(path), sample.key),
        sample.pixels,
        sample.key,
      );
      assert.equal(
        await readPixelCount(fileRangeReader(path), sample.key, sample.bytes),
        sample.pixels,
        `${sample.key} with its size given`,
      );
    }
  });
});

Deno.test("readPixelCount reads only small header ranges, even from the 500 MB samples", async () => {
  await withSamples(async (dir) => {
    for (const sample of SAMPLE_IMAGES.filter((s) => s.pixels > 0)) {
      const reader = counting(fileRangeReader(join(dir, sample.key)));
      await readPixelCount(reader.read, sample.key, sample.bytes);
      assert.ok(reader.asked() < MiB, `${sample.key}: asked for ${reader.asked()} bytes`);
      assert.ok(reader.calls() <= 3, `${sample.key}: ${reader.calls()} reads`);
    }
    const large = SAMPLE_IMAGES.filter((s) => s.bytes > 100 * MiB);
    assert.ok(large.length >= 2, "there are large samples to check");
  });
});

Deno.test("readPixelCount rejects the truncated TIFF and the text file with clear messages", async () => {
  await withSamples(async (dir) => {
    await rejectsHeader(
      readPixelCount(fileRangeReader(join(dir, "truncated.tif")), "truncated.tif"),
      "truncated.tif",
      "truncated",
      "IFD",
    );
    await rejectsHeader(
      readPixelCount(fileRangeReader(join(dir, "notes.txt")), "notes.txt"),
      "notes.txt",
      "not a TIFF",
    );
  });
});

Deno.test("readPixelCount rejects empty and cut-short files of every format", async () => {
  await rejectsHeader(readPixelCount(bytesRangeReader(new Uint8Array()), "empty.tif"), "empty");
  await withSamples(async (dir) => {
    const cuts: Record<string, number> = {
      "tile.png": 20,
      "tile.jpeg": 60,
      "tile.ntf": 300,
      "bigtiff.tif": 12,
      "small.tif": 30,
    };
    for (const [key, length] of Object.entries(cuts)) {
      const bytes = (await Deno.readFile(join(dir, key))).slice(0, length);
      await rejectsHeader(readPixelCount(bytesRangeReader(bytes), key), key, "truncated");
    }
    // A NITF whose image subheader is missing: the header promises more than the file holds.
    const ntf = (await Deno.readFile(join(dir, "tile.ntf"))).slice(0, 420);
    await rejectsHeader(readPixelCount(bytesRangeReader(ntf), "tile.ntf", 420), "tile.ntf");
  });
});

Deno.test("readPixelCount reads a JPEG whose frame header is past the first 64 KiB", async () => {
  // SOI, a 65533-byte APP1 segment, a second one, then SOF0 for 300x200, then EOI.
  const app = (fill: number) => [0xff, 0xe1, 0xff, 0xff, ...new Array<number>(65533).fill(fill)];
  const sof = [0xff, 0xc0, 0, 11, 8, 0, 200, 1, 44, 1, 1, 0x11, 0];
  const bytes = new Uint8Array([0xff, 0xd8, ...app(0), ...app(1), ...sof, 0xff, 0xd9]);
  const reader = counting(bytesRangeReader(bytes));
  assert.equal(await readPixelCount(reader.read, "exif.jpg"), 300 * 200);
  assert.ok(reader.asked() < MiB);
});

Deno.test("readPixelCount rejects a JPEG that reaches its scan before any frame header", async () => {
  const bytes = new Uint8Array([0xff, 0xd8, 0xff, 0xda, 0, 8, 1, 1, 0, 0, 63, 0, 0, 0xff, 0xd9]);
  await rejectsHeader(readPixelCount(bytesRangeReader(bytes), "nosof.jpg"), "nosof.jpg", "SOS");
});

Deno.test("readPixelCount follows a TIFF whose first IFD is past the first 64 KiB (big-endian)", async () => {
  const ifdAt = 200_000;
  const entries: [number, number, number][] = [
    [256, 4, 3000], // ImageWidth LONG
    [257, 4, 1000], // ImageLength LONG
    [258, 3, 8],
    [259, 3, 1],
    [262, 3, 1],
    [273, 4, 8], // StripOffsets
    [277, 3, 1],
    [278, 4, 1000],
    [279, 4, 3000 * 1000],
  ];
  const bytes = new Uint8Array(ifdAt + 2 + entries.length * 12 + 4);
  const view = new DataView(bytes.buffer);
  view.setUint16(0, 0x4d4d);
  view.setUint16(2, 42);
  view.setUint32(4, ifdAt);
  view.setUint16(ifdAt, entries.length);
  entries.forEach(([tag, type, value], i) => {
    const at = ifdAt + 2 + i * 12;
    view.setUint16(at, tag);
    view.setUint16(at + 2, type);
    view.setUint32(at + 4, 1);
    if (type === 3) view.setUint16(at + 8, value);
    else view.setUint32(at + 8, value);
  });
  const reader = counting(bytesRangeReader(bytes));
  assert.equal(await readPixelCount(reader.read, "far.tif"), 3_000_000);
  assert.ok(reader.asked() < MiB);
});

/** Replaces `length` bytes at `at` with `text`, inserting when `remove` is 0. */
function splice(bytes: Uint8Array, at: number, remove: number, text: string): Uint8Array {
  const insert = new TextEncoder().encode(text);
  const out = new Uint8Array(bytes.length - remove + insert.length);
  out.set(bytes.subarray(0, at), 0);
  out.set(insert, at);
  out.set(bytes.subarray(at + remove), at + insert.length);
  return out;
}

function setDigits(bytes: Uint8Array, at: number, width: number, value: number): void {
  bytes.set(new TextEncoder().encode(String(value).padStart(width, "0")), at);
}

function digits(bytes: Uint8Array, at: number, width: number): number {
  return Number(new TextDecoder().decode(bytes.subarray(at, at + width)));
}

Deno.test("readPixelCount handles NITF 2.0 downgrade-event fields (FSDEVT, ISDEVT) as GDAL does", async () => {
  await withSamples(async (dir) => {
    let bytes: Uint8Array = await Deno.readFile(join(dir, "wbid.ntf"));
    const hl = digits(bytes, 354, 6);
    const lish = digits(bytes, 363, 6);
    // Image subheader first (it lies after the file header): ISDWNG = 999998 plus a 40-byte ISDEVT.
    bytes = splice(bytes, hl + 284, 6, "999998" + "ON EVENT".padEnd(40, " "));
    // File header: FSDWNG = 999998 plus a 40-byte FSDEVT; HL, LISH and FL move by 40.
    bytes = splice(bytes, 280, 6, "999998" + "ON EVENT".padEnd(40, " "));
    setDigits(bytes, 342 + 40, 12, bytes.length);
    setDigits(bytes, 354 + 40, 6, hl + 40);
    setDigits(bytes, 363 + 40, 6, lish + 40);
    assert.equal(await readPixelCount(bytesRangeReader(bytes), "wbid-devt.ntf"), 384 * 256);
  });
});

Deno.test("readPixelCount reads NSIF 1.0 (the NATO twin of NITF 2.1) and rejects a NITF without images", async () => {
  await withSamples(async (dir) => {
    const bytes = await Deno.readFile(join(dir, "tile.ntf"));
    bytes.set(new TextEncoder().encode("NSIF01.00"), 0);
    assert.equal(await readPixelCount(bytesRangeReader(bytes), "tile.nsif.ntf"), 512 * 512);
    const none = bytes.slice();
    setDigits(none, 360, 3, 0);
    await rejectsHeader(readPixelCount(bytesRangeReader(none), "none.ntf"), "no image segments");
  });
});

Deno.test("ImageHeaderError names the file it is about", async () => {
  const error = await readPixelCount(bytesRangeReader(new Uint8Array([1, 2, 3, 4])), "odd.png")
    .catch((e: unknown) => e);
  assert.ok(error instanceof ImageHeaderError);
  assert.equal(error.file, "odd.png");
  assert.equal(error.name, "ImageHeaderError");
});
