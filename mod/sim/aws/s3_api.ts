/**
 * The S3 REST API of the simulator (path-style: `/<bucket>/<key>`):
 * CreateBucket, HeadBucket, ListObjectsV2, ListBuckets, GetBucketLocation,
 * PutObject (streamed to disk, `aws-chunked` uploads decoded), HeadObject,
 * GetObject (with Range: 206 + Content-Range, 416 when unsatisfiable),
 * DeleteObject. XML as S3 writes it.
 *
 * Opt-in quirks ({@linkcode setS3Quirks}) imitate other S3-compatible servers,
 * for tests of the tool's robustness; they are off unless a test turns them on.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { s3Operation } from "./s3_api.ts";
 * assert.equal(s3Operation("GET", new URL("http://127.0.0.1:4566/bucket?list-type=2")), "ListObjectsV2");
 * ```
 * @module
 */
import { AwsError } from "./aws_error.ts";
import { awsChunkedDecoder } from "./aws_chunked.ts";
import { md5Hex } from "./md5.ts";
import { s3ErrorResponse, xmlEscape, xmlResponse } from "./wire_protocol.ts";
import type { S3Object, S3Store } from "./s3_store.ts";
import type { UsageLedger } from "./usage.ts";

const S3_SERVICE = "Amazon Simple Storage Service";
const NS = "http://s3.amazonaws.com/doc/2006-03-01/";

/** What the S3 handler works on. */
export interface S3Context {
  store: S3Store;
  ledger: UsageLedger;
  region: string;
  account: string;
}

/**
 * Behaviours of other S3-compatible servers that the simulator can imitate (all off by default).
 *
 * @example
 * ```ts
 * import type { S3Quirks } from "./s3_api.ts";
 * const quirks: S3Quirks = { contentMd5OnGet: true };
 * ```
 */
export interface S3Quirks {
  /**
   * Send the WHOLE object's `Content-MD5` (base64 of its MD5) with every GetObject answer,
   * ranged (206) ones included, as some S3-compatible servers do for objects uploaded with a
   * Content-MD5 (the AWS CLI and boto3 send one). A 206 body never matches it. For objects
   * whose ETag is not a plain MD5 (the simulator's big adopted files), a stand-in digest that
   * likewise differs from any range is sent.
   */
  contentMd5OnGet?: boolean;
}

const s3Quirks = new WeakMap<S3Store, S3Quirks>();

/**
 * Turn quirks on (or off, with `{}`) for the S3 API over `store` (e.g. `sim.state.s3`).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
 * import { simClientConfig } from "./client_config.ts";
 * import { setS3Quirks } from "./s3_api.ts";
 * import { startSimulator } from "../simulator.ts";
 * const sim = await startSimulator({ port: 0, modelRunner: false });
 * setS3Quirks(sim.state.s3, { contentMd5OnGet: true });
 * await sim.state.putObject("docs", "a.txt", "hello", { createBucket: true });
 * const s3 = new S3Client({ ...simClientConfig(sim), forcePathStyle: true });
 * const object = await s3.send(new GetObjectCommand({ Bucket: "docs", Key: "a.txt" }));
 * assert.equal(await object.Body?.transformToString(), "hello");
 * s3.destroy();
 * await sim.close();
 * ```
 */
export function setS3Quirks(store: S3Store, quirks: S3Quirks): void {
  s3Quirks.set(store, { ...quirks });
}

function wholeObjectContentMd5(o: S3Object): string {
  const hex = /^[0-9a-f]{32}$/.test(o.etag) ? o.etag : md5Hex(`whole-object:${o.etag}`);
  const bytes = new Uint8Array(16);
  for (let i = 0; i < 16; i++) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return btoa(String.fromCharCode(...bytes));
}

/**
 * Split a path-style URL into bucket and key (both decoded; either may be "").
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { parseS3Path } from "./s3_api.ts";
 * assert.deepEqual(parseS3Path(new URL("http://127.0.0.1:4566/b/dir/a%20b.tif")), { bucket: "b", key: "dir/a b.tif" });
 * ```
 */
