/**
 * The SQS API of the simulator (AWS JSON 1.0, `X-Amz-Target: AmazonSQS.<Operation>`):
 * turns a parsed request body into the response body, over an {@linkcode SqsStore}.
 * Errors are thrown as {@linkcode AwsError} with the query-compatible code
 * that SQS sends in `x-amzn-query-error`.
 *
 * Opt-in quirks ({@linkcode setSqsQuirks}) imitate other SQS-compatible servers,
 * for tests of the tool's robustness; they are off unless a test turns them on.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { handleSqs } from "./sqs_api.ts";
 * import { SqsStore } from "./sqs_store.ts";
 * import { UsageLedger } from "./usage.ts";
 * const store = new SqsStore({ region: "us-west-2", account: "123456789012", baseUrl: "http://127.0.0.1:4566" });
 * const out = await handleSqs("CreateQueue", { QueueName: "q" }, { store, ledger: new UsageLedger() });
 * assert.deepEqual(out, { QueueUrl: "http://127.0.0.1:4566/123456789012/q" });
 * store.close();
 * ```
 * @module
 */
import { AwsError } from "./aws_error.ts";
import { md5OfMessageAttributes, type MessageAttributeValue } from "./md5.ts";
import { validateQueuePolicy } from "./sqs_queue_policy.ts";
import type { QueueConfig, ReceivedMessage, SqsQueue, SqsStore } from "./sqs_store.ts";
import type { UsageLedger } from "./usage.ts";

/** What the SQS handler works on. */
export interface SqsContext {
  store: SqsStore;
  ledger: UsageLedger;
  /** Aborted when the HTTP client goes away (ends long polls early). */
  signal?: AbortSignal | undefined;
}

type Input = Record<string, unknown>;

/**
 * Behaviours of other SQS-compatible servers that the simulator can imitate (all off by default).
 *
 * @example
 * ```ts
 * import type { SqsQuirks } from "./sqs_api.ts";
 * const quirks: SqsQuirks = { attributesMissingFor: ["ImageRequestQueue"] };
 * ```
 */
export interface SqsQuirks {
  /**
   * Queue names whose GetQueueAttributes answer is `{}` (no `Attributes` member at all), as
   * some SQS-compatible servers answer; `true` for every queue.
   */
  attributesMissingFor?: readonly string[] | true;
  /**
   * Hold every SendMessage answer this long (ms) AFTER the message is on the queue, like a slow
   * network on the way back: a fast consumer can then act on the message (and publish its
   * status) before the sender's SendMessage returns.
   */
  sendMessageAnswerDelayMs?: number;
}

const sqsQuirks = new WeakMap<SqsStore, SqsQuirks>();

/**
 * Turn quirks on (or off, with `{}`) for the SQS API over `store` (e.g. `sim.state.sqs`).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { handleSqs, setSqsQuirks } from "./sqs_api.ts";
 * import { SqsStore } from "./sqs_store.ts";
 * import { UsageLedger } from "./usage.ts";
 * const store = new SqsStore({ region: "us-west-2", account: "123456789012", baseUrl: "http://127.0.0.1:4566" });
 * setSqsQuirks(store, { attributesMissingFor: true });
 * const ctx = { store, ledger: new UsageLedger() };
 * const { QueueUrl } = await handleSqs("CreateQueue", { QueueName: "q" }, ctx) as { QueueUrl: string };
 * // An answer without `Attributes`, as some SQS-compatible servers give.
 * assert.deepEqual(await handleSqs("GetQueueAttributes", { QueueUrl, AttributeNames: ["All"] }, ctx), {});
 * store.close();
 * ```
 */
export function setSqsQuirks(store: SqsStore, quirks: SqsQuirks): void {
  sqsQuirks.set(store, { ...quirks });
}

/**
 * The SQS operations the simulator answers.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { SQS_OPERATIONS } from "./sqs_api.ts";
 * assert.equal(SQS_OPERATIONS.includes("ReceiveMessage"), true);
 * ```
 */
