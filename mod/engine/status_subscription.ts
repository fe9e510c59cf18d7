/**
 * A run's private status subscription: its own SQS queue, subscribed to Model
 * Runner's status SNS topic with a filter policy that lets through only the
 * run's job ids (SNS prefix matching on the `job_id` message attribute). SNS
 * fans every status out to every subscription, so the shared status queue and
 * other runs still get theirs: nothing is taken from anyone.
 *
 * The queue is named `osml-load-<run id>` and tagged `osml-load:run-id` and
 * `osml-load:created`, so `osml-load cleanup` can find what a killed run left.
 * {@linkcode StatusSubscription.create} rolls back what it made when a step
 * fails; {@linkcode StatusSubscription.teardown} is bounded in time and
 * idempotent (a second call retries only what is left, or does nothing).
 *
 * @example
 * Not run as a test: it creates a queue and a subscription in the AWS account the environment names.
 * ```ts ignore
 * import { StatusSubscription } from "./status_subscription.ts";
 * const sub = await StatusSubscription.create({
 *   region: "us-west-2",
 *   topicArn: "arn:aws:sns:us-west-2:123456789012:ImageStatusTopic",
 *   runId: "0badcafe",
 * });
 * // ... the status monitor reads sub.queueUrl ...
 * await sub.teardown(10_000);
 * ```
 * @module
 */
import {
  GetSubscriptionAttributesCommand,
  SubscribeCommand,
  UnsubscribeCommand,
} from "@aws-sdk/client-sns";
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  SetQueueAttributesCommand,
  TagQueueCommand,
} from "@aws-sdk/client-sqs";
import { awsErrorCode, awsHttpStatus } from "../aws/aws_errors.ts";
import { type AwsSettings, DEFAULT_AWS_TIMEOUT_MS } from "../aws/aws_settings.ts";
import { AwsTimeoutError } from "../aws/call_deadline.ts";
import { snsClient } from "../aws/sns_client.ts";
import { sqsClient } from "../aws/sqs_client.ts";
import { topicNameOf } from "../discovery/topic_arn.ts";

/** Name prefix of every private status queue (`osml-load-<run id>`). */
export const QUEUE_NAME_PREFIX = "osml-load-";
/** Tag with the run id on a private status queue. */
export const RUN_ID_TAG = "osml-load:run-id";
/** Tag with the creation time (ISO 8601, UTC) on a private status queue. */
export const CREATED_TAG = "osml-load:created";
/** How long a private queue keeps a message nobody read (1 day). */
const RETENTION_S = 86_400;

/**
 * The private queue name of run `runId`.
 *
 * @example
 * ```ts
 * import { privateQueueName } from "./status_subscription.ts";
 * if (privateQueueName("0badcafe") !== "osml-load-0badcafe") throw new Error("named by run");
 * ```
 */
export function privateQueueName(runId: string): string {
  return `${QUEUE_NAME_PREFIX}${runId}`;
}

/**
 * The subscription filter policy that lets through only job ids starting with
 * `prefix` (matched on the `job_id` message attribute Model Runner sets).
 *
 * @example
 * ```ts
 * import { jobIdFilterPolicy } from "./status_subscription.ts";
 * if (jobIdFilterPolicy("0badcafe") !== '{"job_id":[{"prefix":"0badcafe"}]}') throw new Error();
 * ```
 */
export function jobIdFilterPolicy(prefix: string): string {
  return JSON.stringify({ job_id: [{ prefix }] });
}

/**
 * The queue policy that lets the topic (and only it) deliver to the queue: SNS
 * delivers to an SQS queue only when the queue's policy allows
 * `sns.amazonaws.com` to `sqs:SendMessage` from the topic.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { queuePolicy } from "./status_subscription.ts";
 * const policy = JSON.parse(queuePolicy("arn:aws:sqs:us-west-2:1:q", "arn:aws:sns:us-west-2:1:t"));
 * assert.equal(policy.Statement[0].Condition.ArnEquals["aws:SourceArn"], "arn:aws:sns:us-west-2:1:t");
 * ```
 */
