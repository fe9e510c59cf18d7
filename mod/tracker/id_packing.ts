/**
 * Pack the tool's ids into four 32-bit words (16 bytes instead of a 32- or 36-character string):
 * job ids are 32 lowercase hex characters (`newJobId()` in mod/users/image_request.ts) and SQS
 * message ids are lowercase UUIDs. Only text that unpacks to exactly the same string is packed;
 * anything else (upper case, other lengths) is left as a string by the caller.
 *
 * @example
 * ```ts
 * import { packHex32, unpackHex32 } from "./id_packing.ts";
 * const words = new Uint32Array(4);
 * const id = "0123456789abcdef0123456789abcdef";
 * if (!packHex32(id, words, 0) || unpackHex32(words, 0) !== id) throw new Error("round trip");
 * ```
 * @module
 */

const HEX32 = /^[0-9a-f]{32}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * True when `text` is 32 lowercase hex characters (a packable job id).
 *
 * @example
 * ```ts
 * import { isHex32 } from "./id_packing.ts";
 * if (isHex32("ABCDEF0123456789abcdef0123456789")) throw new Error("upper case is not packed");
 * ```
 */
export function isHex32(text: string): boolean {
  return text.length === 32 && HEX32.test(text);
}

/**
 * Pack 32 lowercase hex characters into `words[at..at+3]`; false (nothing written) when `text`
 * is not such a string.
 *
 * @example
 * ```ts
 * import { packHex32 } from "./id_packing.ts";
 * const words = new Uint32Array(4);
 * if (packHex32("not hex", words, 0)) throw new Error("refused");
 * ```
 */
export function packHex32(text: string, words: Uint32Array, at: number): boolean {
  if (!isHex32(text)) return false;
  words[at] = parseInt(text.slice(0, 8), 16);
  words[at + 1] = parseInt(text.slice(8, 16), 16);
  words[at + 2] = parseInt(text.slice(16, 24), 16);
  words[at + 3] = parseInt(text.slice(24, 32), 16);
  return true;
}

/**
 * The 32 hex characters packed at `words[at..at+3]`.
 *
 * @example
 * ```ts
 * import { unpackHex32 } from "./id_packing.ts";
 * const text = unpackHex32(new Uint32Array([1, 2, 3, 0xffffffff]), 0);
 * if (text !== "000000010000000200000003ffffffff") throw new Error(text);
 * ```
 */
export function unpackHex32(words: Uint32Array, at: number): string {
  return hex8(words[at]!) + hex8(words[at + 1]!) + hex8(words[at + 2]!) + hex8(words[at + 3]!);
}

/**
 * True when the packed words at `at` spell `text` (32 lowercase hex characters), without
 * building a string.
 *
 * @example
 * ```ts
 * import { packHex32, packedHex32Equals } from "./id_packing.ts";
 * const words = new Uint32Array(4);
 * packHex32("0123456789abcdef0123456789abcdef", words, 0);
 * if (!packedHex32Equals(words, 0, "0123456789abcdef0123456789abcdef")) throw new Error();
 * ```
 */
export function packedHex32Equals(words: Uint32Array, at: number, text: string): boolean {
  if (!isHex32(text)) return false;
  return words[at] === parseInt(text.slice(0, 8), 16) &&
    words[at + 1] === parseInt(text.slice(8, 16), 16) &&
    words[at + 2] === parseInt(text.slice(16, 24), 16) &&
    words[at + 3] === parseInt(text.slice(24, 32), 16);
}

/**
 * Pack a lowercase UUID (`8-4-4-4-12` hex) into `words[at..at+3]`; false when `text` is not one.
 *
 * @example
 * ```ts
 * import { packUuid, unpackUuid } from "./id_packing.ts";
 * const words = new Uint32Array(4);
 * const id = "0f8fad5b-d9cb-469f-a165-70867728950e";
 * if (!packUuid(id, words, 0) || unpackUuid(words, 0) !== id) throw new Error("round trip");
 * ```
 */
export function packUuid(text: string, words: Uint32Array, at: number): boolean {
  if (text.length !== 36 || !UUID.test(text)) return false;
  return packHex32(
    text.slice(0, 8) + text.slice(9, 13) + text.slice(14, 18) + text.slice(19, 23) +
      text.slice(24),
    words,
    at,
  );
}

/**
 * The lowercase UUID packed at `words[at..at+3]`.
 *
 * @example
 * ```ts
 * import { unpackUuid } from "./id_packing.ts";
 * const id = unpackUuid(new Uint32Array([0, 0, 0, 1]), 0);
 * if (id !== "00000000-0000-0000-0000-000000000001") throw new Error(id);
 * ```
 */
export function unpackUuid(words: Uint32Array, at: number): string {
  const hex = unpackHex32(words, at);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${
    hex.slice(20)
  }`;
}

const BYTE_HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

function hex8(n: number): string {
  return BYTE_HEX[n >>> 24]! + BYTE_HEX[(n >>> 16) & 0xff]! + BYTE_HEX[(n >>> 8) & 0xff]! +
    BYTE_HEX[n & 0xff]!;
}