export function parseS3Path(url: URL): { bucket: string; key: string } {
  const path = url.pathname.replace(/^\//, "");
  const slash = path.indexOf("/");
  const rawBucket = slash < 0 ? path : path.slice(0, slash);
  const rawKey = slash < 0 ? "" : path.slice(slash + 1);
  return { bucket: safeDecode(rawBucket), key: safeDecode(rawKey) };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * The S3 operation name a request is, e.g. `GetObject` (for faults and usage).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { s3Operation } from "./s3_api.ts";
 * assert.equal(s3Operation("HEAD", new URL("http://127.0.0.1:4566/b")), "HeadBucket");
 * ```
 */
export function s3Operation(method: string, url: URL): string {
  const { bucket, key } = parseS3Path(url);
  const q = url.searchParams;
  if (bucket === "") return method === "GET" ? "ListBuckets" : `Unknown${method}`;
  if (key === "") {
    switch (method) {
      case "PUT":
        return "CreateBucket";
      case "HEAD":
        return "HeadBucket";
      case "DELETE":
        return "DeleteBucket";
      case "GET":
        if (q.has("location")) return "GetBucketLocation";
        if (q.get("list-type") === "2") return "ListObjectsV2";
        return "ListObjects";
      default:
        return `Unknown${method}`;
    }
  }
  switch (method) {
    case "PUT":
      return "PutObject";
    case "HEAD":
      return "HeadObject";
    case "GET":
      return "GetObject";
    case "DELETE":
      return "DeleteObject";
    default:
      return `Unknown${method}`;
  }
}

/**
 * Answer one S3 request.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { handleS3 } from "./s3_api.ts";
 * import { S3Store } from "./s3_store.ts";
 * import { UsageLedger } from "./usage.ts";
 * const dir = await Deno.makeTempDir();
 * const ledger = new UsageLedger();
 * const ctx = { store: new S3Store(dir, ledger), ledger, region: "us-west-2", account: "123456789012" };
 * const req = new Request("http://127.0.0.1:4566/images", { method: "PUT" }); // CreateBucket
 * assert.equal((await handleS3(req, new URL(req.url), ctx)).status, 200);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function handleS3(req: Request, url: URL, ctx: S3Context): Promise<Response> {
  const operation = s3Operation(req.method, url);
  const { bucket, key } = parseS3Path(url);
  const tier = req.method === "GET" && operation !== "ListObjectsV2" &&
        operation !== "ListObjects" && operation !== "ListBuckets" || req.method === "HEAD"
    ? "Requests-Tier2"
    : "Requests-Tier1";
  ctx.ledger.record(S3_SERVICE, tier, 1);
  try {
    switch (operation) {
      case "ListBuckets":
        return listBuckets(ctx);
      case "CreateBucket":
        await req.body?.cancel();
        ctx.store.createBucket(bucket);
        return new Response(null, { status: 200, headers: { location: `/${bucket}` } });
      case "HeadBucket":
        ctx.store.bucket(bucket);
        return new Response(null, {
          status: 200,
          headers: { "x-amz-bucket-region": ctx.region },
        });
      case "GetBucketLocation":
        ctx.store.bucket(bucket);
        return xmlResponse(
          `<LocationConstraint xmlns="${NS}">${
            ctx.region === "us-east-1" ? "" : ctx.region
          }</LocationConstraint>`,
        );
      case "ListObjectsV2":
        return listObjectsV2(bucket, url.searchParams, ctx);
      case "PutObject":
        return await putObject(req, bucket, key, ctx);
      case "HeadObject":
      case "GetObject":
        return await getObject(req, bucket, key, ctx);
      case "DeleteObject":
        await ctx.store.deleteObject(bucket, key);
        return new Response(null, { status: 204 });
      default:
        throw new AwsError(
          501,
          "NotImplemented",
          `The simulator does not implement this S3 request (${req.method} ${url.pathname}${url.search}): it answers CreateBucket, HeadBucket, ListObjectsV2, PutObject, HeadObject, GetObject, DeleteObject.`,
        );
    }
  } catch (e) {
    if (!(e instanceof AwsError)) throw e;
    const extra: Record<string, string> = {};
    if (e.code === "NoSuchBucket" || e.code === "BucketAlreadyOwnedByYou") {
      extra.BucketName = bucket;
    }
    if (e.code === "NoSuchKey") extra.Key = key;
    return s3ErrorResponse(e, req.method, extra);
  }
}

function listBuckets(ctx: S3Context): Response {
  const items = [...ctx.store.buckets.values()].sort((a, b) => a.name < b.name ? -1 : 1).map((b) =>
    `<Bucket><Name>${xmlEscape(b.name)}</Name><CreationDate>${
      new Date(b.created).toISOString()
    }</CreationDate></Bucket>`
  ).join("");
  return xmlResponse(
    `<ListAllMyBucketsResult xmlns="${NS}"><Owner><ID>${ctx.account}</ID><DisplayName>sim</DisplayName></Owner><Buckets>${items}</Buckets></ListAllMyBucketsResult>`,
  );
}

function listObjectsV2(bucketName: string, q: URLSearchParams, ctx: S3Context): Response {
  const bucket = ctx.store.bucket(bucketName);
  const prefix = q.get("prefix") ?? "";
  const delimiter = q.get("delimiter") ?? "";
  const startAfter = q.get("start-after") ?? "";
  const token = q.get("continuation-token");
  const encodeUrl = q.get("encoding-type") === "url";
  const maxRaw = q.get("max-keys");
  let maxKeys = 1000;
  if (maxRaw !== null) {
    const n = Number(maxRaw);
    if (!Number.isInteger(n) || n < 0) {
      throw new AwsError(
        400,
        "InvalidArgument",
        `Provided max-keys not an integer or within integer range (got "${maxRaw}").`,
      );
    }
    maxKeys = Math.min(n, 1000);
  }
  let after = startAfter;
  if (token !== null) {
    try {
      after = new TextDecoder().decode(Uint8Array.from(atob(token), (c) => c.charCodeAt(0)));
    } catch {
      throw new AwsError(
        400,
        "InvalidArgument",
        "The continuation token provided is incorrect: pass the NextContinuationToken of the previous page.",
      );
    }
  }
  let i = Math.max(bucket.indexAfter(after), bucket.indexAfter(prefix, true));
  const contents: S3Object[] = [];
  const prefixes: string[] = [];
  let lastKey = "";
  let truncated = false;
  while (i < bucket.keys.length) {
    const k = bucket.keys[i]!;
    if (!k.startsWith(prefix)) break;
    if (contents.length + prefixes.length >= maxKeys) {
      truncated = true;
      break;
    }
    if (delimiter !== "") {
      const d = k.indexOf(delimiter, prefix.length);
      if (d >= 0) {
        const cp = k.slice(0, d + delimiter.length);
        prefixes.push(cp);
        lastKey = cp;
        // Skip every key under this common prefix.
        i = bucket.indexAfter(cp + "\uffff");
        continue;
      }
    }
    contents.push(bucket.objects.get(k)!);
    lastKey = k;
    i++;
  }
  if (truncated && maxKeys === 0) truncated = false;
  const enc = (s: string) => xmlEscape(encodeUrl ? encodeURIComponent(s).replace(/%2F/g, "/") : s);
  let xml = `<ListBucketResult xmlns="${NS}"><Name>${xmlEscape(bucket.name)}</Name><Prefix>${
    enc(prefix)
  }</Prefix>`;
  if (startAfter !== "") xml += `<StartAfter>${enc(startAfter)}</StartAfter>`;
  if (token !== null) xml += `<ContinuationToken>${xmlEscape(token)}</ContinuationToken>`;
  xml += `<KeyCount>${contents.length + prefixes.length}</KeyCount><MaxKeys>${maxKeys}</MaxKeys>`;
  if (delimiter !== "") xml += `<Delimiter>${enc(delimiter)}</Delimiter>`;
  if (encodeUrl) xml += `<EncodingType>url</EncodingType>`;
  xml += `<IsTruncated>${truncated}</IsTruncated>`;
  if (truncated) {
    const next = btoa(String.fromCharCode(...new TextEncoder().encode(lastKey)));
    xml += `<NextContinuationToken>${xmlEscape(next)}</NextContinuationToken>`;
  }
  for (const o of contents) {
    xml += `<Contents><Key>${enc(o.key)}</Key><LastModified>${
      new Date(o.lastModified).toISOString()
    }</LastModified><ETag>&quot;${o.etag}&quot;</ETag><Size>${o.size}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
  }
  for (const p of prefixes) xml += `<CommonPrefixes><Prefix>${enc(p)}</Prefix></CommonPrefixes>`;
  xml += `</ListBucketResult>`;
  return xmlResponse(xml);
}