export function queuePolicy(queueArn: string, topicArn: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [{
      Sid: "StatusTopicDelivers",
      Effect: "Allow",
      Principal: { Service: "sns.amazonaws.com" },
      Action: "sqs:SendMessage",
      Resource: queueArn,
      Condition: { ArnEquals: { "aws:SourceArn": topicArn } },
    }],
  });
}

/**
 * True when an AWS error says the caller is not allowed (IAM or a resource
 * policy): `AccessDenied…`, SNS's `AuthorizationError`, or HTTP 403.
 *
 * @example
 * ```ts
 * import { isAccessDenied } from "./status_subscription.ts";
 * if (!isAccessDenied({ name: "AuthorizationError" })) throw new Error("SNS says it this way");
 * ```
 */
export function isAccessDenied(error: unknown): boolean {
  const code = awsErrorCode(error);
  return /AccessDenied|AuthorizationError|NotAuthorized|UnauthorizedOperation/i.test(code) ||
    awsHttpStatus(error) === 403;
}

/** The IAM permission each setup step needs, for error messages. */
const PERMISSION: Record<SetupStep, string> = {
  CreateQueue: "sqs:CreateQueue",
  TagQueue: "sqs:TagQueue",
  GetQueueAttributes: "sqs:GetQueueAttributes",
  SetQueueAttributes: "sqs:SetQueueAttributes",
  Subscribe: "sns:Subscribe",
  GetSubscriptionAttributes: "sns:GetSubscriptionAttributes",
};

/** The AWS calls that set a subscription up, in order. */
export type SetupStep =
  | "CreateQueue"
  | "TagQueue"
  | "GetQueueAttributes"
  | "SetQueueAttributes"
  | "Subscribe"
  | "GetSubscriptionAttributes";

/** A step of {@linkcode StatusSubscription.create} failed; what it made was removed again. */
export class SubscriptionSetupError extends Error {
  /** The call that failed. */
  readonly step: SetupStep;
  /** Its AWS error code (`AuthorizationError`, `AccessDenied`, ...). */
  readonly code: string;
  /** True when the caller lacked a permission. */
  readonly denied: boolean;
  /** The error the SDK raised. */
  override readonly cause: unknown;

  /** Describe `cause`, raised by `step` on `resource`. */
  constructor(step: SetupStep, resource: string, cause: unknown, detail?: string) {
    const code = detail ? "Invalid" : awsErrorCode(cause);
    const denied = !detail && isAccessDenied(cause);
    const what = detail ??
      (denied
        ? `${PERMISSION[step]} on ${resource} was denied (${code})`
        : `${step} on ${resource} failed (${code}: ${
          cause instanceof Error ? cause.message : String(cause)
        })`);
    super(what);
    this.name = "SubscriptionSetupError";
    this.step = step;
    this.code = code;
    this.denied = denied;
    this.cause = cause;
  }

  /** What to do about it, as the end of a sentence. */
  get hint(): string {
    return this.denied
      ? `grant ${PERMISSION[this.step]} (see deploy/iam-policy.json)`
      : "check the status topic (--mr-status-topic) and the region";
  }
}

/** Inputs of {@linkcode StatusSubscription.create}. */
export interface SubscriptionOptions extends AwsSettings {
  /** The status topic Model Runner publishes to. */
  topicArn: string;
  /** The run id: the queue's name suffix, its tag, and the job-id prefix the filter matches. */
  runId: string;
  /** The job-id prefix the filter lets through (default: the run id). */
  jobIdPrefix?: string;
  /** The clock for the `osml-load:created` tag (tests); default now. */
  now?: () => Date;
}

/** What {@linkcode StatusSubscription.teardown} did. */
export interface TeardownReport {
  /** Resources removed (or found already gone), as `kind name`. */
  removed: string[];
  /** Resources that could not be removed, as `kind name: why`. */
  left: string[];
}

/** Longest a rollback after a failed setup may take. */
const ROLLBACK_LIMIT_MS = 10_000;

