/**
 * Image request bodies as the original suite builds them
 * (docs/compatibility.md#request-default-user and
 * docs/compatibility.md#request-submit-and-wait), and fresh job ids.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { buildLoadTestRequest, newJobId } from "./image_request.ts";
 * const jobId = newJobId();
 * const body = buildLoadTestRequest({
 *   jobId, imageUrl: "s3://images/small.tif", resultBucket: "results",
 *   modelName: "centerpoint", kinesisStream: "mr-stream-sink-123456789012",
 * });
 * assert.equal(body.jobName, `load-test-${jobId}`);
 * ```
 * @module
 */

/** An image request as sent to the Model Runner request queue (a JSON object). */
export type ImageRequestBody = Record<string, unknown> & {
  jobId: string;
  jobName?: string;
  imageUrls: string[];
};

/** Length of a run's job-id prefix, in hex characters (see {@linkcode newRunPrefix}). */
export const RUN_PREFIX_LENGTH = 8;

let jobIdPrefix = "";

function randomHex(chars: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(Math.ceil(chars / 2)));
  let hex = "";
  for (const byte of bytes) hex += byte.toString(16).padStart(2, "0");
  return hex.slice(0, chars);
}

/**
 * A fresh run prefix: {@linkcode RUN_PREFIX_LENGTH} random lowercase hex
 * characters. Every job id of the run starts with it, so a status subscription
 * can filter the run's jobs by prefix, and the ids keep upstream's form.
 *
 * @example
 * ```ts
 * import { newRunPrefix } from "./image_request.ts";
 * if (!/^[0-9a-f]{8}$/.test(newRunPrefix())) throw new Error("8 hex characters");
 * ```
 */
export function newRunPrefix(): string {
  return randomHex(RUN_PREFIX_LENGTH);
}

/**
 * Make {@linkcode newJobId} start every id with `prefix` in this isolate (a
 * user worker sets its run's prefix once, at start). `""` turns it off.
 *
 * @example
 * ```ts
 * import { newJobId, setJobIdPrefix } from "./image_request.ts";
 * setJobIdPrefix("0badcafe");
 * if (!newJobId().startsWith("0badcafe")) throw new Error("ids carry the prefix");
 * setJobIdPrefix("");
 * ```
 */
export function setJobIdPrefix(prefix: string): void {
  if (!/^[0-9a-f]{0,31}$/.test(prefix)) {
    throw new RangeError(
      `job id prefix ${JSON.stringify(prefix)} must be at most 31 lowercase hex characters`,
    );
  }
  jobIdPrefix = prefix;
}

/**
 * A fresh job id: 32 lowercase hex characters (upstream's `token_hex(16)`),
 * starting with `prefix` (default: the prefix set by
 * {@linkcode setJobIdPrefix}); the rest is random.
 *
 * @example
 * ```ts
 * import { newJobId } from "./image_request.ts";
 * const id = newJobId("abc123");
 * if (!/^abc123[0-9a-f]{26}$/.test(id)) throw new Error("32 hex characters, prefix first");
 * ```
 */
export function newJobId(prefix: string = jobIdPrefix): string {
  return prefix + randomHex(32 - prefix.length);
}

/** The NMS post-processing step every built request carries. */
function postProcessing() {
  return [{
    step: "FEATURE_DISTILLATION",
    algorithm: { algorithmType: "NMS", iouThreshold: 0.75 },
  }];
}

/** Inputs of {@linkcode buildLoadTestRequest}. */
export interface LoadTestRequestInput {
  jobId: string;
  imageUrl: string;
  /** Result bucket name (no `s3://`, no trailing `/`). */
  resultBucket: string;
  modelName: string;
  /** `<KINESIS_RESULTS_STREAM_PREFIX>-<account>`. */
  kinesisStream: string;
}

