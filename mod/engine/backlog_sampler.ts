/**
 * Samples the request queue's backlog: ApproximateNumberOfMessages plus
 * ApproximateNumberOfMessagesNotVisible (jobs waiting plus jobs being worked
 * on), and keeps the highest value seen.
 *
 * Unknown is not zero: a failed GetQueueAttributes call, or an answer without
 * `Attributes` or without both counts (some SQS-compatible servers answer so),
 * makes the backlog `null` (unknown) until a sample succeeds again, never 0.
 * The first time the backlog becomes unknown, `onUnknown` is called (warn
 * once); every failure also goes to `onError` (for a debug log).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
 * import { simClientConfig } from "../sim/aws/client_config.ts";
 * import { startSimulator } from "../sim/simulator.ts";
 * import { BacklogSampler } from "./backlog_sampler.ts";
 * const sim = await startSimulator({ port: 0, modelRunner: false });
 * const sqs = new SQSClient(simClientConfig(sim));
 * const queueUrl = sim.seeded!.requestQueueUrl;
 * await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: "{}" }));
 * const backlog = new BacklogSampler(sqs, queueUrl, () => {});
 * await backlog.sample();
 * assert.equal(backlog.depth, 1);
 * // A queue that cannot be read: the backlog is unknown (null), not 0.
 * const warnings: string[] = [];
 * const missing = new BacklogSampler(sqs, `${queueUrl}-gone`, () => {}, (m) => warnings.push(m));
 * await missing.sample();
 * assert.equal(missing.depth, null);
 * assert.equal(warnings.length, 1);
 * sqs.destroy();
 * await sim.close();
 * ```
 * @module
 */
import { GetQueueAttributesCommand, type SQSClient } from "@aws-sdk/client-sqs";

const COUNTS = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] as const;

/** The request queue's backlog over time. */
export class BacklogSampler {
  #sqs: SQSClient;
  #queueUrl: string;
  #onError: (message: string) => void;
  #onUnknown: ((message: string) => void) | undefined;
  #warned = false;
  /** The last sample; null when it could not be read (or before the first sample). */
  depth: number | null = null;
  /** Why `depth` is null after a sample, or undefined when the last sample succeeded. */
  unknownReason: string | undefined;
  /** The highest backlog read so far; null while none could be read. */
  max: number | null = null;
  /** Samples taken, and how many of them gave an unknown backlog. */
  samples = 0;
  unknownSamples = 0;

  /**
   * `onError` gets every failed sample; `onUnknown` (optional) only the first time the backlog
   * cannot be read, with what happened and what it means for the run.
   */
  constructor(
    sqs: SQSClient,
    queueUrl: string,
    onError: (message: string) => void,
    onUnknown?: (message: string) => void,
  ) {
    this.#sqs = sqs;
    this.#queueUrl = queueUrl;
    this.#onError = onError;
    this.#onUnknown = onUnknown;
  }

  /** Take one sample; a failure makes the backlog unknown (null) until a sample succeeds. */
  async sample(): Promise<void> {
    this.samples++;
    let reason: string;
    try {
      const response = await this.#sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: this.#queueUrl, AttributeNames: [...COUNTS] }),
      );
      const a = response.Attributes;
      const values = COUNTS.map((name) => a?.[name]);
      if (values.every((v) => v !== undefined && /^\d+$/.test(v))) {
        this.depth = values.reduce((sum, v) => sum + Number(v), 0);
        this.max = Math.max(this.max ?? 0, this.depth);
        this.unknownReason = undefined;
        return;
      }
      reason = a === undefined
        ? "GetQueueAttributes answered without Attributes"
        : `GetQueueAttributes answered without ${
          COUNTS.filter((_, i) => values[i] === undefined || !/^\d+$/.test(values[i]!)).join(
            " and ",
          )
        }`;
    } catch (error) {
      // The run cancelled it (it is ending): nothing was learned, so nothing changes.
      if (error instanceof Error && error.name === "AbortError") return;
      reason = `GetQueueAttributes failed: ${error instanceof Error ? error.message : error}`;
    }
    this.depth = null;
    this.unknownReason = reason;
    this.unknownSamples++;
    this.#onError(`backlog sample failed: ${reason}`);
    if (!this.#warned) {
      this.#warned = true;
      this.#onUnknown?.(
        `the request queue's backlog is unknown (${reason}): it is reported as unknown, not 0, ` +
          "and the capacity search decides on job latency alone while it is; grant " +
          "sqs:GetQueueAttributes on the request queue, or check the SQS endpoint",
      );
    }
  }
}
