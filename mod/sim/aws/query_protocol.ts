/**
 * The AWS Query protocol as the simulator's SNS speaks it: reading the
 * flattened form parameters the SDK sends (`Attributes.entry.1.key`,
 * `Tags.member.1.Key`, `MessageAttributes.entry.1.Value.StringValue`) and
 * writing the `<ActionResponse><ActionResult>…</ActionResult>` XML answers.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { queryMap, queryResponseXml } from "./query_protocol.ts";
 * const form = new URLSearchParams("Attributes.entry.1.key=A&Attributes.entry.1.value=1");
 * assert.deepEqual(queryMap(form, "Attributes"), { A: "1" });
 * queryResponseXml("CreateTopic", "http://sns.amazonaws.com/doc/2010-03-31/", "<TopicArn>x</TopicArn>");
 * ```
 * @module
 */
import { requestId, xmlEscape } from "./wire_protocol.ts";

/**
 * The `N`-indexed groups under `prefix` (`prefix.1.a`, `prefix.1.b`, `prefix.2.a`),
 * in index order, each as a map of the rest of the name to the value.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { queryIndexed } from "./query_protocol.ts";
 * const form = new URLSearchParams("Tags.member.2.Key=b&Tags.member.1.Key=a&Tags.member.1.Value=x");
 * assert.deepEqual(queryIndexed(form, "Tags.member"), [{ Key: "a", Value: "x" }, { Key: "b" }]);
 * ```
 */
export function queryIndexed(form: URLSearchParams, prefix: string): Record<string, string>[] {
  const groups = new Map<number, Record<string, string>>();
  const head = `${prefix}.`;
  for (const [name, value] of form) {
    if (!name.startsWith(head)) continue;
    const rest = name.slice(head.length);
    const dot = rest.indexOf(".");
    const index = Number(dot < 0 ? rest : rest.slice(0, dot));
    if (!Number.isInteger(index) || index < 1) continue;
    const group = groups.get(index) ?? {};
    group[dot < 0 ? "" : rest.slice(dot + 1)] = value;
    groups.set(index, group);
  }
  return [...groups.entries()].sort((a, b) => a[0] - b[0]).map(([, g]) => g);
}

/**
 * A map parameter (`Name.entry.N.key` / `Name.entry.N.value`), in index order.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { queryMap } from "./query_protocol.ts";
 * assert.deepEqual(
 *   queryMap(new URLSearchParams("Attributes.entry.1.key=RawMessageDelivery&Attributes.entry.1.value=true"), "Attributes"),
 *   { RawMessageDelivery: "true" },
 * );
 * ```
 */
export function queryMap(form: URLSearchParams, name: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of queryIndexed(form, `${name}.entry`)) {
    if (entry.key !== undefined) out[entry.key] = entry.value ?? "";
  }
  return out;
}

/**
 * A list parameter of strings (`Name.member.N`), in index order.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { queryList } from "./query_protocol.ts";
 * assert.deepEqual(queryList(new URLSearchParams("TagKeys.member.1=a&TagKeys.member.2=b"), "TagKeys"), ["a", "b"]);
 * ```
 */
export function queryList(form: URLSearchParams, name: string): string[] {
  return queryIndexed(form, `${name}.member`).map((g) => g[""] ?? "");
}

/**
 * A whole Query response: `<{action}Response xmlns=…><{action}Result>{resultXml}</…>`
 * with a request id; an empty `resultXml` gives an empty result element.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { queryResponseXml } from "./query_protocol.ts";
 * assert.equal(queryResponseXml("DeleteTopic", "http://sns.amazonaws.com/doc/2010-03-31/", "").includes("<DeleteTopicResponse"), true);
 * ```
 */
export function queryResponseXml(action: string, namespace: string, resultXml: string): string {
  return `<${action}Response xmlns="${namespace}">\n  <${action}Result>${resultXml}</${action}Result>\n` +
    `  <ResponseMetadata>\n    <RequestId>${requestId()}</RequestId>\n  </ResponseMetadata>\n` +
    `</${action}Response>\n`;
}

/**
 * A Query response as an HTTP response (`text/xml`, 200).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { queryResponse } from "./query_protocol.ts";
 * assert.equal(queryResponse("Unsubscribe", "http://sns.amazonaws.com/doc/2010-03-31/", "").status, 200);
 * ```
 */
export function queryResponse(action: string, namespace: string, resultXml: string): Response {
  return new Response(queryResponseXml(action, namespace, resultXml), {
    status: 200,
    headers: { "content-type": "text/xml", "x-amzn-requestid": requestId() },
  });
}

/**
 * An XML element with escaped text.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { xmlElement } from "./query_protocol.ts";
 * assert.equal(xmlElement("Key", "a&b"), "<Key>a&amp;b</Key>");
 * ```
 */
export function xmlElement(name: string, text: string): string {
  return `<${name}>${xmlEscape(text)}</${name}>`;
}

/**
 * A Query map as XML: `<entry><key>…</key><value>…</value></entry>…`.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { xmlMapEntries } from "./query_protocol.ts";
 * assert.equal(xmlMapEntries({ A: "1" }), "<entry><key>A</key><value>1</value></entry>");
 * ```
 */
export function xmlMapEntries(map: Record<string, string>): string {
  return Object.entries(map)
    .map(([k, v]) => `<entry>${xmlElement("key", k)}${xmlElement("value", v)}</entry>`)
    .join("");
}
