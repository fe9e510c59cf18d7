/**
 * The simulated Model Runner: N workers consuming the image request queue
 * in-process (not over HTTP), as the real service does (docs/compatibility.md#request-rules,
 * docs/compatibility.md#status-messages):
 *
 * - a body that is not JSON or not a valid request is copied to the DLQ and
 *   deleted, and no status is published;
 * - a valid request is deleted, then STARTED is published; an unknown (or not
 *   InService) SageMaker endpoint, or a missing or unreadable image, ends
 *   FAILED right away (setup failure, after STARTED, as the real service);
 * - otherwise IN_PROGRESS, then after `fixedMs + msPerMegapixel × megapixels`
 *   (± jitter) the final status: SUCCESS, or PARTIAL / FAILED at the
 *   configured rates (PRNG seeded by `seed` and the jobId, so a job's outcome
 *   is reproducible); on SUCCESS/PARTIAL a small result object
 *   goes to each S3 sink whose bucket exists.
 *
 * Statuses are published, as the real service publishes them, to the status
 * SNS topic (`statusTopic`, default `ImageStatusTopic`) with the message
 * attributes `status`, `image_status`, `job_id`, `image_id` and
 * `processing_duration`; SNS delivers them to every subscribed queue whose
 * filter policy matches (the seeded status queue gets the envelope, exactly
 * like the reference fixtures). When there is no such topic (a simulator
 * seeded by hand), the envelope goes straight onto `statusQueue`.
 * Options can change at runtime.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
 * import { buildLoadTestRequest } from "../../requests/image_request.ts";
 * import { simClientConfig } from "../aws/client_config.ts";
 * import { startSimulator } from "../simulator.ts";
 * const sim = await startSimulator({
 *   port: 0, modelRunner: { fixedMs: 10, msPerMegapixel: 0, failureRate: 0, partialRate: 0 },
 * });
 * const sqs = new SQSClient(simClientConfig(sim));
 * const request = buildLoadTestRequest({
 *   jobId: "j1", imageUrl: `s3://${sim.seeded!.imageBucket}/small.tif`,
 *   resultBucket: sim.seeded!.resultBucket, modelName: "centerpoint",
 *   kinesisStream: "mr-stream-sink-123456789012",
 * });
 * await sqs.send(new SendMessageCommand({
 *   QueueUrl: sim.seeded!.requestQueueUrl, MessageBody: JSON.stringify(request),
 * }));
 * const counters = sim.modelRunner!.counters;
 * for (const deadline = Date.now() + 30_000; counters.final.SUCCESS < 1 && Date.now() < deadline;) {
 *   await new Promise((r) => setTimeout(r, 10));
 * }
 * assert.equal(counters.final.SUCCESS, 1);
 * assert.equal(counters.published, 3); // STARTED, IN_PROGRESS, SUCCESS
 * sim.modelRunner!.setOptions({ msPerMegapixel: 200 }); // slow down mid-run
 * sqs.destroy();
 * await sim.close();
 * ```
 * @module
 */
import { fileRangeReader } from "../../images/range_reader.ts";
import { readPixelCount } from "../../images/pixels.ts";
import { type ParsedImageRequest, validateImageRequest } from "./image_request_validation.ts";
import { Prng } from "../aws/prng.ts";
import type { SimState } from "../aws/sim_state.ts";
import type { SnsMessageAttribute } from "../aws/sns_store.ts";
import {
  buildStatusEnvelope,
  type ImageStatus,
  STATUS_REASONS,
  statusAttributes,
  statusMessage,
  type StatusNotification,
} from "./status_envelope.ts";
import type { RunningResource } from "../aws/usage.ts";

