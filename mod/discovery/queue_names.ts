/**
 * Queue-name rules of the upstream suite (docs/compatibility.md#queue-names).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { deriveStatusQueueName, queueNameFromUrl } from "./queue_names.ts";
 * assert.equal(queueNameFromUrl("https://sqs.us-west-2.amazonaws.com/123456789012/ImageRequestQueue"), "ImageRequestQueue");
 * assert.equal(deriveStatusQueueName("ImageRequestQueue"), "ImageStatusQueue");
 * ```
 * @module
 */

/** A queue URL becomes the part after its last `/`; any other value is returned unchanged. */
export function queueNameFromUrl(value: string): string {
  if (!value.startsWith("http")) return value;
  const trimmed = value.replace(/\/+$/, "");
  return trimmed.slice(trimmed.lastIndexOf("/") + 1);
}

/**
 * The status queue name derived from the request queue name: every `Request`
 * becomes `Status`; else a trailing `Queue` becomes `StatusQueue`; else
 * `Status` is appended.
 */
export function deriveStatusQueueName(imageQueueName: string): string {
  if (imageQueueName.includes("Request")) return imageQueueName.replaceAll("Request", "Status");
  if (imageQueueName.endsWith("Queue")) return imageQueueName.replaceAll("Queue", "StatusQueue");
  return `${imageQueueName}Status`;
}
