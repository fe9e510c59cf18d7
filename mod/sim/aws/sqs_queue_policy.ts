/**
 * SQS queue policies (the `Policy` queue attribute), as far as SNS delivery
 * needs them: validate the JSON on SetQueueAttributes, and decide whether a
 * service principal (SNS) may `sqs:SendMessage` to a queue on behalf of a
 * topic. As in IAM: an explicit Deny wins, otherwise some Allow must match;
 * no policy allows nothing. Principals `*`, `{"AWS":"*"}` and
 * `{"Service":"sns.amazonaws.com"}`; `Action`/`NotAction` and `Resource` with
 * `*`/`?` wildcards; conditions `StringEquals`, `StringLike`, `ArnEquals`,
 * `ArnLike` and their `Not` and `IfExists` forms on keys such as
 * `aws:SourceArn` and `aws:SourceAccount`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { queuePolicyAllows } from "./sqs_queue_policy.ts";
 * const policy = JSON.stringify({
 *   Version: "2012-10-17",
 *   Statement: [{
 *     Effect: "Allow", Principal: { Service: "sns.amazonaws.com" }, Action: "sqs:SendMessage",
 *     Resource: "arn:aws:sqs:us-west-2:123456789012:q",
 *     Condition: { ArnEquals: { "aws:SourceArn": "arn:aws:sns:us-west-2:123456789012:t" } },
 *   }],
 * });
 * const request = {
 *   action: "sqs:SendMessage", resource: "arn:aws:sqs:us-west-2:123456789012:q",
 *   service: "sns.amazonaws.com",
 *   context: { "aws:SourceArn": "arn:aws:sns:us-west-2:123456789012:t", "aws:SourceAccount": "123456789012" },
 * };
 * assert.equal(queuePolicyAllows(policy, request), true);
 * assert.equal(queuePolicyAllows(policy, { ...request, context: { "aws:SourceArn": "arn:aws:sns:us-west-2:123456789012:other" } }), false);
 * ```
 * @module
 */
import { AwsError } from "./aws_error.ts";

/** A request a queue policy is asked about. */
export interface PolicyRequest {
  /** e.g. `sqs:SendMessage`. */
  action: string;
  /** The queue ARN. */
  resource: string;
  /** The calling service principal, e.g. `sns.amazonaws.com`. */
  service: string;
  /** Condition keys and their values (`aws:SourceArn`, `aws:SourceAccount`). */
  context: Record<string, string>;
}

interface Statement {
  Effect?: unknown;
  Principal?: unknown;
  Action?: unknown;
  NotAction?: unknown;
  Resource?: unknown;
  Condition?: unknown;
}

function invalidPolicy(reason: string): AwsError {
  return new AwsError(
    400,
    "InvalidAttributeValue",
    `Invalid value for the parameter Policy: ${reason}`,
    { queryCode: "InvalidAttributeValue" },
  );
}

/**
 * Check that a policy document is well formed (JSON with a `Statement` whose
 * entries have `Effect` Allow or Deny); throws `InvalidAttributeValue` with the reason.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { validateQueuePolicy } from "./sqs_queue_policy.ts";
 * validateQueuePolicy('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"sqs:*"}]}');
 * assert.throws(() => validateQueuePolicy('{"Statement":[{"Principal":"*"}]}'), /needs "Effect"/);
 * ```
 */
export function validateQueuePolicy(text: string): void {
  statements(text, true);
}

function statements(text: string, strict: boolean): Statement[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    if (strict) throw invalidPolicy("the policy is not valid JSON.");
    return [];
  }
  const raw = (doc as { Statement?: unknown } | null)?.Statement;
  const list = Array.isArray(raw) ? raw : raw !== undefined && raw !== null ? [raw] : [];
  if (strict) {
    if (list.length === 0) throw invalidPolicy('the policy needs a "Statement".');
    for (const s of list) {
      const effect = (s as Statement | null)?.Effect;
      if (effect !== "Allow" && effect !== "Deny") {
        throw invalidPolicy(
          `every statement needs "Effect": "Allow" or "Deny" (got ${JSON.stringify(effect)}).`,
        );
      }
    }
  }
  return list.filter((s): s is Statement => s !== null && typeof s === "object");
}

/**
 * Does the policy allow the request? (No policy, or an unparsable one, allows nothing.)
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { queuePolicyAllows } from "./sqs_queue_policy.ts";
 * assert.equal(queuePolicyAllows(undefined, { action: "sqs:SendMessage", resource: "arn:aws:sqs:us-west-2:1:q", service: "sns.amazonaws.com", context: {} }), false);
 * ```
 */
