/**
 * Parse one status-queue message body, as upstream's monitor does
 * (docs/compatibility.md#status-parsing): the SNS envelope's `MessageAttributes`
 * (`image_id`, `status` or else `image_status`, `job_id`, `processing_duration`),
 * falling back to the envelope's `Message` parsed as JSON. Also accepts raw
 * (non-enveloped) JSON bodies with the same attribute object.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { parseStatusMessage } from "./status_message.ts";
 * const body = JSON.stringify({
 *   Type: "Notification",
 *   Message: "StatusMonitor update: RequestStatus.SUCCESS abc: done",
 *   MessageAttributes: {
 *     status: { Type: "String", Value: "SUCCESS" },
 *     image_id: { Type: "String", Value: "abc:s3://b/k.tif" },
 *     processing_duration: { Type: "String", Value: "42" },
 *   },
 * });
 * assert.deepEqual(parseStatusMessage(body), { imageId: "abc:s3://b/k.tif", jobId: "abc", status: "SUCCESS", durationS: 42 });
 * ```
 * @module
 */

/** A parsed status message. */
export interface ParsedStatus {
  imageId: string;
  jobId: string;
  status: string;
  /** Seconds; null when absent, ≤ 0, or not numeric. */
  durationS: number | null;
  /** The SNS envelope's `Timestamp` (ms since epoch), when it has one. */
  publishedAt?: number;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function attribute(attributes: Json, name: string): string | undefined {
  const entry = attributes[name];
  if (!isObject(entry)) return undefined;
  const value = entry.Value ?? entry.StringValue;
  return typeof value === "string" && value !== "" ? value : undefined;
}

function duration(value: unknown): number | null {
  const n = typeof value === "number" ? value : typeof value === "string" ? Number(value) : NaN;
  return Number.isFinite(n) && n > 0 ? n : null;
}

/** Parse a body; undefined when it has no image id or no status (malformed for this tool). */
export function parseStatusMessage(body: string): ParsedStatus | undefined {
  let envelope: unknown;
  try {
    envelope = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!isObject(envelope)) return undefined;
  const attributes = isObject(envelope.MessageAttributes) ? envelope.MessageAttributes : {};
  let imageId = attribute(attributes, "image_id");
  let status = attribute(attributes, "status") ?? attribute(attributes, "image_status");
  let jobId = attribute(attributes, "job_id");
  let rawDuration: unknown = attribute(attributes, "processing_duration");
  if ((!imageId || !status) && typeof envelope.Message === "string") {
    try {
      const inner: unknown = JSON.parse(envelope.Message);
      if (isObject(inner)) {
        const request = isObject(inner.request) ? inner.request : {};
        status ??= typeof inner.status === "string" ? inner.status : undefined;
        imageId ??= typeof inner.image_id === "string"
          ? inner.image_id
          : typeof request.image_id === "string"
          ? request.image_id
          : undefined;
        rawDuration ??= request.processing_duration;
        jobId ??= typeof inner.job_id === "string" ? inner.job_id : undefined;
      }
    } catch {
      // Model Runner's Message is plain text; nothing more to read.
    }
  }
  if (!imageId || !status) return undefined;
  jobId ??= imageId.includes(":") ? imageId.slice(0, imageId.indexOf(":")) : imageId;
  // SNS's publish time: when the status happened, whatever the monitor's polling delay.
  const publishedAt = typeof envelope.Timestamp === "string"
    ? Date.parse(envelope.Timestamp)
    : Number.NaN;
  return {
    imageId,
    jobId,
    status,
    durationS: duration(rawDuration),
    ...(Number.isFinite(publishedAt) ? { publishedAt } : {}),
  };
}
