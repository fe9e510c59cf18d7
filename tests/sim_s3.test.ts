// The simulator's S3, through the real @aws-sdk/client-s3 over HTTP (path-style).
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { simClientConfig } from "../mod/sim/aws/client_config.ts";
import { type Simulator, startSimulator } from "../mod/sim/simulator.ts";
import { SAMPLE_IMAGES } from "../mod/images/samples.ts";
import { errorOf } from "./sim_test_support.ts";

async function withS3(
  fn: (s3: S3Client, sim: Simulator) => Promise<void>,
  seed = false,
): Promise<void> {
  const sim = await startSimulator({ port: 0, seed, modelRunner: false });
  const s3 = new S3Client({ ...simClientConfig(sim), forcePathStyle: true, maxAttempts: 1 });
  try {
    await fn(s3, sim);
  } finally {
    s3.destroy();
    await sim.close();
  }
}

Deno.test("s3: CreateBucket, HeadBucket (404 when missing), PutObject, HeadObject, GetObject", async () => {
  await withS3(async (s3) => {
    await s3.send(new CreateBucketCommand({ Bucket: "my-bucket" }));
    const head = await s3.send(new HeadBucketCommand({ Bucket: "my-bucket" }));
    assert.equal(head.$metadata.httpStatusCode, 200);
    const missing = await errorOf(s3.send(new HeadBucketCommand({ Bucket: "no-such-bucket" })));
    assert.equal(missing.$metadata?.httpStatusCode, 404);
    assert.equal(missing.name, "NotFound");
    const again = await errorOf(s3.send(new CreateBucketCommand({ Bucket: "my-bucket" })));
    assert.equal(again.name, "BucketAlreadyOwnedByYou");

    const body = "hello, simulated S3 \u{1F600}";
    const put = await s3.send(
      new PutObjectCommand({
        Bucket: "my-bucket",
        Key: "dir/a b+c.txt",
        Body: body,
        ContentType: "text/plain",
      }),
    );
    const md5 = createHash("md5").update(body).digest("hex");
    assert.equal(put.ETag, `"${md5}"`);

    const h = await s3.send(new HeadObjectCommand({ Bucket: "my-bucket", Key: "dir/a b+c.txt" }));
    assert.equal(h.ContentLength, new TextEncoder().encode(body).length);
    assert.equal(h.ETag, `"${md5}"`);
    assert.equal(h.ContentType, "text/plain");
    assert.ok(h.LastModified instanceof Date);

    const g = await s3.send(new GetObjectCommand({ Bucket: "my-bucket", Key: "dir/a b+c.txt" }));
    assert.equal(await g.Body!.transformToString(), body);

    const noKey = await errorOf(
      s3.send(new GetObjectCommand({ Bucket: "my-bucket", Key: "nope" })),
    );
    assert.equal(noKey.name, "NoSuchKey");
    const noKeyHead = await errorOf(
      s3.send(new HeadObjectCommand({ Bucket: "my-bucket", Key: "nope" })),
    );
    assert.equal(noKeyHead.name, "NotFound");
    const noBucket = await errorOf(s3.send(new GetObjectCommand({ Bucket: "nob", Key: "k" })));
    assert.equal(noBucket.name, "NoSuchBucket");
  });
});

Deno.test("s3: a streamed (aws-chunked) upload of 3 MiB lands on disk intact", async () => {
  await withS3(async (s3, sim) => {
    await s3.send(new CreateBucketCommand({ Bucket: "big" }));
    const bytes = new Uint8Array(3 * 1024 * 1024);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31) & 0xff;
    const chunks = Array.from({ length: 48 }, (_, i) => bytes.subarray(i * 65536, (i + 1) * 65536));
    const stream = Readable.from(chunks);
    await s3.send(
      new PutObjectCommand({
        Bucket: "big",
        Key: "blob.bin",
        Body: stream,
        ContentLength: bytes.length,
      }),
    );
    const o = sim.state.s3.getObject("big", "blob.bin")!;
    assert.equal(o.size, bytes.length);
    assert.equal(o.etag, createHash("md5").update(bytes).digest("hex"));
    const onDisk = await Deno.readFile(o.file);
    assert.deepEqual(onDisk, bytes);
  });
});

