/**
 * The SNS API of the simulator, in the AWS Query protocol that
 * `@aws-sdk/client-sns` speaks (a form body with `Action=...` and
 * `Version=2010-03-31`, XML answers): CreateTopic, DeleteTopic, ListTopics,
 * GetTopicAttributes, SetTopicAttributes, Subscribe, Unsubscribe,
 * ListSubscriptions, ListSubscriptionsByTopic, GetSubscriptionAttributes,
 * SetSubscriptionAttributes, Publish, TagResource, UntagResource and
 * ListTagsForResource, over an {@linkcode SnsStore}. Errors are thrown as
 * {@linkcode AwsError} with SNS's Query error codes (`NotFound`,
 * `InvalidParameter`, ...).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { handleSns } from "./sns_api.ts";
 * import { SnsStore } from "./sns_store.ts";
 * import { SqsStore } from "./sqs_store.ts";
 * import { UsageLedger } from "./usage.ts";
 * const ledger = new UsageLedger();
 * const sqs = new SqsStore({ region: "us-west-2", account: "123456789012", baseUrl: "http://127.0.0.1:4566" });
 * const res = handleSns(new URLSearchParams("Action=CreateTopic&Name=t"), { store: new SnsStore({ sqs, ledger }), ledger });
 * assert.equal(res.status, 200);
 * ```
 * @module
 */
import { AwsError } from "./aws_error.ts";
import {
  queryIndexed,
  queryList,
  queryMap,
  queryResponse,
  xmlElement,
  xmlMapEntries,
} from "./query_protocol.ts";
import { invalidParameter, type SnsMessageAttribute, type SnsStore } from "./sns_store.ts";
import type { UsageLedger } from "./usage.ts";

/**
 * The SNS XML namespace.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { SNS_NAMESPACE } from "./sns_api.ts";
 * assert.equal(SNS_NAMESPACE, "http://sns.amazonaws.com/doc/2010-03-31/");
 * ```
 */
export const SNS_NAMESPACE = "http://sns.amazonaws.com/doc/2010-03-31/";

/**
 * The SNS actions the simulator answers.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { SNS_OPERATIONS } from "./sns_api.ts";
 * assert.equal(SNS_OPERATIONS.includes("Publish"), true);
 * ```
 */
export const SNS_OPERATIONS: readonly string[] = [
  "CreateTopic",
  "DeleteTopic",
  "ListTopics",
  "GetTopicAttributes",
  "SetTopicAttributes",
  "Subscribe",
  "Unsubscribe",
  "ListSubscriptions",
  "ListSubscriptionsByTopic",
  "GetSubscriptionAttributes",
  "SetSubscriptionAttributes",
  "Publish",
  "TagResource",
  "UntagResource",
  "ListTagsForResource",
];

/** What the SNS handler works on. */
export interface SnsContext {
  store: SnsStore;
  ledger: UsageLedger;
}

const PAGE = 100;

function required(form: URLSearchParams, name: string): string {
  const v = form.get(name);
  if (v === null || v === "") {
    throw invalidParameter(name, `the request must contain the parameter ${name}.`);
  }
  return v;
}

function page<T>(items: T[], form: URLSearchParams): { page: T[]; next: string | undefined } {
  const token = form.get("NextToken");
  let start = 0;
  if (token) {
    try {
      start = Number(atob(token));
    } catch {
      start = NaN;
    }
    if (!Number.isInteger(start) || start < 0) {
      throw invalidParameter("NextToken", "pass the NextToken of the previous response.");
    }
  }
  const slice = items.slice(start, start + PAGE);
  const end = start + slice.length;
  return { page: slice, next: end < items.length ? btoa(String(end)) : undefined };
}

function subscriptionXml(
  s: { arn: string; topicArn: string; protocol: string; endpoint: string },
  owner: string,
): string {
  return `<member>${xmlElement("SubscriptionArn", s.arn)}${xmlElement("Owner", owner)}${
    xmlElement("Protocol", s.protocol)
  }${xmlElement("Endpoint", s.endpoint)}${xmlElement("TopicArn", s.topicArn)}</member>`;
}

function tagList(form: URLSearchParams): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const t of queryIndexed(form, "Tags.member")) {
    const key = t.Key ?? "";
    if (key === "" || key.length > 128 || (t.Value ?? "").length > 256) {
      throw invalidParameter("Tags", "tag keys are 1-128 characters and values at most 256.");
    }
    tags[key] = t.Value ?? "";
  }
  return tags;
}

function messageAttributes(form: URLSearchParams): Record<string, SnsMessageAttribute> {
  const out: Record<string, SnsMessageAttribute> = {};
  for (const e of queryIndexed(form, "MessageAttributes.entry")) {
    const name = e.Name ?? "";
    out[name] = {
      DataType: e["Value.DataType"] ?? "",
      StringValue: e["Value.StringValue"],
      BinaryValue: e["Value.BinaryValue"],
    };
  }
  return out;
}

/**
 * Answer one SNS request given its form parameters.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { handleSns } from "./sns_api.ts";
 * import { SnsStore } from "./sns_store.ts";
 * import { SqsStore } from "./sqs_store.ts";
 * import { UsageLedger } from "./usage.ts";
 * const ledger = new UsageLedger();
 * const sqs = new SqsStore({ region: "us-west-2", account: "123456789012", baseUrl: "http://127.0.0.1:4566" });
 * const ctx = { store: new SnsStore({ sqs, ledger }), ledger };
 * const xml = await handleSns(new URLSearchParams("Action=ListTopics"), ctx).text();
 * assert.ok(xml.startsWith('<ListTopicsResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">'));
 * assert.ok(xml.includes("<Topics></Topics>"));
 * sqs.close();
 * ```
 */
