/**
 * The simulator's SNS topics and subscriptions, in memory, delivering to its
 * SQS queues in-process: a publish goes at once to every `sqs` subscription
 * of the topic whose filter policy matches, as the SNS envelope (raw message
 * delivery off) or as the bare message with the attributes as SQS message
 * attributes (raw delivery on). Like SNS, delivery to a queue needs the
 * queue's `Policy` to allow `sns.amazonaws.com` to `sqs:SendMessage` from the
 * topic (unless the store was made with `enforceQueuePolicy: false`); a
 * delivery that cannot be made (no such queue, policy denies) is dropped,
 * counted, and described in the subscription's `lastDeliveryFailure`.
 *
 * Used over HTTP by `sns_api.ts` and directly by the simulated Model Runner.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SnsStore } from "./sns_store.ts";
 * import { SqsStore } from "./sqs_store.ts";
 * import { UsageLedger } from "./usage.ts";
 * const sqs = new SqsStore({ region: "us-west-2", account: "123456789012", baseUrl: "http://127.0.0.1:4566" });
 * const sns = new SnsStore({ sqs, ledger: new UsageLedger(), enforceQueuePolicy: false });
 * const topic = sns.createTopic("t");
 * const queue = sqs.create("q", {});
 * sns.subscribe(topic.arn, "sqs", queue.arn, { RawMessageDelivery: "true" });
 * sns.publish({ topicArn: topic.arn, message: "hello" });
 * assert.equal(queue.peekVisible()[0]?.body, "hello");
 * sqs.close();
 * ```
 * @module
 */
import { AwsError } from "./aws_error.ts";
import type { MessageAttributeValue } from "./md5.ts";
import { type EnvelopeAttribute, fakeSignature, snsEnvelopeBody } from "./sns_envelope.ts";
import {
  type FilterAttribute,
  type FilterPolicy,
  type FilterPolicyScope,
  matchesFilterPolicy,
  parseFilterPolicy,
} from "./sns_filter_policy.ts";
import { queuePolicyAllows } from "./sqs_queue_policy.ts";
import type { SqsStore } from "./sqs_store.ts";
import type { UsageLedger } from "./usage.ts";

const SNS_SERVICE = "Amazon Simple Notification Service";

/** A message attribute as Publish takes it. */
export interface SnsMessageAttribute {
  /** `String`, `Number`, `Binary`, `String.Array`, or a custom `String.x` / `Number.x`. */
  DataType: string;
  StringValue?: string | undefined;
  /** Base64. */
  BinaryValue?: string | undefined;
}

/** One topic. */
export interface SnsTopic {
  readonly arn: string;
  readonly name: string;
  /** Settable attributes (DisplayName, Policy, DeliveryPolicy, ...). */
  attributes: Record<string, string>;
  /** Tags, in the order given. */
  tags: Record<string, string>;
}

/** One subscription (protocol `sqs`). */
export interface SnsSubscription {
  readonly arn: string;
  readonly topicArn: string;
  readonly protocol: "sqs";
  /** The queue ARN. */
  readonly endpoint: string;
  rawMessageDelivery: boolean;
  filterPolicy: FilterPolicy | undefined;
  filterPolicyScope: FilterPolicyScope;
  /** Other attributes kept as given (RedrivePolicy, DeliveryPolicy). */
  extra: Record<string, string>;
  /** Copies delivered to the queue. */
  delivered: number;
  /** Copies the filter policy kept out. */
  filteredOut: number;
  /** Copies that could not be delivered. */
  failed: number;
  /** Why the last failed delivery failed. */
  lastDeliveryFailure: string | undefined;
}

/** Input of {@linkcode SnsStore.publish}. */
export interface PublishInput {
  topicArn: string;
  message: string;
  subject?: string | undefined;
  /** `json`: `message` is a JSON object with `default` (and `sqs`) texts. */
  messageStructure?: string | undefined;
  /** In the order given (the envelope keeps it). */
  attributes?: Record<string, SnsMessageAttribute> | undefined;
}

/** What a publish did. */
export interface PublishResult {
  messageId: string;
  /** Subscriptions the message went to. */
  delivered: number;
  /** Subscriptions whose filter policy kept it out. */
  filteredOut: number;
  /** Subscriptions it could not be delivered to. */
  failed: number;
}

