import { SendMessageCommand } from "@aws-sdk/client-sqs";
import { describeAwsError } from "../aws/aws_errors.ts";
import type { UserContext } from "./user_kind.ts";
import { entryName, imageIdOf, type ImageRequestBody } from "../requests/image_request.ts";

/** What {@linkcode submitJob} needs besides the request. */
export interface SubmitOptions {
  /** Locust request type of the sample, e.g. `Submit Image`; none when the caller records its own. */
  sampleType?: string;
  /** Model/endpoint name for the entry name. */
  model: string;
  /** Image size in bytes (the sample's length and the tracker's size). */
  size: number;
  /** Image pixels (from the header, read before the run); null when the header was unreadable. */
  pixels: number | null;
  /** True when the user will wait for this job. */
  awaited: boolean;
  /** Which send of this request this is (1 = first, the default; PARTIAL retries 2 and 3). */
  attempt?: number;
}

/**
 * The result of a send: the registration (with when the send began, `startedAt`, and when it
 * returned, `sentAt`, both ms since epoch), or the error text on failure.
 */
export type SubmitResult =
  | {
    ok: true;
    imageId: string;
    messageId: string;
    startedAt: number;
    sentAt: number;
    elapsedMs: number;
  }
  | { ok: false; error: string; elapsedMs: number };

/**
 * Send one image request to the request queue (SendMessage with only the body)
 * and register the job with the tracker. With `sampleType`, also emit the
 * Locust sample: named `<file>:<model>`, length = image size; a failed send
 * is a failure sample with length 0 and nothing is registered
 * (docs/compatibility.md#default-user).
 *
 * The registration's `submittedAt` is when the send began (the wall clock is
 * read just before SendMessage), so the job's latency can never be negative,
 * even when its status arrives before SendMessage returns.
 *
 * @example
 * Not run as a test: it needs a user context, which a user worker builds for its users.
 * ```ts ignore
 * const result = await submitJob(ctx, body, { sampleType: "Submit Image", model: "centerpoint",
 *   size: 1024, pixels: 1024, awaited: false });
 * ```
 */
export async function submitJob(
  ctx: UserContext,
  request: ImageRequestBody,
  options: SubmitOptions,
): Promise<SubmitResult> {
  const imageUrl = request.imageUrls[0] ?? "";
  const name = entryName(imageUrl, options.model);
  const startedAt = Date.now();
  const started = performance.now();
  try {
    const response = await ctx.sqs.send(
      new SendMessageCommand({
        QueueUrl: ctx.settings.queueUrl,
        MessageBody: JSON.stringify(request),
      }),
    );
    const elapsedMs = performance.now() - started;
    const sentAt = Date.now();
    const imageId = imageIdOf(request);
    const messageId = response.MessageId ?? "";
    ctx.registerJob({
      imageId,
      jobId: request.jobId,
      imageUrl,
      messageId,
      size: options.size,
      pixels: options.pixels,
      submittedAt: startedAt,
      name,
      awaited: options.awaited,
      ...(options.attempt !== undefined ? { attempt: options.attempt } : {}),
      ...(ctx.scheduledAt !== undefined ? { scheduledAt: ctx.scheduledAt } : {}),
    });
    if (options.sampleType) {
      ctx.emit({
        type: options.sampleType,
        name,
        responseTimeMs: elapsedMs,
        length: options.size,
        at: sentAt,
      });
    }
    return { ok: true, imageId, messageId, startedAt, sentAt, elapsedMs };
  } catch (error) {
    const elapsedMs = performance.now() - started;
    const text = describeAwsError(error, "SendMessage");
    if (options.sampleType) {
      ctx.emit({
        type: options.sampleType,
        name,
        responseTimeMs: elapsedMs,
        length: 0,
        error: text,
        at: Date.now(),
      });
    }
    return { ok: false, error: text, elapsedMs };
  }
}
