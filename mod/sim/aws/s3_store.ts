/**
 * The simulator's S3 buckets: an in-memory index of keys (kept sorted, for
 * ListObjectsV2) whose object bytes live in files under a data folder, so that
 * multi-GB objects cost no memory. Records storage usage in the ledger.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { S3Store } from "./s3_store.ts";
 * import { UsageLedger } from "./usage.ts";
 * const dir = await Deno.makeTempDir();
 * const s3 = new S3Store(dir, new UsageLedger());
 * s3.createBucket("docs");
 * await s3.putBytes("docs", "k.txt", new TextEncoder().encode("hi"));
 * assert.equal(s3.getObject("docs", "k.txt")?.size, 2);
 * await Deno.remove(dir, { recursive: true });
 * ```
 * @module
 */
import { createHash } from "node:crypto";
import { AwsError } from "./aws_error.ts";
import type { RunningResource, UsageLedger } from "./usage.ts";

/** One stored object. */
export interface S3Object {
  readonly key: string;
  /** Path of the file holding the bytes. */
  readonly file: string;
  readonly size: number;
  /** The ETag without quotes (MD5 hex for simple uploads). */
  readonly etag: string;
  /** ms since epoch. */
  readonly lastModified: number;
  readonly contentType: string;
  /** `x-amz-meta-*` values, keys lower-case without the prefix. */
  readonly metadata: Record<string, string>;
  /** The storage usage this object accrues. */
  readonly usage: RunningResource;
}

/**
 * One bucket.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { S3Bucket } from "./s3_store.ts";
 * const b = new S3Bucket("b");
 * b.keys.push("a", "c");
 * assert.equal(b.indexAfter("a"), 1);
 * ```
 */
export class S3Bucket {
  readonly name: string;
  /** ms since epoch. */
  readonly created: number = Date.now();
  /** Objects by key. */
  readonly objects: Map<string, S3Object> = new Map();
  /** Every key, in lexicographic (UTF-16 code unit = UTF-8 byte for ASCII) order. */
  readonly keys: string[] = [];

  /** Made by {@linkcode S3Store.createBucket}. */
  constructor(name: string) {
    this.name = name;
  }

