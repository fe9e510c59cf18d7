/**
 * Wire-format helpers shared by the simulator's services: JSON 1.0/1.1
 * responses and errors (`__type`, `x-amzn-query-error`), XML escaping, S3 and
 * STS XML error bodies, and request ids.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { jsonResponse, xmlEscape } from "./wire_protocol.ts";
 * const res = jsonResponse({ QueueUrl: "http://127.0.0.1:4566/123456789012/q" }, "1.0");
 * assert.equal(xmlEscape("a<b"), "a&lt;b");
 * ```
 * @module
 */
import { AwsError } from "./aws_error.ts";

/**
 * A fresh request id (UUID form, like most AWS services).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { requestId } from "./wire_protocol.ts";
 * assert.equal(requestId().length, 36);
 * ```
 */
export function requestId(): string {
  return crypto.randomUUID();
}

/**
 * A JSON protocol response (`application/x-amz-json-<version>`).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { jsonResponse } from "./wire_protocol.ts";
 * assert.equal(jsonResponse({}, "1.1").headers.get("content-type"), "application/x-amz-json-1.1");
 * ```
 */
export function jsonResponse(body: unknown, version: "1.0" | "1.1", status = 200): Response {
  return new Response(JSON.stringify(body ?? {}), {
    status,
    headers: {
      "content-type": `application/x-amz-json-${version}`,
      "x-amzn-requestid": requestId(),
    },
  });
}

/**
 * A JSON protocol error: `{"__type": "<namespace><Code>", "message": ...}`, plus
 * `x-amzn-query-error: <queryCode>;<Sender|Receiver>` when the error carries a
 * query code (SQS, which is query-compatible).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { AwsError } from "./aws_error.ts";
 * import { jsonErrorResponse } from "./wire_protocol.ts";
 * assert.equal(jsonErrorResponse(new AwsError(400, "ThrottlingException", "Rate exceeded"), "1.1").status, 400);
 * ```
 */
export function jsonErrorResponse(error: AwsError, version: "1.0" | "1.1"): Response {
  const fault = error.details.fault ?? (error.status >= 500 ? "Receiver" : "Sender");
  const headers: Record<string, string> = {
    "content-type": `application/x-amz-json-${version}`,
    "x-amzn-requestid": requestId(),
  };
  if (error.details.queryCode) {
    headers["x-amzn-query-error"] = `${error.details.queryCode};${fault}`;
  }
  const body = { __type: `${error.details.namespace ?? ""}${error.code}`, message: error.message };
  return new Response(JSON.stringify(body), { status: error.status, headers });
}

/**
 * Escape text for an XML element or attribute.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { xmlEscape } from "./wire_protocol.ts";
 * assert.equal(xmlEscape('"a&b"'), "&quot;a&amp;b&quot;");
 * ```
 */
export function xmlEscape(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) =>
      c === "&"
        ? "&amp;"
        : c === "<"
        ? "&lt;"
        : c === ">"
        ? "&gt;"
        : c === '"'
        ? "&quot;"
        : "&apos;",
  );
}

/**
 * An XML response body with the declaration S3 and STS send.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { xmlResponse } from "./wire_protocol.ts";
 * assert.equal(xmlResponse("<A/>").headers.get("content-type"), "application/xml");
 * ```
 */
export function xmlResponse(
  xml: string,
  status = 200,
  headers: Record<string, string> = {},
): Response {
  return new Response(`<?xml version="1.0" encoding="UTF-8"?>\n${xml}`, {
    status,
    headers: { "content-type": "application/xml", ...headers },
  });
}

/**
 * An S3 REST error: `<Error><Code>…</Code><Message>…</Message>…</Error>`;
 * HEAD requests get the status and headers only, as S3 answers them.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { AwsError } from "./aws_error.ts";
 * import { s3ErrorResponse } from "./wire_protocol.ts";
 * assert.equal(s3ErrorResponse(new AwsError(404, "NoSuchKey", "The specified key does not exist."), "GET").status, 404);
 * ```
 */
export function s3ErrorResponse(
  error: AwsError,
  method: string,
  extra: Record<string, string> = {},
): Response {
  const id = requestId().replace(/-/g, "").slice(0, 16).toUpperCase();
  const headers = { "x-amz-request-id": id, "x-amz-id-2": btoa(id) };
  if (method === "HEAD") return new Response(null, { status: error.status, headers });
  const fields = Object.entries(extra).map(([k, v]) => `<${k}>${xmlEscape(v)}</${k}>`).join("");
  return xmlResponse(
    `<Error><Code>${xmlEscape(error.code)}</Code><Message>${
      xmlEscape(error.message)
    }</Message>${fields}<RequestId>${id}</RequestId><HostId>${btoa(id)}</HostId></Error>`,
    error.status,
    headers,
  );
}

/**
 * An AWS Query protocol (STS) error: `<ErrorResponse><Error><Type/><Code/><Message/></Error>…`.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { AwsError } from "./aws_error.ts";
 * import { queryErrorResponse } from "./wire_protocol.ts";
 * const res = queryErrorResponse(new AwsError(400, "Throttling", "Rate exceeded"), "https://sts.amazonaws.com/doc/2011-06-15/");
 * assert.equal(res.status, 400);
 * assert.match(await res.text(), /<Code>Throttling<\/Code>\s*<Message>Rate exceeded<\/Message>/);
 * ```
 */
export function queryErrorResponse(error: AwsError, namespace: string): Response {
  const fault = error.details.fault ?? (error.status >= 500 ? "Receiver" : "Sender");
  return new Response(
    `<ErrorResponse xmlns="${namespace}">\n  <Error>\n    <Type>${fault}</Type>\n    <Code>${
      xmlEscape(error.code)
    }</Code>\n    <Message>${
      xmlEscape(error.message)
    }</Message>\n  </Error>\n  <RequestId>${requestId()}</RequestId>\n</ErrorResponse>\n`,
    { status: error.status, headers: { "content-type": "text/xml" } },
  );
}

/**
 * Turn anything thrown into an AwsError (unknown errors become a 500 InternalFailure).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { toAwsError } from "./wire_protocol.ts";
 * assert.equal(toAwsError(new Error("boom")).status, 500);
 * ```
 */
export function toAwsError(e: unknown): AwsError {
  if (e instanceof AwsError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new AwsError(500, "InternalFailure", `The simulator failed: ${message}`, {
    fault: "Receiver",
  });
}
