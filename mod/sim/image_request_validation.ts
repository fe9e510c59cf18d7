/**
 * Validation of an image request the way the real Model Runner checks it
 * (upstream-behaviour.md §4.5): what makes a message go to the dead-letter
 * queue with no status.
 *
 * @example
 * ```ts
 * import { validateImageRequest } from "./image_request_validation.ts";
 * const r = validateImageRequest(JSON.parse('{"jobId":"j","imageUrls":["s3://b/k.tif"],' +
 *   '"imageProcessor":{"name":"centerpoint"},"imageProcessorTileSize":512,"imageProcessorTileOverlap":128}'));
 * r.ok; // true
 * ```
 * @module
 */

/** A sink the request asks the features to go to. */
export type OutputSink =
  | { type: "S3"; bucket: string; prefix: string }
  | { type: "Kinesis"; stream: string };

/** The parts of a valid request the simulator uses. */
export interface ImageRequest {
  jobId: string;
  imageUrl: string;
  /** `<jobId>:<imageUrls[0]>`. */
  imageId: string;
  modelName: string;
  processorType: "NONE" | "SM_ENDPOINT" | "HTTP_ENDPOINT";
  tileSize: number;
  tileOverlap: number;
  outputs: OutputSink[];
}

/** The result of {@linkcode validateImageRequest}. */
export type ValidationResult = { ok: true; request: ImageRequest } | { ok: false; reason: string };

const PROCESSOR_TYPES = ["NONE", "SM_ENDPOINT", "HTTP_ENDPOINT"] as const;
const TILE_FORMATS = ["NITF", "JPEG", "PNG", "GTIFF"];
const COMPRESSIONS = ["NONE", "JPEG", "J2K", "LZW"];

function intLike(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isFinite(v)) return Math.trunc(v);
  if (typeof v === "string" && /^\s*[+-]?\d+\s*$/.test(v)) return Number(v);
  return undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/**
 * Check a parsed request body; returns the request or why it is invalid.
 *
 * @example
 * ```ts
 * import { validateImageRequest } from "./image_request_validation.ts";
 * validateImageRequest({ jobId: "" }); // { ok: false, reason: "jobId is missing or empty" }
 * ```
 */
export function validateImageRequest(body: unknown): ValidationResult {
  const fail = (reason: string): ValidationResult => ({ ok: false, reason });
  if (!isRecord(body)) return fail("the request is not a JSON object");
  const jobId = body.jobId;
  if (typeof jobId !== "string" || jobId === "") return fail("jobId is missing or empty");
  const urls = body.imageUrls;
  if (!Array.isArray(urls) || typeof urls[0] !== "string" || urls[0] === "") {
    return fail("imageUrls[0] is missing");
  }
  const imageUrl = urls[0];
  const processor = body.imageProcessor;
  if (!isRecord(processor)) return fail("imageProcessor is missing");
  if (typeof processor.name !== "string" || processor.name === "") {
    return fail("imageProcessor.name is missing");
  }
  let processorType: ImageRequest["processorType"] = "SM_ENDPOINT";
  if (processor.type !== undefined && processor.type !== null) {
    const t = PROCESSOR_TYPES.find((p) => p === processor.type);
    if (!t) return fail(`imageProcessor.type ${JSON.stringify(processor.type)} is unknown`);
    processorType = t;
  }
  if (
    processor.assumedRole !== undefined && processor.assumedRole !== null &&
    !(typeof processor.assumedRole === "string" && processor.assumedRole.startsWith("arn:"))
  ) return fail("imageProcessor.assumedRole does not start with arn:");
  const tileSize = intLike(body.imageProcessorTileSize);
  const tileOverlap = intLike(body.imageProcessorTileOverlap);
  if (tileSize === undefined) return fail("imageProcessorTileSize is missing or not a number");
  if (tileOverlap === undefined) {
    return fail("imageProcessorTileOverlap is missing or not a number");
  }
  if (!(tileOverlap >= 0 && tileOverlap < tileSize)) {
    return fail(`tile overlap ${tileOverlap} is not in [0, tile size ${tileSize})`);
  }
  const format = body.imageProcessorTileFormat;
  if (format !== undefined && format !== null && !TILE_FORMATS.includes(String(format))) {
    return fail(`imageProcessorTileFormat ${JSON.stringify(format)} is unknown`);
  }
  const compression = body.imageProcessorTileCompression;
  if (
    compression !== undefined && compression !== null && !COMPRESSIONS.includes(String(compression))
  ) return fail(`imageProcessorTileCompression ${JSON.stringify(compression)} is unknown`);
  const roi = body.regionOfInterest;
  if (roi !== undefined && roi !== null && typeof roi !== "string") {
    return fail("regionOfInterest is not a WKT string");
  }
  if (
    body.imageReadRole !== undefined && body.imageReadRole !== null &&
    !(typeof body.imageReadRole === "string" && body.imageReadRole.startsWith("arn:"))
  ) return fail("imageReadRole does not start with arn:");
  const outputs: OutputSink[] = [];
  const rawOutputs: unknown[] = Array.isArray(body.outputs) ? body.outputs : [];
  if (body.outputs !== undefined && body.outputs !== null && !Array.isArray(body.outputs)) {
    return fail("outputs is not a list");
  }
  if (typeof body.outputBucket === "string" && typeof body.outputPrefix === "string") {
    rawOutputs.push({ type: "S3", bucket: body.outputBucket, prefix: body.outputPrefix });
  }
  for (const sink of rawOutputs) {
    if (!isRecord(sink)) return fail("an output sink is not an object");
    if (sink.type === "S3") {
      if (typeof sink.bucket !== "string" || sink.bucket === "") {
        return fail("S3 sink without bucket");
      }
      if (typeof sink.prefix !== "string") return fail("S3 sink without prefix");
      outputs.push({ type: "S3", bucket: sink.bucket, prefix: sink.prefix });
    } else if (sink.type === "Kinesis") {
      if (typeof sink.stream !== "string" || sink.stream === "") {
        return fail("Kinesis sink without stream");
      }
      outputs.push({ type: "Kinesis", stream: sink.stream });
    } else {
      return fail(`sink type ${JSON.stringify(sink.type)} is not S3 or Kinesis`);
    }
  }
  if (body.postProcessing !== undefined && body.postProcessing !== null) {
    if (!Array.isArray(body.postProcessing)) return fail("postProcessing is not a list");
    const distillations = body.postProcessing.filter((s) =>
      isRecord(s) && s.step === "FEATURE_DISTILLATION"
    );
    if (distillations.length > 1) return fail("more than one FEATURE_DISTILLATION step");
  }
  return {
    ok: true,
    request: {
      jobId,
      imageUrl,
      imageId: `${jobId}:${imageUrl}`,
      modelName: processor.name,
      processorType,
      tileSize,
      tileOverlap,
      outputs,
    },
  };
}
