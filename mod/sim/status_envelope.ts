/**
 * Status notifications as Model Runner publishes them and SNS delivers them
 * to the SQS status queue (raw delivery off): the SNS JSON envelope with the
 * keys in the order of the reference fixtures, `Type`/`Value` attributes, and
 * `processing_duration` only when it is more than 0 seconds.
 *
 * @example
 * ```ts
 * import { buildStatusEnvelope } from "./status_envelope.ts";
 * const body = buildStatusEnvelope({
 *   status: "STARTED", jobId: "j1", imageUrl: "s3://b/k.tif", reason: "Started image request",
 *   durationSeconds: 0, region: "us-west-2", account: "123456789012",
 * });
 * JSON.parse(body).MessageAttributes.status.Value; // "STARTED"
 * ```
 * @module
 */
import type { Prng } from "./prng.ts";

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
 * import { STATUS_REASONS } from "./status_envelope.ts";
 * STATUS_REASONS.IN_PROGRESS; // "Processing regions"
 * ```
 */
export const STATUS_REASONS = {
  STARTED: "Started image request",
  IN_PROGRESS: "Processing regions",
  DONE: "Completed image processing",
} as const;

function fakeSignature(rng: Prng | undefined): string {
  const bytes = rng ? rng.bytes(256) : crypto.getRandomValues(new Uint8Array(256));
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

/**
 * The SNS envelope object (keys in fixture order).
 *
 * @example
 * ```ts
 * import { statusEnvelope } from "./status_envelope.ts";
 * Object.keys(statusEnvelope({ status: "SUCCESS", jobId: "j", imageUrl: "s3://b/k", reason: "Completed image processing",
 *   durationSeconds: 2, region: "us-west-2", account: "123456789012" }))[0]; // "Type"
 * ```
 */
export function statusEnvelope(n: StatusNotification): Record<string, unknown> {
  const topic = n.topic ?? "ImageStatusTopic";
  const topicArn = `arn:aws:sns:${n.region}:${n.account}:${topic}`;
  const attrs: Record<string, { Type: string; Value: string }> = {
    status: { Type: "String", Value: n.status },
    image_status: { Type: "String", Value: n.status },
    job_id: { Type: "String", Value: n.jobId },
    image_id: { Type: "String", Value: `${n.jobId}:${n.imageUrl}` },
  };
  const duration = Math.floor(n.durationSeconds);
  if (duration > 0) attrs.processing_duration = { Type: "String", Value: String(duration) };
  return {
    Type: "Notification",
    MessageId: crypto.randomUUID(),
    TopicArn: topicArn,
    Message: `StatusMonitor update: RequestStatus.${n.status} ${n.jobId}: ${n.reason}`,
    Timestamp: new Date(n.at ?? Date.now()).toISOString(),
    SignatureVersion: "1",
    Signature: fakeSignature(n.rng),
    SigningCertURL:
      `https://sns.${n.region}.amazonaws.com/SimpleNotificationService-0000000000000000000000000000000.pem`,
    UnsubscribeURL:
      `https://sns.${n.region}.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${topicArn}:${
        n.subscriptionId ?? crypto.randomUUID()
      }`,
    MessageAttributes: attrs,
  };
}

/**
 * The SQS message body SNS delivers: the envelope as indented JSON.
 *
 * @example
 * ```ts
 * import { buildStatusEnvelope } from "./status_envelope.ts";
 * buildStatusEnvelope({ status: "FAILED", jobId: "j", imageUrl: "s3://b/k", reason: "oops",
 *   durationSeconds: 0, region: "us-west-2", account: "123456789012" });
 * ```
 */
export function buildStatusEnvelope(n: StatusNotification): string {
  return JSON.stringify(statusEnvelope(n), null, 2);
}
