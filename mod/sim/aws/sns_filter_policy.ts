/**
 * SNS subscription filter policies: parse (with SNS's validation and limits)
 * and match a published message against one. A policy is an AND across its
 * keys and an OR within each key's list of conditions; `$or` adds
 * alternatives. Conditions: exact strings, numbers, booleans and `null`;
 * `prefix`, `suffix`, `equals-ignore-case`; `anything-but` (a value, a list,
 * or `{prefix}` / `{suffix}`); `exists`; `numeric` ranges.
 *
 * Scope `MessageAttributes` (SNS's default) matches message attributes:
 * `String` values as strings, `Number` values as numbers, `String.Array`
 * values element by element; `Binary` attributes are never matched. Scope
 * `MessageBody` matches the message body parsed as JSON, keys nesting as in
 * the body. An absent attribute matches only `{"exists": false}`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { matchesFilterPolicy, parseFilterPolicy } from "./sns_filter_policy.ts";
 * const policy = parseFilterPolicy('{"job_id":[{"prefix":"run-abc-"}]}', "MessageAttributes");
 * assert.equal(matchesFilterPolicy(policy, { attributes: { job_id: { type: "String", value: "run-abc-1" } }, body: "" }), true);
 * assert.equal(matchesFilterPolicy(policy, { attributes: { job_id: { type: "String", value: "run-xyz-1" } }, body: "" }), false);
 * ```
 * @module
 */
import { AwsError } from "./aws_error.ts";

/** Where a filter policy looks. */
export type FilterPolicyScope = "MessageAttributes" | "MessageBody";

type Scalar = string | number | boolean | null;

/** One condition of a key's list. */
export type FilterCondition =
  | { kind: "exact"; value: Scalar }
  | { kind: "prefix"; value: string }
  | { kind: "suffix"; value: string }
  | { kind: "equalsIgnoreCase"; value: string }
  | { kind: "anythingBut"; values: (string | number)[] }
  | { kind: "anythingButPrefix"; value: string }
  | { kind: "anythingButSuffix"; value: string }
  | { kind: "exists"; value: boolean }
  | {
    kind: "numeric";
    lower?: { value: number; inclusive: boolean };
    upper?: { value: number; inclusive: boolean };
  };

/** A parsed policy object: keys (each a condition list or, in body scope, a nested object) and `$or` alternatives. */
export interface FilterPolicyNode {
  fields: [string, FilterCondition[] | FilterPolicyNode][];
  or: FilterPolicyNode[] | undefined;
}

/** A parsed, validated filter policy. */
export interface FilterPolicy {
  scope: FilterPolicyScope;
  root: FilterPolicyNode;
  /** The policy text as given. */
  text: string;
}

/** A message attribute as SNS holds it (`Type`: String, Number, Binary, String.Array). */
export interface FilterAttribute {
  type: string;
  value: string;
}

/** What a policy is matched against. */
export interface FilterInput {
  attributes: Record<string, FilterAttribute>;
  /** The message body (the `sqs`/`default` text of a JSON-structured message). */
  body: string;
}

/** SNS's limits: keys per policy and combinations of values. */
const MAX_KEYS = 5;
const MAX_COMBINATIONS = 150;

function invalid(reason: string): AwsError {
  return new AwsError(
    400,
    "InvalidParameter",
    `Invalid parameter: FilterPolicy: ${reason}`,
  );
}

/**
 * Parse and validate a filter policy (SNS's `InvalidParameter` errors).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { parseFilterPolicy } from "./sns_filter_policy.ts";
 * assert.equal(parseFilterPolicy('{"status":["SUCCESS","FAILED"]}', "MessageAttributes").root.fields.length, 1);
 * ```
 */
export function parseFilterPolicy(text: string, scope: FilterPolicyScope): FilterPolicy {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw invalid(
      `the policy is not valid JSON (${
        text.slice(0, 80)
      }): write e.g. {"job_id":[{"prefix":"run-"}]}.`,
    );
  }
  if (!isObject(raw)) {
    throw invalid('the policy must be a JSON object, e.g. {"job_id":[{"prefix":"run-"}]}.');
  }
  const root = parseNode(raw, scope, "");
  const keys = countKeys(root);
  if (keys > MAX_KEYS) {
    throw invalid(`Filter policy can not have more than ${MAX_KEYS} keys (it has ${keys}).`);
  }
  const combos = combinations(root);
  if (combos > MAX_COMBINATIONS) {
    throw invalid(
      `Filter policy is too complex: ${combos} combinations of values (at most ${MAX_COMBINATIONS}).`,
    );
  }
  return { scope, root, text };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function parseNode(
  raw: Record<string, unknown>,
  scope: FilterPolicyScope,
  path: string,
): FilterPolicyNode {
  const node: FilterPolicyNode = { fields: [], or: undefined };
  const entries = Object.entries(raw);
  if (entries.length === 0) throw invalid(`${path || "the policy"} has no keys.`);
  for (const [key, value] of entries) {
    const where = path ? `${path}.${key}` : key;
    if (key === "$or") {
      if (!Array.isArray(value) || value.length < 2 || !value.every(isObject)) {
        throw invalid(`"$or" must be a list of at least two policy objects.`);
      }
      node.or = value.map((v) => parseNode(v as Record<string, unknown>, scope, path));
      continue;
    }
    if (Array.isArray(value)) {
      if (value.length === 0) throw invalid(`${where} has an empty list of values.`);
      node.fields.push([key, value.map((c) => parseCondition(c, where, scope))]);
    } else if (isObject(value)) {
      if (scope !== "MessageBody") {
        throw invalid(
          `${where} is a nested object, which only FilterPolicyScope MessageBody allows: give a list of values.`,
        );
      }
      node.fields.push([key, parseNode(value, scope, where)]);
    } else {
      throw invalid(
        `${where} must be a list of values (e.g. ["a"]), not ${JSON.stringify(value)}.`,
      );
    }
  }
  return node;
}