export const SQS_OPERATIONS: readonly string[] = [
  "CreateQueue",
  "GetQueueUrl",
  "ListQueues",
  "GetQueueAttributes",
  "SetQueueAttributes",
  "DeleteQueue",
  "SendMessage",
  "SendMessageBatch",
  "ReceiveMessage",
  "DeleteMessage",
  "DeleteMessageBatch",
  "ChangeMessageVisibility",
  "ChangeMessageVisibilityBatch",
  "PurgeQueue",
  "TagQueue",
  "UntagQueue",
  "ListQueueTags",
];

/**
 * Answer one SQS operation; returns the JSON response body.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { handleSqs } from "./sqs_api.ts";
 * import { SqsStore } from "./sqs_store.ts";
 * import { UsageLedger } from "./usage.ts";
 * const store = new SqsStore({ region: "us-west-2", account: "123456789012", baseUrl: "http://127.0.0.1:4566" });
 * const ctx = { store, ledger: new UsageLedger() };
 * await handleSqs("CreateQueue", { QueueName: "q" }, ctx);
 * assert.deepEqual(await handleSqs("ListQueues", {}, ctx), { QueueUrls: ["http://127.0.0.1:4566/123456789012/q"] });
 * store.close();
 * ```
 */
export async function handleSqs(
  operation: string,
  input: unknown,
  ctx: SqsContext,
): Promise<unknown> {
  const req: Input = input !== null && typeof input === "object" ? input as Input : {};
  ctx.ledger.record("Amazon Simple Queue Service", "Requests-Tier1", 1);
  const { store } = ctx;
  switch (operation) {
    case "CreateQueue": {
      const name = requireString(req, "QueueName");
      const attrs = stringMap(req.Attributes, "Attributes");
      const config = parseQueueAttributes(attrs, store);
      const tags = stringMap(req.tags ?? req.Tags, "tags");
      checkTags(tags);
      const q = store.create(name, config, tags, Object.keys(config) as (keyof QueueConfig)[]);
      return { QueueUrl: q.url };
    }
    case "GetQueueUrl": {
      const name = requireString(req, "QueueName");
      const owner = req.QueueOwnerAWSAccountId;
      const q = owner !== undefined && owner !== store.account ? undefined : store.get(name);
      if (!q) {
        throw new AwsError(
          400,
          "QueueDoesNotExist",
          `The specified queue does not exist (${name}): create it first or check the name, account and region.`,
          { queryCode: "AWS.SimpleQueueService.NonExistentQueue" },
        );
      }
      return { QueueUrl: q.url };
    }
    case "ListQueues": {
      const prefix = typeof req.QueueNamePrefix === "string" ? req.QueueNamePrefix : "";
      const max = optionalInt(req, "MaxResults", 1, 1000);
      const urls = store.list().filter((q) => q.name.startsWith(prefix)).map((q) => q.url).sort();
      let start = 0;
      if (typeof req.NextToken === "string" && req.NextToken !== "") {
        const after = decodeToken(req.NextToken);
        start = urls.findIndex((u) => u > after);
        if (start < 0) start = urls.length;
      }
      const page = urls.slice(start, start + (max ?? 1000));
      const out: Input = {};
      if (page.length > 0) out.QueueUrls = page;
      if (max !== undefined && start + page.length < urls.length) {
        out.NextToken = encodeToken(page[page.length - 1]!);
      }
      return out;
    }
    case "GetQueueAttributes": {
      const q = queueOf(req, store);
      const names = Array.isArray(req.AttributeNames) ? req.AttributeNames.map(String) : [];
      const missing = sqsQuirks.get(store)?.attributesMissingFor;
      if (missing === true || missing?.includes(q.name)) return {};
      return { Attributes: queueAttributes(q, names) };
    }
    case "SetQueueAttributes": {
      const q = queueOf(req, store);
      const config = parseQueueAttributes(stringMap(req.Attributes, "Attributes"), store);
      q.config = { ...q.config, ...config };
      q.lastModifiedTimestamp = Math.floor(Date.now() / 1000);
      return {};
    }
    case "DeleteQueue": {
      const q = queueOf(req, store);
      store.remove(q.name);
      return {};
    }
    case "SendMessage": {
      const q = queueOf(req, store);
      const entry = parseSendEntry(req, q);
      const m = q.send(entry.body, entry);
      const out: Input = { MD5OfMessageBody: m.md5OfBody, MessageId: m.messageId };
      if (entry.messageAttributes) {
        out.MD5OfMessageAttributes = md5OfMessageAttributes(entry.messageAttributes);
      }
      const delayMs = sqsQuirks.get(store)?.sendMessageAnswerDelayMs ?? 0;
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      return out;
    }
    case "SendMessageBatch": {
      const q = queueOf(req, store);
      const entries = batchEntries(req);
      const successful: Input[] = [];
      const failed: Input[] = [];
      for (const raw of entries) {
        const id = String(raw.Id);
        try {
          const entry = parseSendEntry(raw, q);
          const m = q.send(entry.body, entry);
          const ok: Input = { Id: id, MessageId: m.messageId, MD5OfMessageBody: m.md5OfBody };
          if (entry.messageAttributes) {
            ok.MD5OfMessageAttributes = md5OfMessageAttributes(entry.messageAttributes);
          }
          successful.push(ok);
        } catch (e) {
          if (!(e instanceof AwsError)) throw e;
          failed.push({ Id: id, SenderFault: true, Code: e.code, Message: e.message });
        }
      }
      return { Successful: successful, Failed: failed };
    }
    case "ReceiveMessage": {
      const q = queueOf(req, store);
      const max = optionalInt(req, "MaxNumberOfMessages", 1, 10) ?? 1;
      const wait = optionalInt(req, "WaitTimeSeconds", 0, 20) ??
        q.config.receiveMessageWaitTimeSeconds;
      const visibility = optionalInt(req, "VisibilityTimeout", 0, 43_200);
      const received = await q.receive({
        max,
        waitMs: wait * 1000,
        visibilityTimeout: visibility,
        signal: ctx.signal,
      });
      if (received.length === 0) return {};
      const systemNames = [
        ...(Array.isArray(req.AttributeNames) ? req.AttributeNames : []),
        ...(Array.isArray(req.MessageSystemAttributeNames) ? req.MessageSystemAttributeNames : []),
      ].map(String);
      const attrNames = Array.isArray(req.MessageAttributeNames)
        ? req.MessageAttributeNames.map(String)
        : [];
      return { Messages: received.map((r) => messageOut(r, systemNames, attrNames, store)) };
    }
    case "DeleteMessage": {
      const q = queueOf(req, store);
      q.delete(requireString(req, "ReceiptHandle"));
      return {};
    }
    case "DeleteMessageBatch": {
      const q = queueOf(req, store);
      const entries = batchEntries(req);
      const successful: Input[] = [];
      const failed: Input[] = [];
      for (const e of entries) {
        const id = String(e.Id);
        try {
          q.delete(typeof e.ReceiptHandle === "string" ? e.ReceiptHandle : "");
          successful.push({ Id: id });
        } catch (err) {
          if (!(err instanceof AwsError)) throw err;
          failed.push({ Id: id, SenderFault: true, Code: err.code, Message: err.message });
        }
      }
      return { Successful: successful, Failed: failed };
    }
    case "ChangeMessageVisibility": {
      const q = queueOf(req, store);
      const seconds = optionalInt(req, "VisibilityTimeout", 0, 43_200);
      if (seconds === undefined) throw missing("VisibilityTimeout");
      q.changeVisibility(requireString(req, "ReceiptHandle"), seconds);
      return {};
    }
    case "PurgeQueue": {
      queueOf(req, store).purge();
      return {};
    }
    case "ChangeMessageVisibilityBatch": {
      const q = queueOf(req, store);
      const successful: Input[] = [];
      const failed: Input[] = [];
      for (const e of batchEntries(req)) {
        const id = String(e.Id);
        try {
          const seconds = optionalInt(e, "VisibilityTimeout", 0, 43_200);
          if (seconds === undefined) throw missing("VisibilityTimeout");
          q.changeVisibility(typeof e.ReceiptHandle === "string" ? e.ReceiptHandle : "", seconds);
          successful.push({ Id: id });
        } catch (err) {
          if (!(err instanceof AwsError)) throw err;
          failed.push({ Id: id, SenderFault: true, Code: err.code, Message: err.message });
        }
      }
      return { Successful: successful, Failed: failed };
    }
    case "TagQueue": {
      const q = queueOf(req, store);
      const tags = stringMap(req.Tags, "Tags");
      if (Object.keys(tags).length === 0) throw missing("Tags");
      checkTags({ ...q.tags, ...tags });
      Object.assign(q.tags, tags);
      return {};
    }
    case "UntagQueue": {
      const q = queueOf(req, store);
      const keys = Array.isArray(req.TagKeys) ? req.TagKeys.map(String) : [];
      if (keys.length === 0) throw missing("TagKeys");
      for (const k of keys) delete q.tags[k];
      return {};
    }
    case "ListQueueTags": {
      const q = queueOf(req, store);
      return Object.keys(q.tags).length > 0 ? { Tags: { ...q.tags } } : {};
    }
    default:
      throw new AwsError(
        400,
        "UnsupportedOperation",
        `The simulator does not implement SQS ${operation}: use one of ${
          SQS_OPERATIONS.join(", ")
        }.`,
        { queryCode: "AWS.SimpleQueueService.UnsupportedOperation" },
      );
  }
}