/** Totals of a store. */
export interface SnsCounters {
  published: number;
  delivered: number;
  filteredOut: number;
  failed: number;
}

/** Options of {@linkcode SnsStore}. */
export interface SnsStoreOptions {
  /** The queues subscriptions deliver to. */
  sqs: SqsStore;
  ledger: UsageLedger;
  /** Require the queue policy to allow SNS (default true, as AWS). */
  enforceQueuePolicy?: boolean;
}

/** The subscription attributes Subscribe / SetSubscriptionAttributes accept. */
const SUBSCRIPTION_ATTRIBUTES = new Set([
  "FilterPolicy",
  "FilterPolicyScope",
  "RawMessageDelivery",
  "RedrivePolicy",
  "DeliveryPolicy",
  "SubscriptionRoleArn",
  "ReplayPolicy",
]);

/** The topic attributes CreateTopic / SetTopicAttributes accept. */
const TOPIC_ATTRIBUTES = new Set([
  "DisplayName",
  "Policy",
  "DeliveryPolicy",
  "KmsMasterKeyId",
  "TracingConfig",
  "SignatureVersion",
  "DataProtectionPolicy",
  "ArchivePolicy",
  "FifoTopic",
  "ContentBasedDeduplication",
]);

/**
 * `InvalidParameter` as SNS words it.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { invalidParameter } from "./sns_store.ts";
 * assert.equal(invalidParameter("Protocol", "use sqs").message, "Invalid parameter: Protocol Reason: use sqs");
 * ```
 */
export function invalidParameter(name: string, reason: string): AwsError {
  return new AwsError(400, "InvalidParameter", `Invalid parameter: ${name} Reason: ${reason}`);
}

function notFound(what: string): AwsError {
  return new AwsError(404, "NotFound", what);
}

/**
 * Every topic and subscription of the simulator.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { SnsStore } from "./sns_store.ts";
 * import { SqsStore } from "./sqs_store.ts";
 * import { UsageLedger } from "./usage.ts";
 * const sqs = new SqsStore({ region: "us-west-2", account: "123456789012", baseUrl: "http://127.0.0.1:4566" });
 * const sns = new SnsStore({ sqs, ledger: new UsageLedger() });
 * assert.equal(sns.createTopic("ImageStatusTopic").arn, "arn:aws:sns:us-west-2:123456789012:ImageStatusTopic");
 * ```
 */
export class SnsStore {
  readonly region: string;
  readonly account: string;
  /** Whether deliveries check the queue policy. */
  enforceQueuePolicy: boolean;
  /** Totals so far. */
  readonly counters: SnsCounters = { published: 0, delivered: 0, filteredOut: 0, failed: 0 };
  #sqs: SqsStore;
  #ledger: UsageLedger;
  #topics = new Map<string, SnsTopic>();
  #subscriptions = new Map<string, SnsSubscription>();

  /** An empty store delivering to `options.sqs`. */
  constructor(options: SnsStoreOptions) {
    this.#sqs = options.sqs;
    this.#ledger = options.ledger;
    this.region = options.sqs.region;
    this.account = options.sqs.account;
    this.enforceQueuePolicy = options.enforceQueuePolicy ?? true;
  }

  /** The ARN a topic of this name has. */
  topicArn(name: string): string {
    return `arn:aws:sns:${this.region}:${this.account}:${name}`;
  }

  /**
   * Create a topic, or return the existing one of that name (as SNS does when
   * the attributes given agree with it).
   */
  createTopic(
    name: string,
    attributes: Record<string, string> = {},
    tags: Record<string, string> = {},
  ): SnsTopic {
    if (!/^[A-Za-z0-9_-]{1,256}$/.test(name)) {
      throw invalidParameter(
        "Topic Name",
        `"${name}" must be 1 to 256 letters, numbers, hyphens or underscores (FIFO .fifo topics are not simulated).`,
      );
    }
    checkTopicAttributes(attributes);
    const arn = this.topicArn(name);
    const existing = this.#topics.get(arn);
    if (existing) {
      for (const [k, v] of Object.entries(attributes)) {
        if ((existing.attributes[k] ?? "") !== v) {
          throw invalidParameter(
            "Attributes",
            `Topic already exists with different attributes (${k}): use the existing topic or another name.`,
          );
        }
      }
      for (const [k, v] of Object.entries(tags)) {
        if (existing.tags[k] !== undefined && existing.tags[k] !== v) {
          throw invalidParameter("Tags", "Topic already exists with different tags.");
        }
      }
      return existing;
    }
    const topic: SnsTopic = { arn, name, attributes: { ...attributes }, tags: { ...tags } };
    this.#topics.set(arn, topic);
    return topic;
  }

