/**
 * The submit-and-wait base, upstream's `ModelRunnerUser` / `ModelRunnerClient`
 * (docs/compatibility.md#submit-and-wait-user): send a request, wait for its terminal status
 * (the status monitor's event wakes the user; no polling sleep), resend the
 * same body while the result is PARTIAL (up to 3 attempts), and record one
 * `Process Image` sample named `<file>:<endpoint>` with length 0, failed unless
 * the final status is SUCCESS.
 *
 * Fixes of upstream's defects: statuses are compared by value
 * (docs/compatibility.md#fix-status-by-value); the wait ends after `--job-timeout` (default
 * 15 min, not 15 h: docs/compatibility.md#fix-job-timeout) as a
 * failure. A failed send is an exception (`_exceptions.csv`), not a sample, as
 * upstream; the user then waits 1 s before its next task so that a broken
 * queue does not become a busy loop (upstream: no wait at all).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { modelRunnerUserKind } from "./model_runner_user.ts";
 * import { buildModelRunnerRequest, newJobId } from "../requests/image_request.ts";
 * const kind = modelRunnerUserKind({
 *   name: "one-image",
 *   aliases: [],
 *   description: "process one image over and over",
 *   source: (ctx) => ({
 *     next: () => ({
 *       request: buildModelRunnerRequest({ jobId: newJobId(), imageUrl: "s3://b/small.tif",
 *         resultsLocation: ctx.settings.testResultsLocation, endpoint: "centerpoint" }),
 *     }),
 *   }),
 * });
 * assert.equal(kind.name, "one-image");
 * ```
 * @module
 */
import type { UserContext, UserKind } from "./user_kind.ts";
import {
  imageIdOf,
  type ImageRequestBody,
  requestEntryName,
  requestProcessorName,
} from "../requests/image_request.ts";
import { submitJob } from "./submit_job.ts";

/**
 * Attempts per request while the result is PARTIAL (upstream: 3).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { MAX_ATTEMPTS } from "./model_runner_user.ts";
 * assert.equal(MAX_ATTEMPTS, 3);
 * ```
 */
export const MAX_ATTEMPTS = 3;

/**
 * Locust request type of the submit-and-wait sample.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { PROCESS_IMAGE } from "./model_runner_user.ts";
 * assert.equal(PROCESS_IMAGE, "Process Image");
 * ```
 */
export const PROCESS_IMAGE = "Process Image";

/**
 * Wait after a task that raised (a failed send), in ms.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { ERROR_BACKOFF_MS } from "./model_runner_user.ts";
 * assert.equal(ERROR_BACKOFF_MS, 1000);
 * ```
 */
export const ERROR_BACKOFF_MS = 1000;

/**
 * Size in bytes and pixel count of an image, for the tracker.
 *
 * @example
 * ```ts
 * import type { ImageSize } from "./model_runner_user.ts";
 * const size: ImageSize = { size: 1_049_374, pixels: 1_048_576 };
 * ```
 */
export interface ImageSize {
  size: number;
  /** Null when the image's header could not be read (unknown, not 0). */
  pixels: number | null;
}

/**
 * The outcome of {@linkcode processImage}.
 *
 * @example
 * ```ts
 * import type { ProcessImageResult } from "./model_runner_user.ts";
 * const r: ProcessImageResult = { status: "SUCCESS", attempts: 1, responseTimeMs: 812 };
 * ```
 */
export interface ProcessImageResult {
  /** Final status: SUCCESS, FAILED, PARTIAL, or TIMEOUT. */
  status: string;
  /** Attempts made (1–3). */
  attempts: number;
  /** Elapsed ms over all attempts, waits included. */
  responseTimeMs: number;
  /** The sample's error text; absent on SUCCESS. */
  error?: string;
}

/**
 * The failure text of an unsuccessful job, as upstream's
 * `ModelRunnerClientException`: `Job Unsuccessful`, then `Status:`,
 * `Request ID:` (the jobId) and `Response:` with the JSON of
 * `{request, processing_time}` indented by 2.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { jobUnsuccessfulMessage } from "./model_runner_user.ts";
 * const text = jobUnsuccessfulMessage("FAILED", { jobId: "j", imageUrls: ["s3://b/a.tif"] }, 3);
 * assert.deepEqual(text.split("\n").slice(0, 3), ["Job Unsuccessful", "Status: FAILED", "Request ID: j"]);
 * ```
 */
export function jobUnsuccessfulMessage(
  status: string,
  request: ImageRequestBody,
  processingTime: number | null,
): string {
  const response = JSON.stringify({ request, processing_time: processingTime }, null, 2);
  return `Job Unsuccessful\nStatus: ${status}\nRequest ID: ${request.jobId}\nResponse: ${response}`;
}

/**
 * Raised when a request could not be sent (an exception, not a sample, as upstream).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { SendRequestError } from "./model_runner_user.ts";
 * assert.equal(
 *   new SendRequestError("https://sqs.us-west-2.amazonaws.com/1/ImageRequestQueue", "Error('x')").message,
 *   "Unable to send job request to SQS queue: ImageRequestQueue: Error('x')",
 * );
 * ```
 */
export class SendRequestError extends Error {
  /** `error` is the AWS error text from the send. */
  constructor(queueUrl: string, error: string) {
    super(
      `Unable to send job request to SQS queue: ${queueNameOf(queueUrl)}: ${error}`,
    );
    this.name = "SendRequestError";
  }
}

function queueNameOf(queueUrl: string): string {
  return queueUrl.slice(queueUrl.lastIndexOf("/") + 1) || queueUrl;
}