// SQS's tag rules: at most 50 tags, keys 1-128 and values 0-256 characters, no aws: prefix.
function checkTags(tags: Record<string, string>): void {
  const entries = Object.entries(tags);
  if (entries.length > 50) {
    throw invalid(`Too many tags (${entries.length}): a queue has at most 50.`);
  }
  for (const [k, v] of entries) {
    if (k.length < 1 || k.length > 128 || v.length > 256 || k.toLowerCase().startsWith("aws:")) {
      throw invalid(
        `Invalid tag ${
          JSON.stringify(k)
        }: keys are 1-128 characters without the aws: prefix, values at most 256.`,
      );
    }
  }
}

function invalid(message: string): AwsError {
  return new AwsError(400, "InvalidParameterValue", message, {
    queryCode: "InvalidParameterValue",
  });
}

function missing(name: string): AwsError {
  return new AwsError(
    400,
    "MissingParameter",
    `The request must contain the parameter ${name}.`,
    { queryCode: "MissingParameter" },
  );
}

function requireString(req: Input, name: string): string {
  const v = req[name];
  if (typeof v !== "string" || v === "") throw missing(name);
  return v;
}

function optionalInt(req: Input, name: string, min: number, max: number): number | undefined {
  const v = req[name];
  if (v === undefined || v === null) return undefined;
  const n = typeof v === "number" ? v : Number(v);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw invalid(
      `Value ${
        JSON.stringify(v)
      } for parameter ${name} is invalid. Reason: must be an integer between ${min} and ${max}.`,
    );
  }
  return n;
}