  /** The topic of this ARN, if any. */
  getTopic(arn: string): SnsTopic | undefined {
    return this.#topics.get(arn);
  }

  /** The topic of this ARN, or `NotFound`. */
  topic(arn: string): SnsTopic {
    const topic = this.#topics.get(arn);
    if (!topic) {
      throw notFound(
        `Topic does not exist (${arn}): create it first, or check the ARN's region and account.`,
      );
    }
    return topic;
  }

  /** Every topic, in creation order. */
  listTopics(): SnsTopic[] {
    return [...this.#topics.values()];
  }

  /** Delete a topic and its subscriptions (no error when there is no such topic, as SNS). */
  deleteTopic(arn: string): void {
    if (!this.#topics.delete(arn)) return;
    for (const [subArn, sub] of this.#subscriptions) {
      if (sub.topicArn === arn) this.#subscriptions.delete(subArn);
    }
  }

  /** Set one topic attribute. */
  setTopicAttribute(arn: string, name: string, value: string): void {
    const topic = this.topic(arn);
    checkTopicAttributes({ [name]: value });
    if (value === "" && name !== "DisplayName") delete topic.attributes[name];
    else topic.attributes[name] = value;
  }

  /**
   * Subscribe a queue (protocol `sqs`; the endpoint is the queue ARN).
   * Subscribing the same queue again with the same attributes returns the
   * existing subscription; with different ones it is an error, as in SNS.
   */
  subscribe(
    topicArn: string,
    protocol: string,
    endpoint: string,
    attributes: Record<string, string> = {},
  ): SnsSubscription {
    this.topic(topicArn);
    if (protocol !== "sqs") {
      throw invalidParameter(
        "Protocol",
        `the simulator delivers to protocol sqs only (got "${protocol}").`,
      );
    }
    if (!/^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,80}$/.test(endpoint)) {
      throw invalidParameter(
        "SQS endpoint ARN",
        `"${endpoint}" is not an SQS queue ARN (arn:aws:sqs:<region>:<account>:<queue>; GetQueueAttributes QueueArn gives it).`,
      );
    }
    const draft = this.#newSubscription(topicArn, endpoint);
    for (const [name, value] of Object.entries(attributes)) {
      applySubscriptionAttribute(draft, name, value, attributes);
    }
    const existing = [...this.#subscriptions.values()].find((s) =>
      s.topicArn === topicArn && s.endpoint === endpoint
    );
    if (existing) {
      if (sameSettings(existing, draft)) return existing;
      throw invalidParameter(
        "Attributes",
        "Subscription already exists with different attributes: change it with SetSubscriptionAttributes, or Unsubscribe first.",
      );
    }
    this.#subscriptions.set(draft.arn, draft);
    return draft;
  }

  #newSubscription(topicArn: string, endpoint: string): SnsSubscription {
    return {
      arn: `${topicArn}:${crypto.randomUUID()}`,
      topicArn,
      protocol: "sqs",
      endpoint,
      rawMessageDelivery: false,
      filterPolicy: undefined,
      filterPolicyScope: "MessageAttributes",
      extra: {},
      delivered: 0,
      filteredOut: 0,
      failed: 0,
      lastDeliveryFailure: undefined,
    };
  }

  /** The subscription of this ARN, or `NotFound`. */
  subscription(arn: string): SnsSubscription {
    const sub = this.#subscriptions.get(arn);
    if (!sub) {
      throw notFound(
        `Subscription does not exist (${arn}): ListSubscriptionsByTopic shows the topic's subscriptions.`,
      );
    }
    return sub;
  }

