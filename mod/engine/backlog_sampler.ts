/**
 * Samples the request queue's backlog: ApproximateNumberOfMessages plus
 * ApproximateNumberOfMessagesNotVisible (jobs waiting plus jobs being worked
 * on), and keeps the highest value seen.
 *
 * @example
 * ```ts ignore
 * const backlog = new BacklogSampler(sqs, queueUrl, (m) => log.debug("x", m));
 * await backlog.sample();
 * console.log(backlog.depth, backlog.max);
 * ```
 * @module
 */
import { GetQueueAttributesCommand, type SQSClient } from "@aws-sdk/client-sqs";

/** The request queue's backlog over time. */
export class BacklogSampler {
  #sqs: SQSClient;
  #queueUrl: string;
  #onError: (message: string) => void;
  /** The last sample, once one succeeded. */
  depth: number | undefined;
  /** The highest sample so far. */
  max = 0;

  constructor(sqs: SQSClient, queueUrl: string, onError: (message: string) => void) {
    this.#sqs = sqs;
    this.#queueUrl = queueUrl;
    this.#onError = onError;
  }

  /** Take one sample (a failure is reported and keeps the last value). */
  async sample(): Promise<void> {
    try {
      const response = await this.#sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: this.#queueUrl,
          AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        }),
      );
      const a = response.Attributes ?? {};
      this.depth = Number(a.ApproximateNumberOfMessages ?? 0) +
        Number(a.ApproximateNumberOfMessagesNotVisible ?? 0);
      this.max = Math.max(this.max, this.depth);
    } catch (error) {
      this.#onError(`backlog sample failed: ${error instanceof Error ? error.message : error}`);
    }
  }
}