function stringMap(v: unknown, name: string): Record<string, string> {
  if (v === undefined || v === null) return {};
  if (typeof v !== "object" || Array.isArray(v)) {
    throw invalid(`${name} must be a map of strings.`);
  }
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) out[k] = String(val);
  return out;
}

function queueOf(req: Input, store: SqsStore): SqsQueue {
  return store.byUrl(requireString(req, "QueueUrl"));
}

function encodeToken(s: string): string {
  return btoa(s);
}

function decodeToken(s: string): string {
  try {
    return atob(s);
  } catch {
    throw invalid(`Invalid NextToken value "${s}": pass the NextToken of the previous response.`);
  }
}

const KNOWN_ATTRIBUTES = new Set([
  "VisibilityTimeout",
  "DelaySeconds",
  "MessageRetentionPeriod",
  "ReceiveMessageWaitTimeSeconds",
  "MaximumMessageSize",
  "RedrivePolicy",
  "RedriveAllowPolicy",
  "Policy",
  "KmsMasterKeyId",
  "KmsDataKeyReusePeriodSeconds",
  "SqsManagedSseEnabled",
  "FifoQueue",
  "ContentBasedDeduplication",
  "DeduplicationScope",
  "FifoThroughputLimit",
]);

function attrInt(attrs: Record<string, string>, name: string, min: number, max: number) {
  const raw = attrs[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new AwsError(
      400,
      "InvalidAttributeValue",
      `Invalid value for the parameter ${name}: ${raw} (must be an integer from ${min} to ${max}).`,
      { queryCode: "InvalidAttributeValue" },
    );
  }
  return n;
}