/** The default user's request (docs/compatibility.md#request-default-user), keys in upstream's order. */
export function buildLoadTestRequest(input: LoadTestRequestInput): ImageRequestBody {
  const jobName = `load-test-${input.jobId}`;
  return {
    jobName,
    jobId: input.jobId,
    imageUrls: [input.imageUrl],
    outputs: [
      { type: "S3", bucket: input.resultBucket, prefix: `${jobName}/` },
      { type: "Kinesis", stream: input.kinesisStream, batchSize: 1000 },
    ],
    imageProcessor: { name: input.modelName, type: "SM_ENDPOINT" },
    imageProcessorTileSize: 512,
    imageProcessorTileOverlap: 128,
    imageProcessorTileFormat: "GTIFF",
    imageProcessorTileCompression: "NONE",
    postProcessing: postProcessing(),
  };
}

/** Inputs of {@linkcode buildModelRunnerRequest}. */
export interface ModelRunnerRequestInput {
  jobId: string;
  imageUrl: string;
  /** `--test-results-location`, e.g. `s3://bucket/prefix`. */
  resultsLocation: string;
  endpoint: string;
}

/**
 * The submit-and-wait base's request (docs/compatibility.md#request-submit-and-wait): tile 4096 / overlap 50 / NITF,
 * S3 output only, `regionOfInterest: null`, `featureProperties: []`. The output
 * prefix is the location's path plus `<jobName>/`. (Upstream kept the bucket
 * in the prefix when the location had no scheme; here the bucket is always
 * the first segment.)
 */
export function buildModelRunnerRequest(input: ModelRunnerRequestInput): ImageRequestBody {
  const jobName = `test-${input.jobId}`;
  const rest = input.resultsLocation.replace(/^s3:\/\//i, "");
  const slash = rest.indexOf("/");
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  let prefix = slash < 0 ? "" : rest.slice(slash + 1).replace(/^\/+/, "");
  if (prefix && !prefix.endsWith("/")) prefix += "/";
  return {
    jobName,
    jobId: input.jobId,
    imageUrls: [input.imageUrl],
    outputs: [{ type: "S3", bucket, prefix: `${prefix}${jobName}/` }],
    imageProcessor: { name: input.endpoint, type: "SM_ENDPOINT" },
    imageProcessorTileSize: 4096,
    imageProcessorTileOverlap: 50,
    imageProcessorTileFormat: "NITF",
    imageProcessorTileCompression: "NONE",
    postProcessing: postProcessing(),
    regionOfInterest: null,
    featureProperties: [],
  };
}

/** The tracker key of a request: `<jobId>:<imageUrls[0]>`, as Model Runner's image_id. */
export function imageIdOf(request: { jobId: string; imageUrls: string[] }): string {
  return `${request.jobId}:${request.imageUrls[0] ?? ""}`;
}

/** The Locust entry name: `<last URL segment>:<model>`. */
export function entryName(imageUrl: string, model: string): string {
  return `${imageUrl.slice(imageUrl.lastIndexOf("/") + 1)}:${model}`;
}

/**
 * The Locust entry name of a request body: its first image and its processor's name, or
 * `invalid_request` when either is missing (as a waiting user records it).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { requestEntryName } from "./image_request.ts";
 * const body = { imageUrls: ["s3://b/a.tif"], imageProcessor: { name: "m" } };
 * assert.equal(requestEntryName(body), "a.tif:m");
 * assert.equal(requestEntryName({ imageUrls: [] }), "invalid_request");
 * ```
 */
export function requestEntryName(
  request: Readonly<Record<string, unknown>> & { imageUrls: readonly string[] },
): string {
  const imageUrl = request.imageUrls[0] ?? "";
  const endpoint = requestProcessorName(request);
  return imageUrl && endpoint ? entryName(imageUrl, endpoint) : "invalid_request";
}

/**
 * The name of a request body's image processor (its SageMaker endpoint), when it has one.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { requestProcessorName } from "./image_request.ts";
 * assert.equal(requestProcessorName({ imageProcessor: { name: "m", type: "SM_ENDPOINT" } }), "m");
 * assert.equal(requestProcessorName({}), undefined);
 * ```
 */
export function requestProcessorName(
  request: Readonly<Record<string, unknown>>,
): string | undefined {
  const processor = request.imageProcessor as { name?: unknown } | undefined;
  return typeof processor?.name === "string" ? processor.name : undefined;
}