function parseCondition(c: unknown, where: string, scope: FilterPolicyScope): FilterCondition {
  if (typeof c === "string") return { kind: "exact", value: c };
  if (typeof c === "number") {
    if (!Number.isFinite(c)) throw invalid(`${where}: ${c} is not a finite number.`);
    return { kind: "exact", value: c };
  }
  if (c === null || typeof c === "boolean") {
    if (scope !== "MessageBody") {
      throw invalid(
        `${where}: ${JSON.stringify(c)} can only be matched with FilterPolicyScope MessageBody.`,
      );
    }
    return { kind: "exact", value: c };
  }
  if (!isObject(c)) throw invalid(`${where}: ${JSON.stringify(c)} is not a value or a condition.`);
  const keys = Object.keys(c);
  if (keys.length !== 1) {
    throw invalid(
      `${where}: a condition object has exactly one operator (got ${JSON.stringify(c)}).`,
    );
  }
  const op = keys[0]!;
  const arg = c[op];
  const needString = (): string => {
    if (typeof arg !== "string") {
      throw invalid(`${where}: "${op}" needs a string (got ${JSON.stringify(arg)}).`);
    }
    return arg;
  };
  switch (op) {
    case "prefix":
      return { kind: "prefix", value: needString() };
    case "suffix":
      return { kind: "suffix", value: needString() };
    case "equals-ignore-case":
      return { kind: "equalsIgnoreCase", value: needString() };
    case "exists":
      if (typeof arg !== "boolean") throw invalid(`${where}: "exists" needs true or false.`);
      return { kind: "exists", value: arg };
    case "anything-but": {
      if (typeof arg === "string" || typeof arg === "number") {
        return { kind: "anythingBut", values: [arg] };
      }
      if (Array.isArray(arg)) {
        if (arg.length === 0 || !arg.every((v) => typeof v === "string" || typeof v === "number")) {
          throw invalid(`${where}: "anything-but" needs a non-empty list of strings or numbers.`);
        }
        return { kind: "anythingBut", values: arg as (string | number)[] };
      }
      if (isObject(arg) && Object.keys(arg).length === 1) {
        if (typeof arg.prefix === "string") return { kind: "anythingButPrefix", value: arg.prefix };
        if (typeof arg.suffix === "string") return { kind: "anythingButSuffix", value: arg.suffix };
      }
      throw invalid(
        `${where}: "anything-but" needs a value, a list, {"prefix": "..."} or {"suffix": "..."} (got ${
          JSON.stringify(arg)
        }).`,
      );
    }
    case "numeric":
      return parseNumeric(arg, where);
    default:
      throw invalid(
        `${where}: unrecognized match type "${op}" (the simulator knows prefix, suffix, equals-ignore-case, anything-but, exists and numeric).`,
      );
  }
}

function parseNumeric(arg: unknown, where: string): FilterCondition {
  const bad = () =>
    invalid(
      `${where}: "numeric" needs ["=", n] or one or two ranges like [">", 0, "<=", 5] (got ${
        JSON.stringify(arg)
      }).`,
    );
  if (!Array.isArray(arg) || arg.length === 0 || arg.length % 2 !== 0 || arg.length > 4) {
    throw bad();
  }
  const out: Extract<FilterCondition, { kind: "numeric" }> = { kind: "numeric" };
  for (let i = 0; i < arg.length; i += 2) {
    const op = arg[i];
    const n = arg[i + 1];
    if (typeof n !== "number" || !Number.isFinite(n)) throw bad();
    switch (op) {
      case "=":
        if (arg.length !== 2) throw bad();
        return {
          kind: "numeric",
          lower: { value: n, inclusive: true },
          upper: { value: n, inclusive: true },
        };
      case ">":
      case ">=":
        if (out.lower) throw bad();
        out.lower = { value: n, inclusive: op === ">=" };
        break;
      case "<":
      case "<=":
        if (out.upper) throw bad();
        out.upper = { value: n, inclusive: op === "<=" };
        break;
      default:
        throw bad();
    }
  }
  if (out.lower && out.upper && out.lower.value > out.upper.value) {
    throw invalid(`${where}: the numeric range is empty (${JSON.stringify(arg)}).`);
  }
  return out;
}