async function putObject(
  req: Request,
  bucket: string,
  key: string,
  ctx: S3Context,
): Promise<Response> {
  ctx.store.bucket(bucket);
  let body: ReadableStream<Uint8Array> | null = req.body;
  const encoding = req.headers.get("content-encoding") ?? "";
  const sha = req.headers.get("x-amz-content-sha256") ?? "";
  if (
    body && (encoding.split(",").map((s) => s.trim()).includes("aws-chunked") ||
      sha.startsWith("STREAMING-"))
  ) {
    body = body.pipeThrough(awsChunkedDecoder());
  }
  const metadata: Record<string, string> = {};
  for (const [name, value] of req.headers) {
    if (name.startsWith("x-amz-meta-")) metadata[name.slice(11)] = value;
  }
  const contentType = req.headers.get("content-type") ?? undefined;
  const object = await ctx.store.putStream(bucket, key, body, { contentType, metadata });
  const expected = req.headers.get("x-amz-decoded-content-length");
  if (expected !== null && Number(expected) !== object.size) {
    await ctx.store.deleteObject(bucket, key);
    throw new AwsError(
      400,
      "IncompleteBody",
      `You did not provide the number of bytes specified by the Content-Length HTTP header (expected ${expected}, got ${object.size}).`,
    );
  }
  const headers: Record<string, string> = { etag: `"${object.etag}"` };
  for (const [name, value] of req.headers) {
    if (name.startsWith("x-amz-checksum-") && name !== "x-amz-checksum-type") {
      headers[name] = value;
    }
  }
  return new Response(null, { status: 200, headers });
}