/**
 * Process one image request the submit-and-wait way and emit its
 * `Process Image` sample. `image` gives the size and pixels; without it they
 * come from `ctx.settings.imageSizes` by URL, else size 0 and pixels unknown
 * (null). Each send after a PARTIAL registers the job with the next
 * `attempt` (2, 3), which starts a new attempt in the tracker; a user that
 * was stopped sends no new attempt (the PARTIAL is the result). Returns undefined (and
 * emits nothing) when the user was stopped during the wait; throws
 * {@linkcode SendRequestError} when a send fails.
 *
 * @example
 * Not run as a test: it needs a user context, which a user worker builds for its users.
 * ```ts ignore
 * const result = await processImage(ctx, request);
 * result?.status; // "SUCCESS"
 * ```
 */
export async function processImage(
  ctx: UserContext,
  request: ImageRequestBody,
  image?: ImageSize,
): Promise<ProcessImageResult | undefined> {
  const imageUrl = request.imageUrls[0] ?? "";
  const endpoint = requestProcessorName(request);
  const name = requestEntryName(request);
  const known = image ?? ctx.settings.imageSizes[imageUrl] ?? { size: 0, pixels: null };
  const imageId = imageIdOf(request);
  const started = performance.now();
  let status = "TIMEOUT";
  let durationS: number | null = null;
  let attempts = 0;
  while (attempts < MAX_ATTEMPTS) {
    attempts++;
    const sent = await submitJob(ctx, request, {
      model: endpoint ?? "",
      size: known.size,
      pixels: known.pixels,
      awaited: true,
      attempt: attempts,
    });
    if (!sent.ok) throw new SendRequestError(ctx.settings.queueUrl, sent.error);
    const outcome = await ctx.waitForJob(imageId, ctx.settings.jobTimeoutMs);
    if (outcome.status === "STOPPED") return undefined;
    status = outcome.status;
    durationS = outcome.durationS === null ? null : Math.trunc(outcome.durationS);
    // A stopped user sends no new attempt: the PARTIAL is its result.
    if (status !== "PARTIAL" || ctx.signal.aborted) break;
  }
  const responseTimeMs = performance.now() - started;
  const error = status === "SUCCESS" ? undefined : jobUnsuccessfulMessage(
    status === "TIMEOUT"
      ? `TIMEOUT (no terminal status within --job-timeout ${ctx.settings.jobTimeoutMs / 1000} s)`
      : status,
    request,
    durationS,
  );
  ctx.emit({
    type: PROCESS_IMAGE,
    name,
    responseTimeMs,
    length: 0,
    ...(error === undefined ? {} : { error }),
    at: Date.now(),
  });
  return { status, attempts, responseTimeMs, ...(error === undefined ? {} : { error }) };
}

/**
 * The next request of a submit-and-wait user, with its image size when known.
 *
 * @example
 * ```ts
 * import type { NextRequest } from "./model_runner_user.ts";
 * const next: NextRequest = { request: { jobId: "j", imageUrls: ["s3://b/a.tif"] } };
 * ```
 */
export interface NextRequest {
  request: ImageRequestBody;
  image?: ImageSize;
}

/**
 * Where a submit-and-wait user's requests come from (one per user).
 *
 * @example
 * ```ts
 * import type { RequestSource } from "./model_runner_user.ts";
 * const source: RequestSource = { next: () => ({ request: { jobId: "j", imageUrls: ["s3://b/a.tif"] } }) };
 * ```
 */
export interface RequestSource {
  /** Called once before the first task. */
  onStart?(): Promise<void>;
  /** The next request to process. */
  next(): NextRequest;
}

/**
 * What {@linkcode modelRunnerUserKind} needs.
 *
 * @example
 * ```ts
 * import type { ModelRunnerUserSpec } from "./model_runner_user.ts";
 * const spec: ModelRunnerUserSpec = { name: "same", aliases: [], description: "one request",
 *   source: () => ({ next: () => ({ request: { jobId: "j", imageUrls: ["s3://b/a.tif"] } }) }) };
 * ```
 */
export interface ModelRunnerUserSpec {
  name: string;
  aliases: readonly string[];
  description: string;
  /** Make the request source of one user. */
  source(ctx: UserContext): RequestSource;
}

/**
 * A user kind built on the submit-and-wait base: each task takes the next
 * request from the source and processes it ({@linkcode processImage}); no wait
 * between tasks (upstream's `ModelRunnerUser` has no wait_time), except
 * {@linkcode ERROR_BACKOFF_MS} after a task that raised.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { modelRunnerUserKind } from "./model_runner_user.ts";
 * // Every task of a "same" user sends the same request and waits for its job.
 * const sameUser = modelRunnerUserKind({
 *   name: "same", aliases: [], description: "one request, again and again",
 *   source: () => ({ next: () => ({ request: { jobId: "", imageUrls: ["s3://b/a.tif"] } }) }),
 * });
 * assert.equal(sameUser.name, "same");
 * ```
 */
export function modelRunnerUserKind(spec: ModelRunnerUserSpec): UserKind {
  return {
    name: spec.name,
    aliases: spec.aliases,
    description: spec.description,
    create(ctx) {
      const source = spec.source(ctx);
      let failed = false;
      return {
        ...(source.onStart ? { onStart: () => source.onStart!() } : {}),
        async task() {
          failed = true;
          const { request, image } = source.next();
          await processImage(ctx, request, image);
          failed = false;
        },
        waitMs() {
          return failed ? ERROR_BACKOFF_MS : 0;
        },
      };
    },
  };
}
