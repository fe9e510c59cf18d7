import { SendMessageCommand } from "@aws-sdk/client-sqs";
import { describeAwsError } from "../aws/aws_errors.ts";
import type { UserContext } from "./user_kind.ts";
import { entryName, imageIdOf, type ImageRequest } from "./image_request.ts";

/** What {@linkcode submitJob} needs besides the request. */
export interface SubmitOptions {
  /** Locust request type of the sample, e.g. `Submit Image`; none when the caller records its own. */
  sampleType?: string;
  /** Model/endpoint name for the entry name. */
  model: string;
  /** Image size in bytes (the sample's length and the tracker's size). */
  size: number;
  /** Image pixels (from the header, read before the run). */
  pixels: number;
  /** True when the user will wait for this job. */
  awaited: boolean;
}

/** The result of a send: the registration, or the error text on failure. */
export type SubmitResult =
  | { ok: true; imageId: string; messageId: string; sentAt: number; elapsedMs: number }
  | { ok: false; error: string; elapsedMs: number };

/**
 * Send one image request to the request queue (SendMessage with only the body)
 * and register the job with the tracker. With `sampleType`, also emit the
 * Locust sample: named `<file>:<model>`, length = image size; a failed send
 * is a failure sample with length 0 and nothing is registered (§7.2).
 *
 * @example
 * ```ts ignore
 * const result = await submitJob(ctx, body, { sampleType: "Submit Image", model: "centerpoint",
 *   size: 1024, pixels: 1024, awaited: false });
 * ```
 */
export async function submitJob(
  ctx: UserContext,
  request: ImageRequest,
  options: SubmitOptions,
): Promise<SubmitResult> {
  const imageUrl = request.imageUrls[0] ?? "";
  const name = entryName(imageUrl, options.model);
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
      submittedAt: sentAt,
      name,
      awaited: options.awaited,
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
    return { ok: true, imageId, messageId, sentAt, elapsedMs };
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