  /** Every subscription, in creation order (of one topic when given). */
  listSubscriptions(topicArn?: string): SnsSubscription[] {
    const all = [...this.#subscriptions.values()];
    return topicArn === undefined ? all : all.filter((s) => s.topicArn === topicArn);
  }

  /** Remove a subscription (`NotFound` when there is none). */
  unsubscribe(arn: string): void {
    this.subscription(arn);
    this.#subscriptions.delete(arn);
  }

  /** Set one subscription attribute (`FilterPolicy` `""` removes the policy). */
  setSubscriptionAttribute(arn: string, name: string, value: string): void {
    const sub = this.subscription(arn);
    applySubscriptionAttribute(sub, name, value, {});
  }

  /** The GetSubscriptionAttributes map. */
  subscriptionAttributes(arn: string): Record<string, string> {
    const sub = this.subscription(arn);
    const out: Record<string, string> = {
      SubscriptionArn: sub.arn,
      TopicArn: sub.topicArn,
      Owner: this.account,
      Protocol: sub.protocol,
      Endpoint: sub.endpoint,
      ConfirmationWasAuthenticated: "true",
      PendingConfirmation: "false",
      RawMessageDelivery: String(sub.rawMessageDelivery),
      SubscriptionPrincipal: `arn:aws:iam::${this.account}:user/osml-load-sim`,
    };
    if (sub.filterPolicy) {
      out.FilterPolicy = sub.filterPolicy.text;
      out.FilterPolicyScope = sub.filterPolicyScope;
    }
    Object.assign(out, sub.extra);
    return out;
  }

  /** The GetTopicAttributes map. */
  topicAttributes(arn: string): Record<string, string> {
    const topic = this.topic(arn);
    const subs = this.listSubscriptions(arn).length;
    return {
      TopicArn: topic.arn,
      Owner: this.account,
      DisplayName: topic.attributes.DisplayName ?? "",
      Policy: topic.attributes.Policy ?? defaultTopicPolicy(topic.arn, this.account),
      SubscriptionsConfirmed: String(subs),
      SubscriptionsPending: "0",
      SubscriptionsDeleted: "0",
      EffectiveDeliveryPolicy: topic.attributes.DeliveryPolicy ??
        '{"http":{"defaultHealthyRetryPolicy":{"minDelayTarget":20,"maxDelayTarget":20,"numRetries":3,"numMaxDelayRetries":0,"numNoDelayRetries":0,"numMinDelayRetries":0,"backoffFunction":"linear"},"disableSubscriptionOverrides":false}}',
      ...Object.fromEntries(
        Object.entries(topic.attributes).filter(([k]) =>
          k !== "DisplayName" && k !== "Policy" && k !== "DeliveryPolicy"
        ),
      ),
    };
  }

  /**
   * Publish to a topic: validate, then deliver to each matching subscription.
   * Records one SNS request (and one free SQS delivery per copy) in the ledger.
   */
  publish(input: PublishInput): PublishResult {
    const topic = this.topic(input.topicArn);
    const attributes = input.attributes ?? {};
    checkPublish(input, attributes);
    let sqsText = input.message;
    if (input.messageStructure === "json") {
      const parsed = JSON.parse(input.message) as Record<string, unknown>;
      sqsText = String(parsed.sqs ?? parsed.default);
    }
    const messageId = crypto.randomUUID();
    const now = Date.now();
    const signature = fakeSignature();
    const envelopeAttributes: Record<string, EnvelopeAttribute> = {};
    const filterAttributes: Record<string, FilterAttribute> = {};
    const sqsAttributes: Record<string, MessageAttributeValue> = {};
    for (const [name, a] of Object.entries(attributes)) {
      const value = a.DataType === "Binary" ? a.BinaryValue ?? "" : a.StringValue ?? "";
      envelopeAttributes[name] = { Type: a.DataType, Value: value };
      filterAttributes[name] = { type: a.DataType, value };
      sqsAttributes[name] = a.DataType.startsWith("Binary")
        ? { DataType: a.DataType, BinaryValue: value }
        : { DataType: a.DataType, StringValue: value };
    }
    this.counters.published++;
    this.#ledger.record(SNS_SERVICE, "Requests-Tier1", 1);
    const result: PublishResult = { messageId, delivered: 0, filteredOut: 0, failed: 0 };
    for (const sub of this.listSubscriptions(topic.arn)) {
      if (
        sub.filterPolicy &&
        !matchesFilterPolicy(sub.filterPolicy, { attributes: filterAttributes, body: sqsText })
      ) {
        sub.filteredOut++;
        result.filteredOut++;
        continue;
      }
      const failure = this.#deliveryProblem(sub);
      if (failure !== undefined) {
        sub.failed++;
        sub.lastDeliveryFailure = failure;
        result.failed++;
        continue;
      }
      const queue = this.#sqs.byArn(sub.endpoint)!;
      if (sub.rawMessageDelivery) {
        queue.send(sqsText, {
          messageAttributes: Object.keys(sqsAttributes).length > 0 ? sqsAttributes : undefined,
        });
      } else {
        queue.send(
          snsEnvelopeBody({
            messageId,
            topicArn: topic.arn,
            message: sqsText,
            subject: input.subject,
            timestamp: now,
            subscriptionArn: sub.arn,
            attributes: envelopeAttributes,
            signature,
          }),
        );
      }
      sub.delivered++;
      result.delivered++;
      this.#ledger.record(SNS_SERVICE, "DeliveryAttempts-SQS", 1);
    }
    this.counters.delivered += result.delivered;
    this.counters.filteredOut += result.filteredOut;
    this.counters.failed += result.failed;
    return result;
  }

  #deliveryProblem(sub: SnsSubscription): string | undefined {
    const queue = this.#sqs.byArn(sub.endpoint);
    if (!queue) return `queue ${sub.endpoint} does not exist`;
    if (!this.enforceQueuePolicy) return undefined;
    const allowed = queuePolicyAllows(queue.config.policy, {
      action: "sqs:SendMessage",
      resource: queue.arn,
      service: "sns.amazonaws.com",
      context: { "aws:SourceArn": sub.topicArn, "aws:SourceAccount": this.account },
    });
    return allowed ? undefined : `the Policy of queue ${queue.arn} does not allow ` +
      `sns.amazonaws.com to sqs:SendMessage from ${sub.topicArn}: set one with SetQueueAttributes`;
  }
}