/** Settings of the simulated Model Runner. */
export interface ModelRunnerOptions {
  /** Concurrent workers (default 4). */
  workers: number;
  /** Fixed processing time per image, ms (default 200). */
  fixedMs: number;
  /** Processing time per megapixel, ms (default 20). */
  msPerMegapixel: number;
  /** Relative jitter of the processing time, 0–1 (default 0.1 = ±10 %). */
  jitter: number;
  /** Share of jobs that end FAILED (default 0.02). */
  failureRate: number;
  /** Share of jobs that end PARTIAL (default 0.02). */
  partialRate: number;
  /** PRNG seed (default 1). */
  seed: number;
  /** Request queue name (default `ImageRequestQueue`). */
  requestQueue: string;
  /** Dead-letter queue name (default `ImageRequestQueue-dlq`). */
  deadLetterQueue: string;
  /** Status topic name (default `ImageStatusTopic`). */
  statusTopic: string;
  /** Status queue name, used only when the status topic does not exist (default `ImageStatusQueue`). */
  statusQueue: string;
  /** Long-poll wait per receive, ms (default 1000, as the real service). */
  pollWaitMs: number;
}

/**
 * Default {@linkcode ModelRunnerOptions}.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { DEFAULT_MODEL_RUNNER_OPTIONS } from "./model_runner.ts";
 * assert.equal(DEFAULT_MODEL_RUNNER_OPTIONS.workers, 4);
 * ```
 */
export const DEFAULT_MODEL_RUNNER_OPTIONS: Readonly<ModelRunnerOptions> = Object.freeze({
  workers: 4,
  fixedMs: 200,
  msPerMegapixel: 20,
  jitter: 0.1,
  failureRate: 0.02,
  partialRate: 0.02,
  seed: 1,
  requestQueue: "ImageRequestQueue",
  deadLetterQueue: "ImageRequestQueue-dlq",
  statusTopic: "ImageStatusTopic",
  statusQueue: "ImageStatusQueue",
  pollWaitMs: 1000,
});

/** What the simulated Model Runner did so far. */
export interface ModelRunnerCounters {
  /** Messages received from the request queue. */
  received: number;
  /** Valid requests. */
  valid: number;
  /** Invalid requests copied to the DLQ. */
  invalid: number;
  /** Jobs being processed now. */
  inProgress: number;
  /** Final statuses published, by status. */
  final: { SUCCESS: number; PARTIAL: number; FAILED: number };
  /** Status messages published. */
  published: number;
}

const SQS_SERVICE = "Amazon Simple Queue Service";

function checkOptions(o: ModelRunnerOptions): void {
  const bad = (name: string, rule: string, v: unknown) =>
    new RangeError(`Model Runner option ${name} must be ${rule} (got ${String(v)}).`);
  if (!Number.isInteger(o.workers) || o.workers < 0) {
    throw bad("workers", "an integer >= 0", o.workers);
  }
  for (const k of ["fixedMs", "msPerMegapixel", "pollWaitMs"] as const) {
    if (!(o[k] >= 0)) throw bad(k, ">= 0", o[k]);
  }
  for (const k of ["jitter", "failureRate", "partialRate"] as const) {
    if (!(o[k] >= 0 && o[k] <= 1)) throw bad(k, "between 0 and 1", o[k]);
  }
  if (o.failureRate + o.partialRate > 1) {
    throw bad("failureRate + partialRate", "<= 1", o.failureRate + o.partialRate);
  }
}

/**
 * The simulated Model Runner.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { startSimulator } from "../simulator.ts";
 * const sim = await startSimulator({ port: 0, modelRunner: { workers: 2 } });
 * assert.equal(sim.modelRunner?.options.workers, 2);
 * assert.equal(sim.modelRunner?.counters.final.SUCCESS, 0); // nothing sent yet
 * await sim.close();
 * ```
 */
export class ModelRunner {
  #state: SimState;
  #options: ModelRunnerOptions;
  #abort = new AbortController();
  #loops = new Map<number, Promise<void>>();
  #running = false;
  #fargate: RunningResource | undefined;
  #subscriptionId = crypto.randomUUID();
  /** Live counters (read-only for callers). */
  readonly counters: ModelRunnerCounters = {
    received: 0,
    valid: 0,
    invalid: 0,
    inProgress: 0,
    final: { SUCCESS: 0, PARTIAL: 0, FAILED: 0 },
    published: 0,
  };