/**
 * Parse CreateQueue/SetQueueAttributes attributes into a (partial) queue config.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { parseQueueAttributes } from "./sqs_api.ts";
 * import { SqsStore } from "./sqs_store.ts";
 * const store = new SqsStore({ region: "us-west-2", account: "123456789012", baseUrl: "http://127.0.0.1:4566" });
 * assert.deepEqual(parseQueueAttributes({ VisibilityTimeout: "60" }, store), { visibilityTimeout: 60 });
 * ```
 */
export function parseQueueAttributes(
  attrs: Record<string, string>,
  store: SqsStore,
): Partial<QueueConfig> {
  for (const name of Object.keys(attrs)) {
    if (!KNOWN_ATTRIBUTES.has(name)) {
      throw new AwsError(
        400,
        "InvalidAttributeName",
        `Unknown Attribute ${name}: use VisibilityTimeout, DelaySeconds, MessageRetentionPeriod, RedrivePolicy, ...`,
        { queryCode: "InvalidAttributeName" },
      );
    }
  }
  const config: Partial<QueueConfig> = {};
  const vt = attrInt(attrs, "VisibilityTimeout", 0, 43_200);
  if (vt !== undefined) config.visibilityTimeout = vt;
  const delay = attrInt(attrs, "DelaySeconds", 0, 900);
  if (delay !== undefined) config.delaySeconds = delay;
  const retention = attrInt(attrs, "MessageRetentionPeriod", 60, 1_209_600);
  if (retention !== undefined) config.messageRetentionPeriod = retention;
  const wait = attrInt(attrs, "ReceiveMessageWaitTimeSeconds", 0, 20);
  if (wait !== undefined) config.receiveMessageWaitTimeSeconds = wait;
  const size = attrInt(attrs, "MaximumMessageSize", 1024, 1_048_576);
  if (size !== undefined) config.maximumMessageSize = size;
  const redrive = attrs.RedrivePolicy;
  if (redrive !== undefined && redrive !== "") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(redrive);
    } catch {
      parsed = undefined;
    }
    const p = parsed as { deadLetterTargetArn?: unknown; maxReceiveCount?: unknown } | undefined;
    const count = Number(p?.maxReceiveCount);
    if (
      !p || typeof p.deadLetterTargetArn !== "string" || !Number.isInteger(count) || count < 1 ||
      count > 1000
    ) {
      throw new AwsError(
        400,
        "InvalidAttributeValue",
        `Invalid value for the parameter RedrivePolicy: ${redrive} (expected JSON {"deadLetterTargetArn":"arn:aws:sqs:...","maxReceiveCount":1-1000}).`,
        { queryCode: "InvalidAttributeValue" },
      );
    }
    if (!store.byArn(p.deadLetterTargetArn)) {
      throw new AwsError(
        400,
        "InvalidAttributeValue",
        `Value ${redrive} for parameter RedrivePolicy is invalid. Reason: Dead letter target does not exist (create the dead-letter queue first).`,
        { queryCode: "InvalidAttributeValue" },
      );
    }
    config.redrivePolicy = { deadLetterTargetArn: p.deadLetterTargetArn, maxReceiveCount: count };
  }
  const policy = attrs.Policy;
  if (policy !== undefined) {
    if (policy !== "") validateQueuePolicy(policy);
    config.policy = policy;
  }
  return config;
}

const ALL_QUEUE_ATTRIBUTES = [
  "QueueArn",
  "ApproximateNumberOfMessages",
  "ApproximateNumberOfMessagesNotVisible",
  "ApproximateNumberOfMessagesDelayed",
  "CreatedTimestamp",
  "LastModifiedTimestamp",
  "VisibilityTimeout",
  "MaximumMessageSize",
  "MessageRetentionPeriod",
  "DelaySeconds",
  "ReceiveMessageWaitTimeSeconds",
  "SqsManagedSseEnabled",
  "RedrivePolicy",
  "Policy",
];

/**
 * The GetQueueAttributes map for the names asked (`All` = every one).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { queueAttributes } from "./sqs_api.ts";
 * import { SqsStore } from "./sqs_store.ts";
 * const store = new SqsStore({ region: "us-west-2", account: "123456789012", baseUrl: "http://127.0.0.1:4566" });
 * assert.deepEqual(queueAttributes(store.create("q", {}), ["ApproximateNumberOfMessages"]), { ApproximateNumberOfMessages: "0" });
 * ```
 */