function checkTopicAttributes(attributes: Record<string, string>): void {
  for (const [name, value] of Object.entries(attributes)) {
    if (!TOPIC_ATTRIBUTES.has(name)) {
      throw invalidParameter(
        "AttributeName",
        `unknown topic attribute ${name} (use DisplayName, Policy, DeliveryPolicy, ...).`,
      );
    }
    if ((name === "FifoTopic" || name === "ContentBasedDeduplication") && value === "true") {
      throw invalidParameter(name, "the simulator has standard topics only.");
    }
    if (name === "Policy" || name === "DeliveryPolicy") {
      try {
        JSON.parse(value);
      } catch {
        throw invalidParameter(name, "the value is not valid JSON.");
      }
    }
  }
}

function applySubscriptionAttribute(
  sub: SnsSubscription,
  name: string,
  value: string,
  all: Record<string, string>,
): void {
  if (!SUBSCRIPTION_ATTRIBUTES.has(name)) {
    throw invalidParameter(
      "AttributeName",
      `unknown subscription attribute ${name} (use FilterPolicy, FilterPolicyScope, RawMessageDelivery, RedrivePolicy, DeliveryPolicy).`,
    );
  }
  switch (name) {
    case "RawMessageDelivery":
      if (value !== "true" && value !== "false") {
        throw invalidParameter("RawMessageDelivery", `must be true or false (got "${value}").`);
      }
      sub.rawMessageDelivery = value === "true";
      return;
    case "FilterPolicyScope": {
      if (value !== "MessageAttributes" && value !== "MessageBody") {
        throw invalidParameter(
          "FilterPolicyScope",
          `must be MessageAttributes or MessageBody (got "${value}").`,
        );
      }
      sub.filterPolicyScope = value;
      const text = all.FilterPolicy ?? sub.filterPolicy?.text;
      sub.filterPolicy = text === undefined || text === "" || text === "{}"
        ? undefined
        : parseFilterPolicy(text, value);
      return;
    }
    case "FilterPolicy": {
      const scope = (all.FilterPolicyScope ?? sub.filterPolicyScope) as FilterPolicyScope;
      sub.filterPolicy = value === "" || value.trim() === "{}"
        ? undefined
        : parseFilterPolicy(value, scope === "MessageBody" ? "MessageBody" : "MessageAttributes");
      return;
    }
    default:
      if (value === "") delete sub.extra[name];
      else sub.extra[name] = value;
  }
}