  /** Index of the first key > `after` (or >= when `inclusive`). */
  indexAfter(after: string, inclusive = false): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const k = this.keys[mid]!;
      if (k < after || (!inclusive && k === after)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

const S3_SERVICE = "Amazon Simple Storage Service";
const BUCKET_NAME = /^(?!xn--)(?!.*-s3alias$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * Every bucket of the simulator.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { S3Store } from "./s3_store.ts";
 * import { UsageLedger } from "./usage.ts";
 * const dir = await Deno.makeTempDir();
 * const s3 = new S3Store(dir, new UsageLedger());
 * s3.createBucket("images");
 * assert.deepEqual([...s3.buckets.keys()], ["images"]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export class S3Store {
  /** Folder holding the object files. */
  readonly dataDir: string;
  readonly buckets: Map<string, S3Bucket> = new Map();
  #ledger: UsageLedger;
  #counter = 0;

  /** A store whose files go under `dataDir` (which must exist). */
  constructor(dataDir: string, ledger: UsageLedger) {
    this.dataDir = dataDir;
    this.#ledger = ledger;
  }

  /** Create a bucket; `BucketAlreadyOwnedByYou` (409) when it exists. */
  createBucket(name: string): S3Bucket {
    if (!BUCKET_NAME.test(name) || name.includes("..")) {
      throw new AwsError(
        400,
        "InvalidBucketName",
        `The specified bucket is not valid: "${name}" (use 3-63 lower-case letters, digits, dots and hyphens).`,
      );
    }
    if (this.buckets.has(name)) {
      throw new AwsError(
        409,
        "BucketAlreadyOwnedByYou",
        `Your previous request to create the named bucket succeeded and you already own it (${name}).`,
      );
    }
    const bucket = new S3Bucket(name);
    this.buckets.set(name, bucket);
    return bucket;
  }

  /** The bucket, or `NoSuchBucket` (404). */
  bucket(name: string): S3Bucket {
    const b = this.buckets.get(name);
    if (!b) {
      throw new AwsError(
        404,
        "NoSuchBucket",
        `The specified bucket does not exist: ${name} (check the name and region, or create it).`,
      );
    }
    return b;
  }

  /** The object, or undefined. Throws `NoSuchBucket` for a missing bucket. */
  getObject(bucket: string, key: string): S3Object | undefined {
    return this.bucket(bucket).objects.get(key);
  }

  /** A new file path under the data folder. */
  newFilePath(): string {
    return `${this.dataDir}/o${(++this.#counter).toString(36)}-${
      Math.floor(Math.random() * 1e9).toString(36)
    }`;
  }

  /**
   * Store an object from a byte stream, streamed to disk while its MD5 is
   * computed. Replaces any object of the same key.
   */
  async putStream(
    bucket: string,
    key: string,
    body: ReadableStream<Uint8Array> | null,
    options: { contentType?: string | undefined; metadata?: Record<string, string> } = {},
  ): Promise<S3Object> {
    this.bucket(bucket);
    checkKey(key);
    const path = this.newFilePath();
    const hash = createHash("md5");
    let size = 0;
    const file = await Deno.open(path, { write: true, create: true, truncate: true });
    try {
      if (body) {
        await body.pipeThrough(
          new TransformStream<Uint8Array, Uint8Array>({
            transform(chunk, controller) {
              hash.update(chunk);
              size += chunk.length;
              controller.enqueue(chunk);
            },
          }),
        ).pipeTo(file.writable);
      } else {
        file.close();
      }
    } catch (e) {
      await Deno.remove(path).catch(() => {});
      throw e;
    }
    return this.#index(bucket, key, path, size, hash.digest("hex"), options);
  }

  /** Store an object from bytes. */
  async putBytes(
    bucket: string,
    key: string,
    bytes: Uint8Array,
    options: { contentType?: string | undefined; metadata?: Record<string, string> } = {},
  ): Promise<S3Object> {
    this.bucket(bucket);
    checkKey(key);
    const path = this.newFilePath();
    await Deno.writeFile(path, bytes);
    const etag = createHash("md5").update(bytes).digest("hex");
    return this.#index(bucket, key, path, bytes.length, etag, options);
  }

  /**
   * Store an existing file as an object without copying it: the file is moved
   * into the data folder. Files over 16 MiB (e.g. sparse sample images) get a
   * multipart-style ETag so they need not be read.
   */
  async adoptFile(
    bucket: string,
    key: string,
    sourcePath: string,
    options: { contentType?: string | undefined } = {},
  ): Promise<S3Object> {
    this.bucket(bucket);
    checkKey(key);
    const path = this.newFilePath();
    try {
      await Deno.rename(sourcePath, path);
    } catch {
      await Deno.copyFile(sourcePath, path);
    }
    const { size } = await Deno.stat(path);
    let etag: string;
    if (size <= 16 * 1024 * 1024) {
      etag = createHash("md5").update(await Deno.readFile(path)).digest("hex");
    } else {
      etag = `${createHash("md5").update(`${key}:${size}`).digest("hex")}-1`;
    }
    return this.#index(bucket, key, path, size, etag, options);
  }

  /** Delete an object (no error when missing). */
  async deleteObject(bucket: string, key: string): Promise<void> {
    const b = this.bucket(bucket);
    const old = b.objects.get(key);
    if (!old) return;
    b.objects.delete(key);
    const i = b.indexAfter(key, true);
    if (b.keys[i] === key) b.keys.splice(i, 1);
    this.#ledger.stop(old.usage);
    await Deno.remove(old.file).catch(() => {});
  }

  #index(
    bucket: string,
    key: string,
    path: string,
    size: number,
    etag: string,
    options: { contentType?: string | undefined; metadata?: Record<string, string> },
  ): S3Object {
    const b = this.bucket(bucket);
    const old = b.objects.get(key);
    const usage = this.#ledger.start({
      service: S3_SERVICE,
      usageType: "TimedStorage-ByteHrs",
      unitsPerHour: size,
    });
    const object: S3Object = {
      key,
      file: path,
      size,
      etag,
      lastModified: Math.floor(Date.now() / 1000) * 1000,
      contentType: options.contentType ?? "application/octet-stream",
      metadata: options.metadata ?? {},
      usage,
    };
    b.objects.set(key, object);
    if (old) {
      this.#ledger.stop(old.usage);
      Deno.remove(old.file).catch(() => {});
    } else {
      b.keys.splice(b.indexAfter(key, true), 0, key);
    }
    return object;
  }
}

function checkKey(key: string): void {
  if (key === "" || new TextEncoder().encode(key).length > 1024) {
    throw new AwsError(
      400,
      "KeyTooLongError",
      `Your key is too long or empty (${key.length} characters): use 1 to 1024 bytes.`,
    );
  }
}
