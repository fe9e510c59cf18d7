/**
 * MD5 digests the way SQS computes them: of a message body, and of a set of
 * message attributes (the SQS binary encoding, attributes sorted by name).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { md5Hex, md5OfMessageAttributes } from "./md5.ts";
 * assert.equal(md5Hex("hello"), "5d41402abc4b2a76b9719d911017c592");
 * md5OfMessageAttributes({ a: { DataType: "String", StringValue: "x" } });
 * ```
 * @module
 */
import { createHash } from "node:crypto";

/**
 * Hex MD5 of a UTF-8 string or bytes.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { md5Hex } from "./md5.ts";
 * assert.equal(md5Hex(""), "d41d8cd98f00b204e9800998ecf8427e");
 * ```
 */
export function md5Hex(data: string | Uint8Array): string {
  return createHash("md5").update(data).digest("hex");
}

/** An SQS message attribute value as the JSON protocol carries it. */
export interface MessageAttributeValue {
  DataType: string;
  StringValue?: string;
  /** Base64 in JSON; decoded bytes once parsed. */
  BinaryValue?: string;
}

const encoder = new TextEncoder();

function lengthPrefixed(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + bytes.length);
  new DataView(out.buffer).setUint32(0, bytes.length);
  out.set(bytes, 4);
  return out;
}

/**
 * Hex MD5 of message attributes as SQS computes `MD5OfMessageAttributes`:
 * for each attribute in name order, the length-prefixed name, the
 * length-prefixed data type, a transport byte (1 string/number, 2 binary) and
 * the length-prefixed value.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { md5OfMessageAttributes } from "./md5.ts";
 * assert.equal(
 *   md5OfMessageAttributes({ kind: { DataType: "String", StringValue: "test" } }),
 *   "b208efaf010247370cb046e6adfb8858",
 * );
 * ```
 */
export function md5OfMessageAttributes(attributes: Record<string, MessageAttributeValue>): string {
  const hash = createHash("md5");
  for (const name of Object.keys(attributes).sort()) {
    const value = attributes[name]!;
    hash.update(lengthPrefixed(encoder.encode(name)));
    hash.update(lengthPrefixed(encoder.encode(value.DataType)));
    if (value.BinaryValue !== undefined && value.DataType.startsWith("Binary")) {
      hash.update(new Uint8Array([2]));
      hash.update(lengthPrefixed(Uint8Array.from(atob(value.BinaryValue), (c) => c.charCodeAt(0))));
    } else {
      hash.update(new Uint8Array([1]));
      hash.update(lengthPrefixed(encoder.encode(value.StringValue ?? "")));
    }
  }
  return hash.digest("hex");
}