function sameSettings(a: SnsSubscription, b: SnsSubscription): boolean {
  return a.rawMessageDelivery === b.rawMessageDelivery &&
    a.filterPolicyScope === b.filterPolicyScope &&
    a.filterPolicy?.text === b.filterPolicy?.text &&
    JSON.stringify(a.extra) === JSON.stringify(b.extra);
}

const ATTRIBUTE_NAME = /^(?!aws\.|amazon\.)(?!.*\.\.)[A-Za-z0-9_-][A-Za-z0-9_.-]{0,255}$/i;

function checkPublish(input: PublishInput, attributes: Record<string, SnsMessageAttribute>): void {
  if (input.message === "") {
    throw invalidParameter("Message", "Empty message: publish a non-empty Message.");
  }
  let size = new TextEncoder().encode(input.message).length;
  if (input.subject !== undefined) {
    if (input.subject === "" || input.subject.length > 100 || /[\r\n]/.test(input.subject)) {
      throw invalidParameter("Subject", "must be 1 to 100 characters on one line.");
    }
  }
  if (input.messageStructure !== undefined && input.messageStructure !== "json") {
    throw invalidParameter("MessageStructure", `must be json (got "${input.messageStructure}").`);
  }
  if (input.messageStructure === "json") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(input.message);
    } catch {
      parsed = undefined;
    }
    const p = parsed as Record<string, unknown> | undefined;
    if (!p || typeof p !== "object" || typeof p.default !== "string") {
      throw invalidParameter(
        "Message",
        'Message Structure - JSON message body failed to parse, or has no "default" text.',
      );
    }
  }
  for (const [name, a] of Object.entries(attributes)) {
    if (!ATTRIBUTE_NAME.test(name)) {
      throw invalidParameter("MessageAttributes", `invalid attribute name "${name}".`);
    }
    const type = a.DataType ?? "";
    const base = type === "String.Array" ? type : type.split(".")[0];
    const value = base === "Binary" ? a.BinaryValue : a.StringValue;
    if (base !== "String" && base !== "Number" && base !== "Binary" && base !== "String.Array") {
      throw new AwsError(
        400,
        "ParameterValueInvalid",
        `The message attribute '${name}' has an invalid message attribute type "${type}": use String, Number, Binary or String.Array.`,
      );
    }
    if (value === undefined || value === "") {
      throw new AwsError(
        400,
        "ParameterValueInvalid",
        `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${type}'.`,
      );
    }
    if (base === "Number" && !Number.isFinite(Number(value))) {
      throw new AwsError(
        400,
        "ParameterValueInvalid",
        `Could not cast message attribute '${name}' value to number.`,
      );
    }
    if (base === "String.Array") {
      let ok = false;
      try {
        ok = Array.isArray(JSON.parse(value));
      } catch {
        ok = false;
      }
      if (!ok) {
        throw new AwsError(
          400,
          "ParameterValueInvalid",
          `The message attribute '${name}' with type 'String.Array' must be a JSON array.`,
        );
      }
    }
    size += new TextEncoder().encode(name + type + value).length;
  }
  if (size > 262_144) {
    throw invalidParameter(
      "Message too long",
      `the message and its attributes are ${size} bytes (at most 262144).`,
    );
  }
}

function defaultTopicPolicy(topicArn: string, account: string): string {
  return JSON.stringify({
    Version: "2008-10-17",
    Id: "__default_policy_ID",
    Statement: [{
      Sid: "__default_statement_ID",
      Effect: "Allow",
      Principal: { AWS: "*" },
      Action: [
        "SNS:GetTopicAttributes",
        "SNS:SetTopicAttributes",
        "SNS:AddPermission",
        "SNS:RemovePermission",
        "SNS:DeleteTopic",
        "SNS:Subscribe",
        "SNS:ListSubscriptionsByTopic",
        "SNS:Publish",
      ],
      Resource: topicArn,
      Condition: { StringEquals: { "AWS:SourceOwner": account } },
    }],
  });
}
