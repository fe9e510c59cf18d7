/**
 * Reading AWS SDK errors without loading any SDK client: the error code, the
 * HTTP status, and Locust-style descriptions for the failure table.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { awsErrorCode } from "./aws_errors.ts";
 * assert.equal(awsErrorCode(new Error("x")), "Error");
 * ```
 * @module
 */

/**
 * The AWS error code of an SDK error (`QueueDoesNotExist`, `NoSuchBucket`, ...),
 * or the error's name for other errors.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { awsErrorCode } from "./aws_errors.ts";
 * assert.equal(awsErrorCode(new Error("x")), "Error");
 * ```
 */
export function awsErrorCode(error: unknown): string {
  if (error && typeof error === "object") {
    const e = error as { name?: unknown; Code?: unknown; code?: unknown };
    if (typeof e.Code === "string") return e.Code;
    if (typeof e.name === "string" && e.name !== "Error") return e.name;
    if (typeof e.code === "string") return e.code;
  }
  return error instanceof Error ? error.name : "Error";
}

/** The HTTP status of an SDK error, if it had a response. */
export function awsHttpStatus(error: unknown): number | undefined {
  const meta = (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata;
  return meta?.httpStatusCode;
}

/**
 * Describe an error the way Locust's failure table shows a botocore error:
 * `ClientError('An error occurred (Code) when calling the Op operation: message')`.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { describeAwsError } from "./aws_errors.ts";
 * assert.equal(describeAwsError(new Error("boom"), "SendMessage"), "Error('boom')");
 * ```
 */
export function describeAwsError(error: unknown, operation: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const status = awsHttpStatus(error);
  if (status !== undefined) {
    const code = awsErrorCode(error);
    return `ClientError('An error occurred (${code}) when calling the ${operation} operation: ${message}')`;
  }
  const name = error instanceof Error ? error.name : "Error";
  return `${name}('${message}')`;
}