/** A run's private status queue and its subscription to the status topic. */
export class StatusSubscription {
  /** The run id the resources carry. */
  readonly runId: string;
  /** The topic subscribed to. */
  readonly topicArn: string;
  /** `osml-load-<run id>`. */
  readonly queueName: string;
  /** The filter policy (JSON) on the subscription. */
  readonly filterPolicy: string;
  #region: string;
  #timeoutMs: number;
  #env: AwsSettings["env"];
  #queueUrl: string | undefined;
  #queueArn: string | undefined;
  #subscriptionArn: string | undefined;
  #teardown: Promise<TeardownReport> | undefined;

  private constructor(options: SubscriptionOptions) {
    this.runId = options.runId;
    this.topicArn = options.topicArn;
    this.queueName = privateQueueName(options.runId);
    this.filterPolicy = jobIdFilterPolicy(options.jobIdPrefix ?? options.runId);
    this.#region = options.region;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_AWS_TIMEOUT_MS;
    this.#env = options.env;
  }

  /** URL of the private queue (what the status monitor reads). */
  get queueUrl(): string {
    if (!this.#queueUrl) throw new Error(`the queue ${this.queueName} was removed`);
    return this.#queueUrl;
  }

  /** ARN of the private queue, once known. */
  get queueArn(): string | undefined {
    return this.#queueArn;
  }

  /** ARN of the subscription, while it exists. */
  get subscriptionArn(): string | undefined {
    return this.#subscriptionArn;
  }

  /** True once every resource is gone. */
  get removed(): boolean {
    return this.#queueUrl === undefined && this.#subscriptionArn === undefined;
  }

  /**
   * Create the queue, tag it, let the topic deliver to it, subscribe it with
   * the job-id filter, and check the subscription is confirmed with that
   * filter. Every call is bounded by `timeoutMs` and cancelled by `signal`.
   * On any failure what was made is removed again (bounded, whatever the
   * signal) and a {@linkcode SubscriptionSetupError} is thrown (or the
   * cancellation or timeout error, as it came).
   */
  static async create(options: SubscriptionOptions): Promise<StatusSubscription> {
    const sub = new StatusSubscription(options);
    const settings: AwsSettings = {
      region: options.region,
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.env ? { env: options.env } : {}),
    };
    const sqs = sqsClient(settings);
    const sns = snsClient(settings);
    const topic = topicNameOf(options.topicArn);
    let step: SetupStep = "CreateQueue";
    let resource = sub.queueName;
    try {
      const created = await sqs.send(
        new CreateQueueCommand({
          QueueName: sub.queueName,
          Attributes: { MessageRetentionPeriod: String(RETENTION_S) },
        }),
      );
      if (!created.QueueUrl) throw new Error("CreateQueue returned no QueueUrl");
      sub.#queueUrl = created.QueueUrl;
      step = "TagQueue";
      await sqs.send(
        new TagQueueCommand({
          QueueUrl: sub.#queueUrl,
          Tags: {
            [RUN_ID_TAG]: sub.runId,
            [CREATED_TAG]: (options.now?.() ?? new Date()).toISOString(),
          },
        }),
      );
      step = "GetQueueAttributes";
      const attributes = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: sub.#queueUrl, AttributeNames: ["QueueArn"] }),
      );
      const queueArn = attributes.Attributes?.QueueArn;
      if (!queueArn) throw new Error("GetQueueAttributes returned no QueueArn");
      sub.#queueArn = queueArn;
      step = "SetQueueAttributes";
      await sqs.send(
        new SetQueueAttributesCommand({
          QueueUrl: sub.#queueUrl,
          Attributes: { Policy: queuePolicy(queueArn, options.topicArn) },
        }),
      );
      step = "Subscribe";
      resource = topic;
      const subscribed = await sns.send(
        new SubscribeCommand({
          TopicArn: options.topicArn,
          Protocol: "sqs",
          Endpoint: queueArn,
          Attributes: { FilterPolicy: sub.filterPolicy, FilterPolicyScope: "MessageAttributes" },
          ReturnSubscriptionArn: true,
        }),
      );
      const arn = subscribed.SubscriptionArn;
      if (!arn || !arn.startsWith("arn:")) {
        throw new SubscriptionSetupError(
          step,
          resource,
          undefined,
          `the subscription of ${sub.queueName} to ${topic} is ${
            arn ?? "missing"
          }: SNS did not confirm it (is the topic in another account?)`,
        );
      }
      sub.#subscriptionArn = arn;
      step = "GetSubscriptionAttributes";
      const check = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: arn }));
      const attrs = check.Attributes ?? {};
      if (attrs.PendingConfirmation === "true") {
        throw new SubscriptionSetupError(
          step,
          resource,
          undefined,
          `the subscription of ${sub.queueName} to ${topic} is pending confirmation (is the topic in another account?)`,
        );
      }
      if (!sameJson(attrs.FilterPolicy, sub.filterPolicy)) {
        throw new SubscriptionSetupError(
          step,
          resource,
          undefined,
          `the subscription of ${sub.queueName} to ${topic} does not carry the job-id filter policy`,
        );
      }
      return sub;
    } catch (error) {
      // Remove what was made, bounded, even when the run was cancelled.
      await sub.teardown(Math.min(ROLLBACK_LIMIT_MS, sub.#timeoutMs));
      if (error instanceof SubscriptionSetupError) throw error;
      if (options.signal?.aborted || error instanceof AwsTimeoutError) throw error;
      throw new SubscriptionSetupError(step, resource, error);
    } finally {
      sqs.destroy();
      sns.destroy();
    }
  }

  /**
   * Unsubscribe, then delete the queue, within `limitMs` in all (each call
   * also within the AWS timeout). Resources found already gone count as
   * removed. Safe to call again: a call while one runs shares it; a later call
   * retries only what is left.
   */
  teardown(limitMs: number): Promise<TeardownReport> {
    if (this.#teardown) return this.#teardown;
    const running = this.#removeAll(limitMs).finally(() => (this.#teardown = undefined));
    this.#teardown = running;
    return running;
  }

  async #removeAll(limitMs: number): Promise<TeardownReport> {
    const report: TeardownReport = { removed: [], left: [] };
    if (this.removed) return report;
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), Math.max(0, limitMs));
    const settings: AwsSettings = {
      region: this.#region,
      timeoutMs: Math.max(1, Math.min(this.#timeoutMs, limitMs)),
      signal: deadline.signal,
      ...(this.#env ? { env: this.#env } : {}),
    };
    const sns = snsClient(settings);
    const sqs = sqsClient(settings);
    const why = (error: unknown) =>
      deadline.signal.aborted
        ? `not done within ${limitMs / 1000} s`
        : `${awsErrorCode(error)}: ${error instanceof Error ? error.message : String(error)}`;
    try {
      const subscription = this.#subscriptionArn;
      if (subscription) {
        try {
          await sns.send(new UnsubscribeCommand({ SubscriptionArn: subscription }));
          this.#subscriptionArn = undefined;
          report.removed.push(`subscription ${subscription}`);
        } catch (error) {
          if (awsErrorCode(error) === "NotFound" || awsErrorCode(error) === "NotFoundException") {
            this.#subscriptionArn = undefined;
            report.removed.push(`subscription ${subscription}`);
          } else report.left.push(`subscription ${subscription}: ${why(error)}`);
        }
      }
      const queueUrl = this.#queueUrl;
      if (queueUrl) {
        try {
          await sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
          this.#queueUrl = undefined;
          report.removed.push(`queue ${this.queueName}`);
        } catch (error) {
          const code = awsErrorCode(error);
          if (code === "QueueDoesNotExist" || code === "AWS.SimpleQueueService.NonExistentQueue") {
            this.#queueUrl = undefined;
            report.removed.push(`queue ${this.queueName}`);
          } else report.left.push(`queue ${this.queueName}: ${why(error)}`);
        }
      }
      return report;
    } finally {
      clearTimeout(timer);
      sns.destroy();
      sqs.destroy();
    }
  }
}

/** True when the JSON text `a` means the same as `b` (object key order ignored). */
function sameJson(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  try {
    return canonical(JSON.parse(a)) === canonical(JSON.parse(b));
  } catch {
    return false;
  }
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([x], [y]) =>
      x < y ? -1 : x > y ? 1 : 0
    );
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
