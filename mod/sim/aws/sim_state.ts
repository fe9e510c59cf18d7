/**
 * Everything the simulator holds: SQS queues, SNS topics and subscriptions,
 * S3 buckets and objects, ECS task definitions, clusters and tasks, SageMaker
 * endpoints; plus helpers that create them directly
 * (no HTTP), for seeding and for tests that need variants of a deployment.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { startSimulator } from "../simulator.ts";
 * const sim = await startSimulator({ port: 0, seed: false, modelRunner: false });
 * const q = sim.state.createQueue("jobs", { visibilityTimeout: 1 });
 * assert.equal(q.url, `${sim.endpoint}/123456789012/jobs`);
 * await sim.state.putObject("docs", "k.txt", "hello", { createBucket: true });
 * assert.equal(sim.state.s3.getObject("docs", "k.txt")?.size, 5);
 * await sim.close();
 * ```
 * @module
 */
import { EcsStore, type RegisterTaskDefinitionInput, type TaskDefinition } from "./ecs_api.ts";
import type { EcsCluster, TaskRunner } from "./ecs_tasks.ts";
import { type AddEndpointInput, type Endpoint, SageMakerStore } from "./sagemaker_api.ts";
import { type S3Bucket, type S3Object, S3Store } from "./s3_store.ts";
import { SnsStore, type SnsSubscription, type SnsTopic } from "./sns_store.ts";
import { snsSendPolicy } from "./sqs_queue_policy.ts";
import { type QueueConfig, type SqsQueue, SqsStore } from "./sqs_store.ts";
import type { UsageLedger } from "./usage.ts";

/** Options of {@linkcode SimState.createQueue}. */
export interface CreateQueueOptions extends Partial<QueueConfig> {
  /** Name of a dead-letter queue to create (if missing) and redrive to. */
  deadLetterQueue?: string;
  /** Receives before redrive (default 3) when `deadLetterQueue` is given. */
  maxReceiveCount?: number;
}

/** Options of {@linkcode SimState.subscribeQueue}. */
export interface SubscribeQueueOptions {
  /** Deliver the bare message (default false: the SNS envelope). */
  raw?: boolean;
  /** A filter policy (JSON text or object). */
  filterPolicy?: string | Record<string, unknown>;
  /** Default `MessageAttributes`. */
  filterPolicyScope?: "MessageAttributes" | "MessageBody";
  /** Also set the queue policy that lets the topic send (default true). */
  allowTopic?: boolean;
}

/**
 * The simulator's resources.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { startSimulator } from "../simulator.ts";
 * const sim = await startSimulator({ port: 0, seed: false, modelRunner: false });
 * sim.state.createQueue("jobs", { deadLetterQueue: "jobs-dlq", maxReceiveCount: 3 });
 * assert.equal(sim.state.addEndpoint({ name: "centerpoint" }).EndpointStatus, "InService");
 * await sim.close();
 * ```
 */
export class SimState {
  readonly region: string;
  readonly account: string;
  readonly ledger: UsageLedger;
  readonly sqs: SqsStore;
  readonly sns: SnsStore;
  readonly s3: S3Store;
  readonly ecs: EcsStore;
  readonly sagemaker: SageMakerStore;

  /** Empty state; object files go under `dataDir`. */
  constructor(
    options: {
      region: string;
      account: string;
      baseUrl: string;
      dataDir: string;
      /** SNS delivery checks queue policies (default true). */
      enforceQueuePolicy?: boolean;
      /** Starts ECS task processes (RunTask); none: tasks fail to start. */
      taskRunner?: TaskRunner | undefined;
      /** The AWS env every ECS task gets (the simulator's endpoint, region, credentials). */
      taskEnv?: Record<string, string>;
    },
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
    this.sns = new SnsStore({
      sqs: this.sqs,
      ledger,
      enforceQueuePolicy: options.enforceQueuePolicy ?? true,
    });
    this.s3 = new S3Store(options.dataDir, ledger);
    this.ecs = new EcsStore(options.region, options.account, {
      ledger,
      taskRunner: options.taskRunner,
      env: options.taskEnv ?? {},
    });
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

  /** Create an SNS topic (or return the existing one). */
  createTopic(name: string, tags: Record<string, string> = {}): SnsTopic {
    return this.sns.createTopic(name, {}, tags);
  }

  /**
   * Subscribe a queue to a topic (by names) and, unless `allowTopic` is false,
   * set the queue policy that lets the topic send to it, as a deployment does.
   */
  subscribeQueue(
    topicName: string,
    queueName: string,
    options: SubscribeQueueOptions = {},
  ): SnsSubscription {
    const topicArn = this.sns.topicArn(topicName);
    const queue = this.queue(queueName);
    const attributes: Record<string, string> = {};
    if (options.raw) attributes.RawMessageDelivery = "true";
    if (options.filterPolicy !== undefined) {
      attributes.FilterPolicy = typeof options.filterPolicy === "string"
        ? options.filterPolicy
        : JSON.stringify(options.filterPolicy);
    }
    if (options.filterPolicyScope) attributes.FilterPolicyScope = options.filterPolicyScope;
    const sub = this.sns.subscribe(topicArn, "sqs", queue.arn, attributes);
    if (options.allowTopic !== false) {
      const topics = this.sns.listSubscriptions().filter((s) => s.endpoint === queue.arn)
        .map((s) => s.topicArn);
      queue.config = { ...queue.config, policy: snsSendPolicy(queue.arn, [...new Set(topics)]) };
    }
    return sub;
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

  /** Create an ECS cluster (or return the existing one). */
  createCluster(name: string): EcsCluster {
    return this.ecs.tasks.createCluster(name);
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