export function handleSns(form: URLSearchParams, ctx: SnsContext): Response {
  const action = form.get("Action") ?? "";
  const { store } = ctx;
  const ok = (result: string) => queryResponse(action, SNS_NAMESPACE, result);
  // Publish records its own request (the Model Runner publishes without HTTP).
  if (action !== "Publish") {
    ctx.ledger.record("Amazon Simple Notification Service", "Requests-Tier1", 1);
  }
  switch (action) {
    case "CreateTopic": {
      const topic = store.createTopic(
        required(form, "Name"),
        queryMap(form, "Attributes"),
        tagList(form),
      );
      return ok(xmlElement("TopicArn", topic.arn));
    }
    case "DeleteTopic":
      store.deleteTopic(required(form, "TopicArn"));
      return ok("");
    case "ListTopics": {
      const { page: topics, next } = page(store.listTopics(), form);
      const members = topics.map((t) => `<member>${xmlElement("TopicArn", t.arn)}</member>`).join(
        "",
      );
      return ok(`<Topics>${members}</Topics>${next ? xmlElement("NextToken", next) : ""}`);
    }
    case "GetTopicAttributes": {
      const attrs = store.topicAttributes(required(form, "TopicArn"));
      return ok(`<Attributes>${xmlMapEntries(attrs)}</Attributes>`);
    }
    case "SetTopicAttributes":
      store.setTopicAttribute(
        required(form, "TopicArn"),
        required(form, "AttributeName"),
        form.get("AttributeValue") ?? "",
      );
      return ok("");
    case "Subscribe": {
      const sub = store.subscribe(
        required(form, "TopicArn"),
        required(form, "Protocol"),
        required(form, "Endpoint"),
        queryMap(form, "Attributes"),
      );
      return ok(xmlElement("SubscriptionArn", sub.arn));
    }
    case "Unsubscribe":
      store.unsubscribe(required(form, "SubscriptionArn"));
      return ok("");
    case "ListSubscriptions":
    case "ListSubscriptionsByTopic": {
      const topicArn = action === "ListSubscriptionsByTopic"
        ? required(form, "TopicArn")
        : undefined;
      if (topicArn !== undefined) store.topic(topicArn);
      const { page: subs, next } = page(store.listSubscriptions(topicArn), form);
      const members = subs.map((s) => subscriptionXml(s, store.account)).join("");
      return ok(
        `<Subscriptions>${members}</Subscriptions>${next ? xmlElement("NextToken", next) : ""}`,
      );
    }
    case "GetSubscriptionAttributes": {
      const attrs = store.subscriptionAttributes(required(form, "SubscriptionArn"));
      return ok(`<Attributes>${xmlMapEntries(attrs)}</Attributes>`);
    }
    case "SetSubscriptionAttributes":
      store.setSubscriptionAttribute(
        required(form, "SubscriptionArn"),
        required(form, "AttributeName"),
        form.get("AttributeValue") ?? "",
      );
      return ok("");
    case "Publish": {
      if (form.get("PhoneNumber")) {
        throw invalidParameter("PhoneNumber", "the simulator publishes to topics only.");
      }
      const topicArn = form.get("TopicArn") || form.get("TargetArn");
      if (!topicArn) {
        throw invalidParameter("TopicArn or TargetArn", "give the topic to publish to.");
      }
      const result = store.publish({
        topicArn,
        message: form.get("Message") ?? "",
        subject: form.get("Subject") ?? undefined,
        messageStructure: form.get("MessageStructure") ?? undefined,
        attributes: messageAttributes(form),
      });
      return ok(xmlElement("MessageId", result.messageId));
    }
    case "TagResource": {
      const topic = taggable(store, required(form, "ResourceArn"));
      const tags = tagList(form);
      if (Object.keys({ ...topic.tags, ...tags }).length > 50) {
        throw new AwsError(
          400,
          "TagLimitExceeded",
          "Could not complete request: tag quota of 50 per resource exceeded.",
        );
      }
      Object.assign(topic.tags, tags);
      return ok("");
    }
    case "UntagResource": {
      const topic = taggable(store, required(form, "ResourceArn"));
      for (const key of queryList(form, "TagKeys")) delete topic.tags[key];
      return ok("");
    }
    case "ListTagsForResource": {
      const topic = taggable(store, required(form, "ResourceArn"));
      const members = Object.entries(topic.tags)
        .map(([k, v]) => `<member>${xmlElement("Key", k)}${xmlElement("Value", v)}</member>`)
        .join("");
      return ok(`<Tags>${members}</Tags>`);
    }
    default:
      throw new AwsError(
        400,
        "InvalidAction",
        `The action ${
          action || "(none)"
        } is not valid for this web service: the simulator's SNS answers ${
          SNS_OPERATIONS.join(", ")
        }.`,
      );
  }
}

function taggable(store: SnsStore, arn: string) {
  const topic = store.getTopic(arn);
  if (!topic) {
    throw new AwsError(
      404,
      "ResourceNotFound",
      `Resource does not exist (${arn}): tags are on topics; check the topic ARN.`,
    );
  }
  return topic;
}
