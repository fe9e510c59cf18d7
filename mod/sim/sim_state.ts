/**
 * Everything the simulator holds: SQS queues, S3 buckets and objects, ECS task
 * definitions, SageMaker endpoints; plus helpers that create them directly
 * (no HTTP), for seeding and for tests that need variants of a deployment.
 *
 * @example
 * ```ts
 * import { startSimulator } from "./simulator.ts";
 * const sim = await startSimulator({ port: 0, seed: false, modelRunner: false });
 * const q = sim.state.createQueue("jobs", { visibilityTimeout: 1 });
 * await sim.state.putObject("b", "k.txt", "hello", { createBucket: true });
 * await sim.close();
 * ```
 * @module
 */
import { EcsStore, type RegisterTaskDefinitionInput, type TaskDefinition } from "./ecs_api.ts";
import { type AddEndpointInput, type Endpoint, SageMakerStore } from "./sagemaker_api.ts";
import { type S3Bucket, type S3Object, S3Store } from "./s3_store.ts";
import { type QueueConfig, type SqsQueue, SqsStore } from "./sqs_store.ts";
import type { UsageLedger } from "./usage.ts";

/** Options of {@linkcode SimState.createQueue}. */
export interface CreateQueueOptions extends Partial<QueueConfig> {
  /** Name of a dead-letter queue to create (if missing) and redrive to. */
  deadLetterQueue?: string;
  /** Receives before redrive (default 3) when `deadLetterQueue` is given. */
  maxReceiveCount?: number;
}

/**
 * The simulator's resources.
 *
 * @example
 * ```ts
 * import { startSimulator } from "./simulator.ts";
 * const sim = await startSimulator({ port: 0, seed: false, modelRunner: false });
 * sim.state.createQueue("jobs", { deadLetterQueue: "jobs-dlq", maxReceiveCount: 3 });
 * sim.state.addEndpoint({ name: "centerpoint" });
 * await sim.close();
 * ```
 */
export class SimState {
  readonly region: string;
  readonly account: string;
  readonly ledger: UsageLedger;
  readonly sqs: SqsStore;
  readonly s3: S3Store;
  readonly ecs: EcsStore;
  readonly sagemaker: SageMakerStore;

  /** Empty state; object files go under `dataDir`. */
  constructor(
    options: { region: string; account: string; baseUrl: string; dataDir: string },
    ledger: UsageLedger,
  ) {
    this.region = options.region;
    this.account = options.account;
    this.ledger = ledger;
    this.sqs = new SqsStore({
      region: options.region,
      account: options.account,
      baseUrl: options.baseUrl,
    });
    this.s3 = new S3Store(options.dataDir, ledger);
    this.ecs = new EcsStore(options.region, options.account);
    this.sagemaker = new SageMakerStore(options.region, options.account);
  }

  /** Create a queue (and its DLQ when `deadLetterQueue` is given). */
  createQueue(name: string, options: CreateQueueOptions = {}): SqsQueue {
    const { deadLetterQueue, maxReceiveCount, ...config } = options;
    if (deadLetterQueue !== undefined) {
      const dlq = this.sqs.get(deadLetterQueue) ?? this.sqs.create(deadLetterQueue, {});
      config.redrivePolicy = {
        deadLetterTargetArn: dlq.arn,
        maxReceiveCount: maxReceiveCount ?? 3,
      };
    }
    return this.sqs.create(name, config);
  }

  /** The queue of this name, or throws with a hint. */
  queue(name: string): SqsQueue {
    const q = this.sqs.get(name);
    if (!q) {
      throw new Error(`No queue named ${name} in the simulator: create it with state.createQueue.`);
    }
    return q;
  }

  /** The AWS-form URL of a queue: `https://sqs.<region>.amazonaws.com/<account>/<name>`. */
  awsQueueUrl(name: string): string {
    return `https://sqs.${this.region}.amazonaws.com/${this.account}/${name}`;
  }

  /** Create a bucket (no error when it already exists). */
  createBucket(name: string): S3Bucket {
    return this.s3.buckets.get(name) ?? this.s3.createBucket(name);
  }

  /** Store an object from a string or bytes. */
  putObject(
    bucket: string,
    key: string,
    body: string | Uint8Array,
    options: { createBucket?: boolean; contentType?: string } = {},
  ): Promise<S3Object> {
    if (options.createBucket) this.createBucket(bucket);
    const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
    return this.s3.putBytes(bucket, key, bytes, { contentType: options.contentType });
  }

  /** Register an ECS task definition revision. */
  registerTaskDefinition(input: RegisterTaskDefinitionInput): TaskDefinition {
    return this.ecs.register(input);
  }

  /**
   * Add a SageMaker endpoint with its config; an InService endpoint accrues
   * `<instanceType>-Hosting` instance-hours in the ledger from now on.
   */
  addEndpoint(input: AddEndpointInput): Endpoint {
    const endpoint = this.sagemaker.addEndpoint(input);
    if (endpoint.EndpointStatus === "InService") {
      this.ledger.start({
        service: "Amazon SageMaker",
        usageType: `${input.instanceType ?? "ml.g4dn.xlarge"}-Hosting`,
        unitsPerHour: input.instanceCount ?? 1,
      });
    }
    return endpoint;
  }
}
