/**
 * Pixels: unknown is not zero (finding 1 of issue 13). Against an S3-compatible server that
 * sends the whole object's Content-MD5 with ranged GETs, the SDK (at the pinned version)
 * validated that checksum against the 206 body, every header read failed with "Checksum
 * mismatch", and every image counted 0 pixels. The simulator imitates that server (an opt-in
 * quirk), through the real SDK over HTTP.
 */
import assert from "node:assert/strict";
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { s3Client } from "../mod/aws/s3_client.ts";
import { buildImageCatalog, s3RangeReader } from "../mod/images/image_catalog.ts";
import { runLoadTest } from "../mod/engine/load_test.ts";
import { SAMPLE_IMAGES } from "../mod/images/samples.ts";
import { RunLog } from "../mod/log/run_log.ts";
import { simClientConfig } from "../mod/sim/aws/client_config.ts";
import { setS3Quirks } from "../mod/sim/aws/s3_api.ts";
import { UsageError } from "../mod/usage_error.ts";
import { shortRun, withSimulator } from "./engine_test_support.ts";
import { errorOf } from "./sim_test_support.ts";

const quiet = () => new RunLog({ verbose: false, console: () => {} });
const pixelsByKey = new Map(SAMPLE_IMAGES.map((s) => [s.key, s.pixels === 0 ? null : s.pixels]));

async function readBody(s3: S3Client, bucket: string, key: string, range?: string) {
  const response = await s3.send(
    new GetObjectCommand({ Bucket: bucket, Key: key, ...(range ? { Range: range } : {}) }),
  );
  return await response.Body!.transformToByteArray();
}

Deno.test("the SDK checks a whole-object Content-MD5 against a ranged body; header reads do not", async () => {
  await withSimulator({ modelRunner: false }, async (sim) => {
    setS3Quirks(sim.state.s3, { contentMd5OnGet: true });
    const bucket = sim.seeded!.imageBucket;
    // The SDK's default client (responseChecksumValidation WHEN_SUPPORTED).
    const plain = new S3Client({ ...simClientConfig(sim), forcePathStyle: true, maxAttempts: 1 });
    const ours = s3Client({ region: sim.region, env: sim.env });
    try {
      // The finding, reproduced: a ranged GET fails on the content-md5 header...
      const error = await errorOf(readBody(plain, bucket, "small.tif", "bytes=0-1023"));
      assert.match(error.message, /Checksum mismatch.*content-md5/);
      // ... while the same header on a whole-object GET is right and passes the check.
      const whole = await readBody(plain, bucket, "small.tif");
      assert.equal(whole.length, SAMPLE_IMAGES.find((s) => s.key === "small.tif")!.bytes);
      // The tool's client does not validate response checksums it does not need.
      assert.equal((await readBody(ours, bucket, "small.tif", "bytes=0-1023")).length, 1024);
      // The ranged reader leaves ChecksumMode out whatever the client's setting.
      const read = s3RangeReader(plain, bucket, "small.tif");
      assert.equal((await read(0, 1024)).length, 1024);
      assert.equal((await read(1_049_000, 1024)).length, 374, "a read past the end is short");
    } finally {
      plain.destroy();
      ours.destroy();
    }
  });
});

Deno.test("the catalog reads every pixel count behind that server; unreadable is null, grouped", async () => {
  await withSimulator({ modelRunner: false }, async (sim) => {
    setS3Quirks(sim.state.s3, { contentMd5OnGet: true });
    const plain = new S3Client({ ...simClientConfig(sim), forcePathStyle: true, maxAttempts: 1 });
    const warnings: string[] = [];
    try {
      const images = await buildImageCatalog(
        plain,
        { bucket: sim.seeded!.imageBucket, prefix: "" },
        { warn: (m) => warnings.push(m) },
      );
      assert.equal(images.length, SAMPLE_IMAGES.length - 1, "every image but notes.txt");
      for (const image of images) {
        assert.equal(image.pixels, pixelsByKey.get(image.key), image.key);
      }
      assert.equal(images.find((i) => i.key === "truncated.tif")?.pixels, null);
      assert.equal(warnings.length, 2, warnings.join("\n"));
      assert.match(warnings[0]!, /could not read the header of 1 of 13 image\(s\)/);
      assert.match(
        warnings[1]!,
        /1 image\(s\): the file ends inside the first TIFF IFD .*truncated\.tif/,
      );
    } finally {
      plain.destroy();
    }
  });
});