Deno.test("s3: GetObject with Range gives 206 + Content-Range; unsatisfiable gives 416 InvalidRange", async () => {
  await withS3(async (s3, sim) => {
    await sim.state.putObject("rng", "digits.txt", "0123456789", { createBucket: true });
    const mid = await s3.send(
      new GetObjectCommand({ Bucket: "rng", Key: "digits.txt", Range: "bytes=2-5" }),
    );
    assert.equal(mid.$metadata.httpStatusCode, 206);
    assert.equal(mid.ContentRange, "bytes 2-5/10");
    assert.equal(mid.ContentLength, 4);
    assert.equal(await mid.Body!.transformToString(), "2345");
    const tail = await s3.send(
      new GetObjectCommand({ Bucket: "rng", Key: "digits.txt", Range: "bytes=-3" }),
    );
    assert.equal(await tail.Body!.transformToString(), "789");
    const open = await s3.send(
      new GetObjectCommand({ Bucket: "rng", Key: "digits.txt", Range: "bytes=7-" }),
    );
    assert.equal(await open.Body!.transformToString(), "789");
    const past = await s3.send(
      new GetObjectCommand({ Bucket: "rng", Key: "digits.txt", Range: "bytes=8-100" }),
    );
    assert.equal(past.ContentRange, "bytes 8-9/10");
    const bad = await errorOf(
      s3.send(new GetObjectCommand({ Bucket: "rng", Key: "digits.txt", Range: "bytes=10-20" })),
    );
    assert.equal(bad.name, "InvalidRange");
    assert.equal(bad.$metadata?.httpStatusCode, 416);
  });
});

Deno.test("s3: ListObjectsV2 pages of at most 1000 keys in lexicographic order, Prefix, StartAfter, MaxKeys", async () => {
  await withS3(async (s3, sim) => {
    sim.state.createBucket("many");
    const keys: string[] = [];
    for (let i = 0; i < 1500; i++) keys.push(`img/${String(i).padStart(5, "0")}.tif`);
    keys.push("other/x.tif", "readme.txt");
    for (const k of [...keys].reverse()) await sim.state.putObject("many", k, "x");

    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await s3.send(
        new ListObjectsV2Command({ Bucket: "many", ContinuationToken: token }),
      );
      assert.ok((page.KeyCount ?? 0) <= 1000);
      for (const c of page.Contents ?? []) {
        seen.push(c.Key!);
        assert.equal(c.Size, 1);
        assert.match(c.ETag ?? "", /^"[0-9a-f]{32}"$/);
        assert.ok(c.LastModified instanceof Date);
      }
      token = page.NextContinuationToken;
      assert.equal(page.IsTruncated, token !== undefined);
      pages++;
    } while (token);
    assert.equal(pages, 2);
    assert.deepEqual(seen, [...keys].sort());

    const pre = await s3.send(
      new ListObjectsV2Command({ Bucket: "many", Prefix: "img/0149", MaxKeys: 5 }),
    );
    assert.deepEqual(pre.Contents?.map((c) => c.Key), [
      "img/01490.tif",
      "img/01491.tif",
      "img/01492.tif",
      "img/01493.tif",
      "img/01494.tif",
    ]);
    assert.equal(pre.IsTruncated, true);
    const after = await s3.send(
      new ListObjectsV2Command({ Bucket: "many", StartAfter: "img/01499.tif" }),
    );
    assert.deepEqual(after.Contents?.map((c) => c.Key), ["other/x.tif", "readme.txt"]);
    const delim = await s3.send(new ListObjectsV2Command({ Bucket: "many", Delimiter: "/" }));
    assert.deepEqual(delim.CommonPrefixes?.map((p) => p.Prefix), ["img/", "other/"]);
    assert.deepEqual(delim.Contents?.map((c) => c.Key), ["readme.txt"]);
    const missing = await errorOf(s3.send(new ListObjectsV2Command({ Bucket: "nothing-here" })));
    assert.equal(missing.name, "NoSuchBucket");
  });
});

Deno.test("s3: seeded image bucket holds every sample image with its real size", async () => {
  await withS3(async (s3, sim) => {
    const bucket = `osml-test-images-${sim.account}`;
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    const listed = new Map(page.Contents?.map((c) => [c.Key!, c.Size!]));
    for (const sample of SAMPLE_IMAGES) {
      assert.equal(listed.get(sample.key), sample.bytes, sample.key);
    }
    await s3.send(new HeadBucketCommand({ Bucket: `mr-bucket-sink-${sim.account}` }));
  }, true);
});

Deno.test("s3: a request without Authorization is refused with 403 AccessDenied XML", async () => {
  await withS3(async (_s3, sim) => {
    sim.state.createBucket("private");
    const res = await fetch(`${sim.endpoint}/private?list-type=2`);
    assert.equal(res.status, 403);
    const text = await res.text();
    assert.match(text, /<Error><Code>AccessDenied<\/Code>/);
  });
});