export function queueAttributes(q: SqsQueue, names: readonly string[]): Record<string, string> {
  const wanted = names.includes("All") ? ALL_QUEUE_ATTRIBUTES : names;
  const counts = q.counts();
  const out: Record<string, string> = {};
  for (const name of wanted) {
    switch (name) {
      case "QueueArn":
        out[name] = q.arn;
        break;
      case "ApproximateNumberOfMessages":
        out[name] = String(counts.visible);
        break;
      case "ApproximateNumberOfMessagesNotVisible":
        out[name] = String(counts.inflight);
        break;
      case "ApproximateNumberOfMessagesDelayed":
        out[name] = String(counts.delayed);
        break;
      case "CreatedTimestamp":
        out[name] = String(q.createdTimestamp);
        break;
      case "LastModifiedTimestamp":
        out[name] = String(q.lastModifiedTimestamp);
        break;
      case "VisibilityTimeout":
        out[name] = String(q.config.visibilityTimeout);
        break;
      case "MaximumMessageSize":
        out[name] = String(q.config.maximumMessageSize);
        break;
      case "MessageRetentionPeriod":
        out[name] = String(q.config.messageRetentionPeriod);
        break;
      case "DelaySeconds":
        out[name] = String(q.config.delaySeconds);
        break;
      case "ReceiveMessageWaitTimeSeconds":
        out[name] = String(q.config.receiveMessageWaitTimeSeconds);
        break;
      case "SqsManagedSseEnabled":
        out[name] = "true";
        break;
      case "RedrivePolicy":
        if (q.config.redrivePolicy) out[name] = JSON.stringify(q.config.redrivePolicy);
        break;
      case "Policy":
        if (q.config.policy) out[name] = q.config.policy;
        break;
      default:
        if (!KNOWN_ATTRIBUTES.has(name)) {
          throw new AwsError(
            400,
            "InvalidAttributeName",
            `Unknown Attribute ${name}: ask for All or e.g. ApproximateNumberOfMessages.`,
            { queryCode: "InvalidAttributeName" },
          );
        }
    }
  }
  return out;
}

function batchEntries(req: Input): Input[] {
  const entries = Array.isArray(req.Entries) ? req.Entries as Input[] : [];
  if (entries.length === 0) {
    throw new AwsError(
      400,
      "EmptyBatchRequest",
      "There should be at least one entry in the request: pass 1 to 10 Entries.",
      { queryCode: "AWS.SimpleQueueService.EmptyBatchRequest" },
    );
  }
  if (entries.length > 10) {
    throw new AwsError(
      400,
      "TooManyEntriesInBatchRequest",
      `Maximum number of entries per request are 10. You have sent ${entries.length}: split the batch.`,
      { queryCode: "AWS.SimpleQueueService.TooManyEntriesInBatchRequest" },
    );
  }
  const ids = new Set<string>();
  for (const e of entries) {
    const id = typeof e.Id === "string" ? e.Id : "";
    if (!/^[A-Za-z0-9_-]{1,80}$/.test(id)) {
      throw new AwsError(
        400,
        "InvalidBatchEntryId",
        `A batch entry id can only contain alphanumeric characters, hyphens and underscores, 1 to 80 long (got "${id}").`,
        { queryCode: "AWS.SimpleQueueService.InvalidBatchEntryId" },
      );
    }
    if (ids.has(id)) {
      throw new AwsError(
        400,
        "BatchEntryIdsNotDistinct",
        `Id ${id} repeated: give every batch entry a distinct Id.`,
        { queryCode: "AWS.SimpleQueueService.BatchEntryIdsNotDistinct" },
      );
    }
    ids.add(id);
  }
  return entries;
}

interface SendEntry {
  body: string;
  delaySeconds?: number | undefined;
  messageAttributes?: Record<string, MessageAttributeValue> | undefined;
}