Deno.test("no readable image stops the run before sending: a UsageError naming the cause", async () => {
  await withSimulator({ modelRunner: false }, async (sim, dir) => {
    const s3 = new S3Client({ ...simClientConfig(sim), forcePathStyle: true, maxAttempts: 1 });
    const warnings: string[] = [];
    try {
      const bytes = await readBody(s3, sim.seeded!.imageBucket, "truncated.tif");
      await sim.state.putObject("broken", "a.tif", bytes, { createBucket: true });
      await sim.state.putObject("broken", "b/c.tif", bytes);
      const error = await errorOf(
        buildImageCatalog(s3, { bucket: "broken", prefix: "" }, { warn: (m) => warnings.push(m) }),
      );
      assert.ok(error instanceof UsageError, String(error));
      assert.match(error.message, /none of the 2 image\(s\) in s3:\/\/broken could be read/);
      assert.match(
        error.message,
        /the file ends inside the first TIFF IFD \(N entries at byte N\)/,
      );
      assert.match(warnings[1]!, /^ {2}2 image\(s\): /);
      // Access denied to every object: one cause, with its AWS code and status.
      sim.faults.set({ deny: ["S3.GetObject"] });
      const denied = await errorOf(
        buildImageCatalog(s3, { bucket: sim.seeded!.imageBucket, prefix: "" }, { warn: () => {} }),
      );
      assert.ok(denied instanceof UsageError);
      assert.match(
        denied.message,
        /none of the 13 image\(s\).*AccessDenied \(HTTP 403\) \(13 image/,
      );
      // The run stops before sending anything (a UsageError exits 2).
      const run = await errorOf(
        runLoadTest(shortRun(sim, dir), { handleSignals: false, write: () => {}, log: quiet() }),
      );
      assert.ok(run instanceof UsageError, String(run));
      assert.match(run.message, /AccessDenied \(HTTP 403\)/);
      assert.equal(sim.state.queue("ImageRequestQueue").counts().visible, 0, "nothing sent");
    } finally {
      s3.destroy();
    }
  });
});

Deno.test("a run behind that server records the right pixels; unknown ones are null, not 0", async () => {
  await withSimulator(
    { modelRunner: { fixedMs: 5, msPerMegapixel: 0, failureRate: 0, partialRate: 0 } },
    async (sim, dir) => {
      setS3Quirks(sim.state.s3, { contentMd5OnGet: true });
      const lines: string[] = [];
      await runLoadTest(
        shortRun(sim, dir, { runTime: "3s", users: "13", waitForCompletion: true }),
        {
          handleSignals: false,
          write: () => {},
          log: new RunLog({ verbose: false, console: (l) => lines.push(l) }),
        },
      );
      assert.ok(
        lines.some((l) => /could not read the header of 1 of 13 image\(s\)/.test(l)),
        lines.join("\n"),
      );
      const status = JSON.parse(await Deno.readTextFile(`${dir}/logs/job_status.json`));
      const summary = JSON.parse(await Deno.readTextFile(`${dir}/logs/job_summary.json`));
      let known = 0;
      let unknown = 0;
      for (const record of Object.values(status) as Array<Record<string, unknown>>) {
        const url = String(record.image_url);
        const key = url.slice(url.indexOf("/", 5) + 1);
        assert.equal(record.pixels, pixelsByKey.get(key), key);
        if (!record.completed) continue;
        if (record.pixels === null) unknown++;
        else known += record.pixels as number;
      }
      assert.ok(known > 0);
      assert.equal(summary.total_pixels_processed, known);
      assert.equal(summary.jobs_pixels_unknown, unknown);
    },
  );
});
