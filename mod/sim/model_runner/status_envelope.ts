/**
 * Status notifications as Model Runner publishes them and SNS delivers them
 * to the SQS status queue (raw delivery off): the SNS JSON envelope with the
 * keys in the order of the reference fixtures, `Type`/`Value` attributes, and
 * `processing_duration` only when it is more than 0 seconds.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { buildStatusEnvelope } from "./status_envelope.ts";
 * const body = buildStatusEnvelope({
 *   status: "STARTED", jobId: "j1", imageUrl: "s3://b/k.tif", reason: "Started image request",
 *   durationSeconds: 0, region: "us-west-2", account: "123456789012",
 * });
 * assert.equal(JSON.parse(body).MessageAttributes.status.Value, "STARTED");
 * ```
 * @module
 */
import type { Prng } from "../aws/prng.ts";
import { type EnvelopeAttribute, fakeSignature, snsEnvelope } from "../aws/sns_envelope.ts";

/** The statuses Model Runner publishes for an image. */
export type ImageStatus = "STARTED" | "IN_PROGRESS" | "SUCCESS" | "PARTIAL" | "FAILED";

/** What one notification says. */
export interface StatusNotification {
  status: ImageStatus;
  jobId: string;
  imageUrl: string;
  /** The reason text after `<jobId>: `. */
  reason: string;
  /** Whole seconds; omitted from the attributes when 0. */
  durationSeconds: number;
  region: string;
  account: string;
  /** Topic name (default `ImageStatusTopic`). */
  topic?: string;
  /** Subscription id used in the UnsubscribeURL (default random). */
  subscriptionId?: string;
  /** Source of the fake signature bytes (default Math.random). */
  rng?: Prng;
  /** Timestamp (ms since epoch, default now). */
  at?: number;
}

/**
 * The reason texts the real service uses.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { STATUS_REASONS } from "./status_envelope.ts";
 * assert.equal(STATUS_REASONS.IN_PROGRESS, "Processing regions");
 * ```
 */
export const STATUS_REASONS = {
  STARTED: "Started image request",
  IN_PROGRESS: "Processing regions",
  DONE: "Completed image processing",
} as const;

/**
 * The message attributes Model Runner publishes with a status, in its order:
 * `status`, `image_status`, `job_id`, `image_id`, and `processing_duration`
 * (whole seconds) only when it is more than 0.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { statusAttributes } from "./status_envelope.ts";
 * assert.deepEqual(Object.keys(statusAttributes({ status: "STARTED", jobId: "j", imageUrl: "s3://b/k", reason: "r",
 *   durationSeconds: 0, region: "us-west-2", account: "123456789012" })), ["status", "image_status", "job_id", "image_id"]);
 * ```
 */
export function statusAttributes(n: StatusNotification): Record<string, EnvelopeAttribute> {
  const attrs: Record<string, EnvelopeAttribute> = {
    status: { Type: "String", Value: n.status },
    image_status: { Type: "String", Value: n.status },
    job_id: { Type: "String", Value: n.jobId },
    image_id: { Type: "String", Value: `${n.jobId}:${n.imageUrl}` },
  };
  const duration = Math.floor(n.durationSeconds);
  if (duration > 0) attrs.processing_duration = { Type: "String", Value: String(duration) };
  return attrs;
}

/**
 * The message text Model Runner publishes with a status.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { statusMessage } from "./status_envelope.ts";
 * assert.equal(
 *   statusMessage({ status: "SUCCESS", jobId: "j", imageUrl: "s3://b/k", reason: "Completed image processing",
 *     durationSeconds: 2, region: "us-west-2", account: "123456789012" }),
 *   "StatusMonitor update: RequestStatus.SUCCESS j: Completed image processing",
 * );
 * ```
 */
export function statusMessage(n: StatusNotification): string {
  return `StatusMonitor update: RequestStatus.${n.status} ${n.jobId}: ${n.reason}`;
}

/**
 * The SNS envelope object (keys in fixture order).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { statusEnvelope } from "./status_envelope.ts";
 * const envelope = statusEnvelope({ status: "SUCCESS", jobId: "j", imageUrl: "s3://b/k",
 *   reason: "Completed image processing", durationSeconds: 2, region: "us-west-2", account: "123456789012" });
 * assert.equal(Object.keys(envelope)[0], "Type");
 * ```
 */
export function statusEnvelope(n: StatusNotification): Record<string, unknown> {
  const topic = n.topic ?? "ImageStatusTopic";
  const topicArn = `arn:aws:sns:${n.region}:${n.account}:${topic}`;
  return snsEnvelope({
    messageId: crypto.randomUUID(),
    topicArn,
    message: statusMessage(n),
    timestamp: n.at ?? Date.now(),
    signature: fakeSignature(n.rng),
    subscriptionArn: `${topicArn}:${n.subscriptionId ?? crypto.randomUUID()}`,
    attributes: statusAttributes(n),
  });
}

/**
 * The SQS message body SNS delivers: the envelope as indented JSON.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { buildStatusEnvelope } from "./status_envelope.ts";
 * const body = buildStatusEnvelope({ status: "FAILED", jobId: "j", imageUrl: "s3://b/k", reason: "oops",
 *   durationSeconds: 0, region: "us-west-2", account: "123456789012" });
 * assert.equal(JSON.parse(body).MessageAttributes.status.Value, "FAILED");
 * ```
 */
export function buildStatusEnvelope(n: StatusNotification): string {
  return JSON.stringify(statusEnvelope(n), null, 2);
}