function parseSendEntry(req: Input, q: SqsQueue): SendEntry {
  const body = req.MessageBody;
  if (typeof body !== "string" || body === "") {
    throw new AwsError(
      400,
      "MissingParameter",
      "The request must contain the parameter MessageBody (a non-empty string).",
      { queryCode: "MissingParameter" },
    );
  }
  // deno-lint-ignore no-control-regex
  if (/[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/.test(body)) {
    throw new AwsError(
      400,
      "InvalidMessageContents",
      "Invalid characters found in the message body: SQS accepts #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF.",
      { queryCode: "InvalidMessageContents" },
    );
  }
  const size = new TextEncoder().encode(body).length;
  if (size > q.config.maximumMessageSize) {
    throw invalid(
      `One or more parameters are invalid. Reason: Message must be shorter than ${q.config.maximumMessageSize} bytes (got ${size}).`,
    );
  }
  const delay = optionalInt(req, "DelaySeconds", 0, 900);
  const entry: SendEntry = { body };
  if (delay !== undefined) entry.delaySeconds = delay;
  const attrs = req.MessageAttributes;
  if (attrs !== undefined && attrs !== null && typeof attrs === "object") {
    const parsed: Record<string, MessageAttributeValue> = {};
    for (const [name, raw] of Object.entries(attrs as Record<string, Input>)) {
      const dataType = typeof raw?.DataType === "string" ? raw.DataType : "";
      if (!/^(String|Number|Binary)(\..+)?$/.test(dataType)) {
        throw invalid(
          `The message attribute '${name}' has an invalid message attribute type '${dataType}': use String, Number or Binary.`,
        );
      }
      const v: MessageAttributeValue = { DataType: dataType };
      if (typeof raw.StringValue === "string") v.StringValue = raw.StringValue;
      if (typeof raw.BinaryValue === "string") v.BinaryValue = raw.BinaryValue;
      if (v.StringValue === undefined && v.BinaryValue === undefined) {
        throw invalid(`The message attribute '${name}' must contain a non-empty value.`);
      }
      parsed[name] = v;
    }
    if (Object.keys(parsed).length > 0) entry.messageAttributes = parsed;
  }
  return entry;
}

const SYSTEM_ATTRIBUTES = [
  "SenderId",
  "SentTimestamp",
  "ApproximateReceiveCount",
  "ApproximateFirstReceiveTimestamp",
  "DeadLetterQueueSourceArn",
];

function messageOut(
  r: ReceivedMessage,
  systemNames: readonly string[],
  attrNames: readonly string[],
  store: SqsStore,
): Input {
  const m = r.message;
  const out: Input = {
    MessageId: m.messageId,
    ReceiptHandle: r.receiptHandle,
    MD5OfBody: m.md5OfBody,
    Body: m.body,
  };
  if (systemNames.length > 0) {
    const all = systemNames.includes("All");
    const attrs: Record<string, string> = {};
    for (const name of SYSTEM_ATTRIBUTES) {
      if (!all && !systemNames.includes(name)) continue;
      switch (name) {
        case "SenderId":
          attrs[name] = `AIDA${store.account}SIM`;
          break;
        case "SentTimestamp":
          attrs[name] = String(m.sentTimestamp);
          break;
        case "ApproximateReceiveCount":
          attrs[name] = String(m.receiveCount);
          break;
        case "ApproximateFirstReceiveTimestamp":
          attrs[name] = String(m.firstReceiveTimestamp);
          break;
        case "DeadLetterQueueSourceArn":
          if (m.deadLetterQueueSourceArn) attrs[name] = m.deadLetterQueueSourceArn;
          break;
      }
    }
    out.Attributes = attrs;
  }
  if (m.messageAttributes && attrNames.length > 0) {
    const all = attrNames.includes("All") || attrNames.includes(".*");
    const picked: Record<string, MessageAttributeValue> = {};
    for (const [name, value] of Object.entries(m.messageAttributes)) {
      const wanted = all ||
        attrNames.some((p) => p === name || (p.endsWith(".*") && name.startsWith(p.slice(0, -1))));
      if (wanted) picked[name] = value;
    }
    if (Object.keys(picked).length > 0) {
      out.MessageAttributes = picked;
      out.MD5OfMessageAttributes = md5OfMessageAttributes(picked);
    }
  }
  return out;
}
