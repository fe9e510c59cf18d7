/**
 * An error the simulator answers with, shaped the way the real AWS service
 * sends it for the protocol at hand (JSON `__type`, query/REST XML `Code`).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { AwsError } from "./aws_error.ts";
 * const error = new AwsError(400, "QueueDoesNotExist", "The specified queue does not exist.", {
 *   queryCode: "AWS.SimpleQueueService.NonExistentQueue",
 * });
 * assert.equal(error.status, 400);
 * assert.equal(error.details.queryCode, "AWS.SimpleQueueService.NonExistentQueue");
 * ```
 * @module
 */

/** Extra protocol details for an {@linkcode AwsError}. */
export interface AwsErrorDetails {
  /** The AWS Query error code (SQS sends it in `x-amzn-query-error`). */
  queryCode?: string;
  /** `Sender` (client fault, default for 4xx) or `Receiver` (server fault). */
  fault?: "Sender" | "Receiver";
  /** JSON `__type` namespace prefix, e.g. `com.amazonaws.sqs#`. */
  namespace?: string;
}

/** An AWS-shaped error: HTTP status, error code, message. */
export class AwsError extends Error {
  /** HTTP status code to answer with. */
  readonly status: number;
  /** The AWS error code, e.g. `ThrottlingException`, `NoSuchBucket`. */
  readonly code: string;
  /** Protocol-specific details. */
  readonly details: AwsErrorDetails;

  /** Make an AWS error. */
  constructor(status: number, code: string, message: string, details: AwsErrorDetails = {}) {
    super(message);
    this.name = "AwsError";
    this.status = status;
    this.code = code;
    this.details = details;
  }
}