function countKeys(node: FilterPolicyNode): number {
  let n = 0;
  for (const [, v] of node.fields) n += Array.isArray(v) ? 1 : countKeys(v);
  for (const alt of node.or ?? []) n += countKeys(alt);
  return n;
}

function combinations(node: FilterPolicyNode): number {
  let product = 1;
  for (const [, v] of node.fields) product *= Array.isArray(v) ? v.length : combinations(v);
  if (node.or) product *= node.or.reduce((sum, alt) => sum + combinations(alt), 0);
  return product;
}

/**
 * Does a published message pass the policy?
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { matchesFilterPolicy, parseFilterPolicy } from "./sns_filter_policy.ts";
 * const p = parseFilterPolicy('{"size":[{"numeric":[">",10]}]}', "MessageAttributes");
 * assert.equal(matchesFilterPolicy(p, { attributes: { size: { type: "Number", value: "12" } }, body: "" }), true);
 * ```
 */
export function matchesFilterPolicy(policy: FilterPolicy, input: FilterInput): boolean {
  if (policy.scope === "MessageAttributes") {
    return matchNode(policy.root, (key) => attributeValues(input.attributes[key]));
  }
  let body: unknown;
  try {
    body = JSON.parse(input.body);
  } catch {
    return false;
  }
  if (!isObject(body)) return false;
  return matchBody(policy.root, body);
}

type Lookup = (key: string) => Scalar[];

function matchNode(node: FilterPolicyNode, lookup: Lookup): boolean {
  for (const [key, conditions] of node.fields) {
    if (!Array.isArray(conditions)) return false; // nested objects only in body scope
    const values = lookup(key);
    if (!conditions.some((c) => matchCondition(c, values))) return false;
  }
  return node.or === undefined || node.or.some((alt) => matchNode(alt, lookup));
}

function matchBody(node: FilterPolicyNode, body: Record<string, unknown>): boolean {
  for (const [key, spec] of node.fields) {
    const value = body[key];
    if (Array.isArray(spec)) {
      const values = bodyValues(value);
      if (!spec.some((c) => matchCondition(c, values))) return false;
    } else {
      const objects = (Array.isArray(value) ? value : [value]).filter(isObject);
      if (!objects.some((o) => matchBody(spec, o))) return false;
    }
  }
  return node.or === undefined || node.or.some((alt) => matchBody(alt, body));
}

function bodyValues(v: unknown): Scalar[] {
  if (v === undefined) return [];
  const list = Array.isArray(v) ? v : [v];
  return list.filter((x): x is Scalar =>
    x === null || typeof x === "string" || typeof x === "number" || typeof x === "boolean"
  );
}

function attributeValues(a: FilterAttribute | undefined): Scalar[] {
  if (!a) return [];
  if (a.type === "String.Array") {
    try {
      return bodyValues(JSON.parse(a.value));
    } catch {
      return [];
    }
  }
  // Custom types (`String.job`, `Number.float`) match as their base type.
  switch (a.type.split(".")[0]) {
    case "String":
      return [a.value];
    case "Number": {
      const n = Number(a.value);
      return Number.isFinite(n) ? [n] : [];
    }
    default:
      return [];
  }
}

function matchCondition(c: FilterCondition, values: Scalar[]): boolean {
  if (c.kind === "exists") return c.value ? values.length > 0 : values.length === 0;
  return values.some((v) => matchValue(c, v));
}

function matchValue(c: FilterCondition, v: Scalar): boolean {
  switch (c.kind) {
    case "exact":
      return v === c.value;
    case "prefix":
      return typeof v === "string" && v.startsWith(c.value);
    case "suffix":
      return typeof v === "string" && v.endsWith(c.value);
    case "equalsIgnoreCase":
      return typeof v === "string" && v.toLowerCase() === c.value.toLowerCase();
    case "anythingBut":
      return (typeof v === "string" || typeof v === "number") && !c.values.includes(v);
    case "anythingButPrefix":
      return typeof v === "string" && !v.startsWith(c.value);
    case "anythingButSuffix":
      return typeof v === "string" && !v.endsWith(c.value);
    case "numeric": {
      if (typeof v !== "number") return false;
      if (c.lower && (c.lower.inclusive ? v < c.lower.value : v <= c.lower.value)) return false;
      if (c.upper && (c.upper.inclusive ? v > c.upper.value : v >= c.upper.value)) return false;
      return true;
    }
    case "exists":
      return c.value;
  }
}