function objectHeaders(o: S3Object): Record<string, string> {
  const headers: Record<string, string> = {
    "last-modified": new Date(o.lastModified).toUTCString(),
    etag: `"${o.etag}"`,
    "content-type": o.contentType,
    "accept-ranges": "bytes",
  };
  for (const [k, v] of Object.entries(o.metadata)) headers[`x-amz-meta-${k}`] = v;
  return headers;
}

/**
 * Parse a single `bytes=` range against `size`; undefined = whole object; null = unsatisfiable.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { parseRange } from "./s3_api.ts";
 * assert.deepEqual(parseRange("bytes=0-99", 1000), [0, 99]);
 * assert.equal(parseRange("bytes=2000-", 1000), null); // answered with 416
 * ```
 */
export function parseRange(header: string, size: number): [number, number] | undefined | null {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m) return undefined;
  const [, a, b] = m;
  if (a === "" && b === "") return undefined;
  if (a === "") {
    const n = Number(b);
    if (n === 0 || size === 0) return null;
    return [Math.max(0, size - n), size - 1];
  }
  const start = Number(a);
  const end = b === "" ? size - 1 : Math.min(Number(b), size - 1);
  if (b !== "" && Number(b) < start) return undefined;
  if (start >= size) return null;
  return [start, end];
}

async function getObject(
  req: Request,
  bucket: string,
  key: string,
  ctx: S3Context,
): Promise<Response> {
  const o = ctx.store.getObject(bucket, key);
  if (!o) {
    throw new AwsError(404, "NoSuchKey", `The specified key does not exist: ${key}.`);
  }
  const headers = objectHeaders(o);
  if (s3Quirks.get(ctx.store)?.contentMd5OnGet) headers["content-md5"] = wholeObjectContentMd5(o);
  const rangeHeader = req.headers.get("range");
  let range: [number, number] | undefined;
  if (rangeHeader !== null) {
    const r = parseRange(rangeHeader, o.size);
    if (r === null) {
      if (req.method === "HEAD") return new Response(null, { status: 416 });
      return s3ErrorResponse(
        new AwsError(416, "InvalidRange", "The requested range is not satisfiable"),
        req.method,
        { RangeRequested: rangeHeader, ActualObjectSize: String(o.size) },
      );
    }
    range = r;
  }
  const start = range ? range[0] : 0;
  const length = range ? range[1] - range[0] + 1 : o.size;
  headers["content-length"] = String(length);
  const status = range ? 206 : 200;
  if (range) headers["content-range"] = `bytes ${range[0]}-${range[1]}/${o.size}`;
  if (req.method === "HEAD") return new Response(null, { status, headers });
  return new Response(await fileRangeStream(o.file, start, length), { status, headers });
}

/**
 * A stream of `length` bytes of a file from `start`, closing the file at the end or on cancel.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { fileRangeStream } from "./s3_api.ts";
 * const path = await Deno.makeTempFile();
 * await Deno.writeTextFile(path, "0123456789");
 * assert.equal(await new Response(await fileRangeStream(path, 2, 3)).text(), "234");
 * await Deno.remove(path);
 * ```
 */
export async function fileRangeStream(
  path: string,
  start: number,
  length: number,
): Promise<ReadableStream<Uint8Array>> {
  const file = await Deno.open(path, { read: true });
  if (start > 0) await file.seek(start, Deno.SeekMode.Start);
  let left = length;
  let closed = false;
  const close = () => {
    if (!closed) {
      closed = true;
      file.close();
    }
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (left <= 0) {
        close();
        controller.close();
        return;
      }
      const buf = new Uint8Array(Math.min(left, 256 * 1024));
      const n = await file.read(buf);
      if (n === null || n === 0) {
        close();
        controller.close();
        return;
      }
      left -= n;
      controller.enqueue(buf.subarray(0, n));
      if (left <= 0) {
        close();
        controller.close();
      }
    },
    cancel() {
      close();
    },
  });
}