export function queuePolicyAllows(policy: string | undefined, request: PolicyRequest): boolean {
  if (policy === undefined || policy === "") return false;
  let allowed = false;
  for (const s of statements(policy, false)) {
    if (!statementApplies(s, request)) continue;
    if (s.Effect === "Deny") return false;
    if (s.Effect === "Allow") allowed = true;
  }
  return allowed;
}

function list(v: unknown): string[] {
  if (typeof v === "string") return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === "string");
  return [];
}

function wildcard(pattern: string, value: string, ignoreCase = false): boolean {
  const re = new RegExp(
    "^" + pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".") +
      "$",
    ignoreCase ? "i" : "",
  );
  return re.test(value);
}

function statementApplies(s: Statement, r: PolicyRequest): boolean {
  if (!principalMatches(s.Principal, r.service)) return false;
  if (s.Action !== undefined) {
    if (!list(s.Action).some((a) => wildcard(a, r.action, true))) return false;
  } else if (s.NotAction !== undefined) {
    if (list(s.NotAction).some((a) => wildcard(a, r.action, true))) return false;
  } else {
    return false;
  }
  if (s.Resource !== undefined && !list(s.Resource).some((p) => wildcard(p, r.resource))) {
    return false;
  }
  return conditionsMatch(s.Condition, r.context);
}

function principalMatches(principal: unknown, service: string): boolean {
  if (principal === "*") return true;
  if (principal === null || typeof principal !== "object") return false;
  const p = principal as Record<string, unknown>;
  if (list(p.AWS).includes("*")) return true;
  return list(p.Service).includes(service);
}

function conditionsMatch(condition: unknown, context: Record<string, string>): boolean {
  if (condition === undefined) return true;
  if (condition === null || typeof condition !== "object") return false;
  const lowerContext = new Map(Object.entries(context).map(([k, v]) => [k.toLowerCase(), v]));
  for (const [operator, block] of Object.entries(condition as Record<string, unknown>)) {
    if (block === null || typeof block !== "object") return false;
    const ifExists = operator.endsWith("IfExists");
    const op = ifExists ? operator.slice(0, -"IfExists".length) : operator;
    for (const [key, expected] of Object.entries(block as Record<string, unknown>)) {
      const actual = lowerContext.get(key.toLowerCase());
      if (actual === undefined) {
        if (ifExists) continue;
        return false;
      }
      const values = list(expected);
      let ok: boolean;
      switch (op) {
        case "StringEquals":
        case "ArnEquals":
          ok = values.includes(actual);
          break;
        case "StringNotEquals":
        case "ArnNotEquals":
          ok = !values.includes(actual);
          break;
        case "StringEqualsIgnoreCase":
          ok = values.some((v) => v.toLowerCase() === actual.toLowerCase());
          break;
        case "StringLike":
        case "ArnLike":
          ok = values.some((v) => wildcard(v, actual));
          break;
        case "StringNotLike":
        case "ArnNotLike":
          ok = !values.some((v) => wildcard(v, actual));
          break;
        default:
          return false; // an operator the simulator does not know never matches
      }
      if (!ok) return false;
    }
  }
  return true;
}

/**
 * The queue policy a deployment sets so that SNS topics can deliver to a
 * queue: Allow `sns.amazonaws.com` `sqs:SendMessage` on the queue when
 * `aws:SourceArn` is one of the topics.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { queuePolicyAllows, snsSendPolicy } from "./sqs_queue_policy.ts";
 * const q = "arn:aws:sqs:us-west-2:123456789012:q";
 * const t = "arn:aws:sns:us-west-2:123456789012:t";
 * assert.equal(queuePolicyAllows(snsSendPolicy(q, [t]), {
 *   action: "sqs:SendMessage", resource: q, service: "sns.amazonaws.com", context: { "aws:SourceArn": t },
 * }), true);
 * ```
 */
export function snsSendPolicy(queueArn: string, topicArns: readonly string[]): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [{
      Sid: "AllowSnsTopics",
      Effect: "Allow",
      Principal: { Service: "sns.amazonaws.com" },
      Action: "sqs:SendMessage",
      Resource: queueArn,
      Condition: {
        ArnEquals: { "aws:SourceArn": topicArns.length === 1 ? topicArns[0] : [...topicArns] },
      },
    }],
  });
}