  /** A stopped runner over `state`; call {@linkcode ModelRunner.start}. */
  constructor(state: SimState, options: Partial<ModelRunnerOptions> = {}) {
    this.#state = state;
    this.#options = { ...DEFAULT_MODEL_RUNNER_OPTIONS, ...options };
    checkOptions(this.#options);
  }

  /** The current options (a copy). */
  get options(): ModelRunnerOptions {
    return { ...this.#options };
  }

  /** Start the workers. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#abort = new AbortController();
    this.#adjustWorkers();
  }

  /**
   * Change options at runtime: worker count applies at once (extra workers
   * stop after their current job); timings, rates and seed apply to the next jobs.
   */
  setOptions(options: Partial<ModelRunnerOptions>): void {
    const next = { ...this.#options, ...options };
    checkOptions(next);
    this.#options = next;
    if (this.#running) this.#adjustWorkers();
  }

  /** Stop every worker and wait for them (jobs in progress are abandoned). */
  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    this.#abort.abort();
    await Promise.all(this.#loops.values());
    this.#loops.clear();
    if (this.#fargate) this.#state.ledger.stop(this.#fargate);
    this.#fargate = undefined;
  }

  #adjustWorkers(): void {
    const n = this.#options.workers;
    for (let id = 0; id < n; id++) {
      if (!this.#loops.has(id)) {
        const loop = this.#workerLoop(id).finally(() => this.#loops.delete(id));
        this.#loops.set(id, loop);
      }
    }
    const ledger = this.#state.ledger;
    if (this.#fargate?.unitsPerHour !== n) {
      if (this.#fargate) ledger.stop(this.#fargate);
      this.#fargate = n > 0
        ? ledger.start({
          service: "Amazon Elastic Container Service",
          usageType: "Fargate-vCPU-Hours:perCPU",
          unitsPerHour: n,
        })
        : undefined;
    }
  }

  async #workerLoop(id: number): Promise<void> {
    const signal = this.#abort.signal;
    while (this.#running && !signal.aborted && id < this.#options.workers) {
      const queue = this.#state.sqs.get(this.#options.requestQueue);
      if (!queue) {
        await sleep(Math.max(50, this.#options.pollWaitMs), signal);
        continue;
      }
      const got = await queue.receive({ max: 1, waitMs: this.#options.pollWaitMs, signal });
      if (signal.aborted) break;
      for (const { message, receiptHandle } of got) {
        this.counters.received++;
        this.#state.ledger.record(SQS_SERVICE, "Requests-Tier1", 1);
        let parsed: unknown;
        let valid = false;
        let request: ParsedImageRequest | undefined;
        try {
          parsed = JSON.parse(message.body);
          const v = validateImageRequest(parsed);
          if (v.ok) {
            valid = true;
            request = v.request;
          }
        } catch {
          valid = false;
        }
        if (!valid || !request) {
          this.counters.invalid++;
          const dlq = this.#state.sqs.get(this.#options.deadLetterQueue);
          dlq?.send(message.body, { messageAttributes: message.messageAttributes });
          queue.delete(receiptHandle);
          this.#state.ledger.record(SQS_SERVICE, "Requests-Tier1", 2);
          continue;
        }
        this.counters.valid++;
        queue.delete(receiptHandle);
        this.#state.ledger.record(SQS_SERVICE, "Requests-Tier1", 1);
        this.counters.inProgress++;
        try {
          await this.#process(request, signal);
        } finally {
          this.counters.inProgress--;
        }
      }
    }
  }

  async #process(request: ParsedImageRequest, signal: AbortSignal): Promise<void> {
    const start = Date.now();
    this.#publish(request, "STARTED", STATUS_REASONS.STARTED, 0);
    const seconds = () => Math.floor((Date.now() - start) / 1000);
    if (request.processorType === "SM_ENDPOINT") {
      const endpoint = this.#state.sagemaker.endpoints.get(request.modelName);
      if (!endpoint || endpoint.EndpointStatus !== "InService") {
        this.#finish(
          request,
          "FAILED",
          endpoint
            ? `Endpoint ${request.modelName} is not InService (${endpoint.EndpointStatus})`
            : `Could not find endpoint ${request.modelName}`,
          seconds(),
        );
        return;
      }
    }
    let pixels: number;
    try {
      pixels = await this.#pixelCount(request.imageUrl);
    } catch (e) {
      this.#finish(
        request,
        "FAILED",
        `Failed to load image ${request.imageUrl}: ${e instanceof Error ? e.message : String(e)}`,
        seconds(),
      );
      return;
    }
    if (signal.aborted) return;
    this.#publish(request, "IN_PROGRESS", STATUS_REASONS.IN_PROGRESS, seconds());
    const o = this.#options;
    // Outcome and jitter depend only on (seed, jobId): reproducible whatever the interleaving.
    const rng = new Prng(hash32(`${o.seed}:${request.jobId}`));
    const base = o.fixedMs + o.msPerMegapixel * (pixels / 1e6);
    const ms = Math.max(0, base * (1 + o.jitter * (2 * rng.next() - 1)));
    await sleep(ms, signal);
    if (signal.aborted) return;
    const r = rng.next();
    const status: ImageStatus = r < o.failureRate
      ? "FAILED"
      : r < o.failureRate + o.partialRate
      ? "PARTIAL"
      : "SUCCESS";
    if (status !== "FAILED") await this.#writeResults(request, status);
    this.#finish(request, status, STATUS_REASONS.DONE, seconds());
  }

  async #pixelCount(imageUrl: string): Promise<number> {
    const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(imageUrl);
    if (!m) throw new Error("not an s3://bucket/key URL");
    const bucket = this.#state.s3.buckets.get(m[1]!);
    if (!bucket) throw new Error(`bucket ${m[1]} does not exist`);
    const object = bucket.objects.get(m[2]!);
    if (!object) throw new Error(`object ${m[2]} does not exist`);
    const pixels = await readPixelCount(fileRangeReader(object.file), m[2]!, object.size);
    if (!(pixels > 0)) throw new Error("the image has no pixels");
    return pixels;
  }

  async #writeResults(request: ParsedImageRequest, status: ImageStatus): Promise<void> {
    for (const sink of request.outputs) {
      if (sink.type !== "S3" || !this.#state.s3.buckets.has(sink.bucket)) continue;
      const body = JSON.stringify({
        type: "FeatureCollection",
        features: [],
        properties: { jobId: request.jobId, imageId: request.imageId, status },
      });
      await this.#state.s3.putBytes(
        sink.bucket,
        `${sink.prefix}${request.jobId}.geojson`,
        new TextEncoder().encode(body),
        { contentType: "application/geo+json" },
      ).catch(() => {});
    }
  }

  #finish(request: ParsedImageRequest, status: ImageStatus, reason: string, seconds: number): void {
    if (status === "SUCCESS" || status === "PARTIAL" || status === "FAILED") {
      this.counters.final[status]++;
    }
    this.#publish(request, status, reason, seconds);
  }

  #publish(
    request: ParsedImageRequest,
    status: ImageStatus,
    reason: string,
    seconds: number,
  ): void {
    this.counters.published++;
    const n: StatusNotification = {
      status,
      jobId: request.jobId,
      imageUrl: request.imageUrl,
      reason,
      durationSeconds: seconds,
      region: this.#state.region,
      account: this.#state.account,
      topic: this.#options.statusTopic,
      subscriptionId: this.#subscriptionId,
    };
    const sns = this.#state.sns;
    const topicArn = sns.topicArn(this.#options.statusTopic);
    if (sns.getTopic(topicArn)) {
      const attributes: Record<string, SnsMessageAttribute> = {};
      for (const [name, a] of Object.entries(statusAttributes(n))) {
        attributes[name] = { DataType: a.Type, StringValue: a.Value };
      }
      sns.publish({ topicArn, message: statusMessage(n), attributes });
      return;
    }
    this.#state.sqs.get(this.#options.statusQueue)?.send(buildStatusEnvelope(n));
  }
}

/** FNV-1a hash of a string, 32 bits. */
function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
