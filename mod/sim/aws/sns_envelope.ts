/**
 * The JSON envelope SNS wraps a notification in when it delivers to an SQS
 * queue without raw message delivery: keys in the order of the reference
 * fixtures (`Type`, `MessageId`, `TopicArn`, [`Subject`], `Message`,
 * `Timestamp`, `SignatureVersion`, `Signature`, `SigningCertURL`,
 * `UnsubscribeURL`, [`MessageAttributes`]), attributes as `{Type, Value}`,
 * and the SQS body as 2-space indented JSON.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { snsEnvelope } from "./sns_envelope.ts";
 * const env = snsEnvelope({
 *   messageId: "m-1", topicArn: "arn:aws:sns:us-west-2:123456789012:t", message: "hi",
 *   timestamp: 0, subscriptionArn: "arn:aws:sns:us-west-2:123456789012:t:s-1",
 *   attributes: { job_id: { Type: "String", Value: "j" } },
 * });
 * assert.equal(env.Timestamp, "1970-01-01T00:00:00.000Z");
 * assert.deepEqual(env.MessageAttributes, { job_id: { Type: "String", Value: "j" } });
 * ```
 * @module
 */
import type { Prng } from "./prng.ts";

/** A message attribute in an envelope: `{ "Type": "String", "Value": "..." }`. */
export interface EnvelopeAttribute {
  Type: string;
  Value: string;
}

/** What one delivered notification says. */
export interface SnsEnvelopeInput {
  messageId: string;
  topicArn: string;
  message: string;
  subject?: string | undefined;
  /** ms since epoch. */
  timestamp: number;
  /** The subscription the copy goes to (it names the UnsubscribeURL). */
  subscriptionArn: string;
  /** In publish order; omitted from the envelope when empty. */
  attributes?: Record<string, EnvelopeAttribute> | undefined;
  /** A precomputed fake signature (base64); default 256 random bytes. */
  signature?: string | undefined;
}

/**
 * A fake SNS signature: base64 of 256 bytes (from `rng`, or random).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { fakeSignature } from "./sns_envelope.ts";
 * assert.equal(atob(fakeSignature()).length, 256);
 * ```
 */
export function fakeSignature(rng?: Prng): string {
  const bytes = rng ? rng.bytes(256) : crypto.getRandomValues(new Uint8Array(256));
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

function regionOf(arn: string): string {
  return arn.split(":")[3] ?? "us-east-1";
}

/**
 * The envelope object, keys in SNS's order.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { snsEnvelope } from "./sns_envelope.ts";
 * const envelope = snsEnvelope({ messageId: "m", topicArn: "arn:aws:sns:us-west-2:1:t", message: "x",
 *   timestamp: 0, subscriptionArn: "arn:aws:sns:us-west-2:1:t:s" });
 * assert.equal(Object.keys(envelope)[0], "Type");
 * ```
 */
export function snsEnvelope(input: SnsEnvelopeInput): Record<string, unknown> {
  const region = regionOf(input.topicArn);
  const env: Record<string, unknown> = {
    Type: "Notification",
    MessageId: input.messageId,
    TopicArn: input.topicArn,
  };
  if (input.subject !== undefined) env.Subject = input.subject;
  env.Message = input.message;
  env.Timestamp = new Date(input.timestamp).toISOString();
  env.SignatureVersion = "1";
  env.Signature = input.signature ?? fakeSignature();
  env.SigningCertURL =
    `https://sns.${region}.amazonaws.com/SimpleNotificationService-0000000000000000000000000000000.pem`;
  env.UnsubscribeURL =
    `https://sns.${region}.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${input.subscriptionArn}`;
  if (input.attributes && Object.keys(input.attributes).length > 0) {
    env.MessageAttributes = input.attributes;
  }
  return env;
}

/**
 * The SQS message body SNS delivers: the envelope as 2-space indented JSON.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { snsEnvelopeBody } from "./sns_envelope.ts";
 * const body = snsEnvelopeBody({ messageId: "m", topicArn: "arn:aws:sns:us-west-2:1:t", message: "x",
 *   timestamp: 0, subscriptionArn: "arn:aws:sns:us-west-2:1:t:s" });
 * assert.equal(JSON.parse(body).Message, "x");
 * ```
 */
export function snsEnvelopeBody(input: SnsEnvelopeInput): string {
  return JSON.stringify(snsEnvelope(input), null, 2);
}
