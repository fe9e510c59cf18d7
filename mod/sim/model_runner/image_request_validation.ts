/**
 * Validation of an image request the way the real Model Runner checks it
 * (docs/compatibility.md#request-rules): what makes a message go to the dead-letter
 * queue with no status.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { validateImageRequest } from "./image_request_validation.ts";
 * const r = validateImageRequest(JSON.parse('{"jobId":"j","imageUrls":["s3://b/k.tif"],' +
 *   '"imageProcessor":{"name":"centerpoint"},"imageProcessorTileSize":512,"imageProcessorTileOverlap":128}'));
 * assert.equal(r.ok, true);
 * ```
 * @module
 */

import {
  imageRequestProblems,
  intLike,
  isRecord,
  PROCESSOR_TYPES,
  type ProcessorType,
} from "../../requests/image_request_rules.ts";

/** A sink the request asks the features to go to. */
export type OutputSink =
  | { type: "S3"; bucket: string; prefix: string }
  | { type: "Kinesis"; stream: string };

/** The parts of a valid request the simulator uses. */
export interface ParsedImageRequest {
  jobId: string;
  imageUrl: string;
  /** `<jobId>:<imageUrls[0]>`. */
  imageId: string;
  modelName: string;
  processorType: ProcessorType;
  tileSize: number;
  tileOverlap: number;
  outputs: OutputSink[];
}

/** The result of {@linkcode validateImageRequest}. */
export type ValidationResult = { ok: true; request: ParsedImageRequest } | {
  ok: false;
  reason: string;
};

/**
 * Check a parsed request body; returns the request or why it is invalid.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { validateImageRequest } from "./image_request_validation.ts";
 * assert.deepEqual(validateImageRequest({ jobId: "" }), { ok: false, reason: "jobId is missing or empty" });
 * ```
 */
export function validateImageRequest(body: unknown): ValidationResult {
  const problem = imageRequestProblems(body, { template: false })[0];
  if (problem) return { ok: false, reason: `${problem.field} ${problem.problem}` };
  const request = body as Record<string, unknown>;
  const jobId = request.jobId as string;
  const imageUrl = (request.imageUrls as string[])[0]!;
  const processor = request.imageProcessor as Record<string, unknown>;
  const processorType = PROCESSOR_TYPES.find((p) => p === processor.type) ?? "SM_ENDPOINT";
  const rawOutputs: unknown[] = Array.isArray(request.outputs) ? [...request.outputs] : [];
  if (typeof request.outputBucket === "string" && typeof request.outputPrefix === "string") {
    // The legacy form: one S3 sink from outputBucket + outputPrefix.
    rawOutputs.push({ type: "S3", bucket: request.outputBucket, prefix: request.outputPrefix });
  }
  const outputs: OutputSink[] = [];
  for (const sink of rawOutputs) {
    if (!isRecord(sink)) continue;
    if (sink.type === "S3") {
      outputs.push({ type: "S3", bucket: String(sink.bucket), prefix: String(sink.prefix) });
    } else if (sink.type === "Kinesis") {
      outputs.push({ type: "Kinesis", stream: String(sink.stream) });
    }
  }
  return {
    ok: true,
    request: {
      jobId,
      imageUrl,
      imageId: `${jobId}:${imageUrl}`,
      modelName: String(processor.name),
      processorType,
      tileSize: intLike(request.imageProcessorTileSize)!,
      tileOverlap: intLike(request.imageProcessorTileOverlap)!,
      outputs,
    },
  };
}
