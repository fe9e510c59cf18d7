/**
 * Two independent 32-bit hashes of a string in one pass (FNV-1a and a multiply-xorshift mix
 * over UTF-16 code units). Together they are a 64-bit fingerprint: among two million ids the
 * chance that any two share one is about 1 in 10 million.
 *
 * @example
 * ```ts
 * import { hashString } from "./string_hash.ts";
 * const a = hashString("job:s3://b/a.tif");
 * const b = hashString("job:s3://b/a.tif");
 * if (a.lo !== b.lo || a.hi !== b.hi) throw new Error("deterministic");
 * ```
 * @module
 */

/** A 64-bit fingerprint as two unsigned 32-bit halves. */
export interface StringHash {
  lo: number;
  hi: number;
}

/**
 * Hash `text` into two unsigned 32-bit halves. `out` is reused when given (no allocation).
 *
 * @example
 * ```ts
 * import { hashString } from "./string_hash.ts";
 * const h = hashString("x");
 * if (h.lo < 0 || h.hi < 0 || h.lo > 0xffffffff) throw new Error("unsigned 32-bit");
 * ```
 */
export function hashString(text: string, out: StringHash = { lo: 0, hi: 0 }): StringHash {
  // The tracker hashes one image id several times in a row (find, then add): remember the last.
  if (text === lastText) {
    out.lo = lastLo;
    out.hi = lastHi;
    return out;
  }
  let a = 0x811c9dc5;
  let b = 0x9e3779b9 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  // Final avalanche of both halves.
  a ^= a >>> 16;
  a = Math.imul(a, 0x85ebca6b);
  a ^= a >>> 13;
  b ^= b >>> 16;
  b = Math.imul(b, 0xc2b2ae35);
  b ^= b >>> 16;
  out.lo = lastLo = a >>> 0;
  out.hi = lastHi = b >>> 0;
  lastText = text;
  return out;
}

let lastText: string | undefined;
let lastLo = 0;
let lastHi = 0;
