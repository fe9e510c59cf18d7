/**
 * Number and string formatting exactly as Python 3 does it, for cells and
 * console lines that must match Locust's output byte for byte: `repr(float)`,
 * `"%.Nf"`, `round()` to a power of ten (round-half-even on the exact value),
 * `%d` of a float, and `repr(str)`.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { pythonFloatRepr, pythonFixed } from "./python_format.ts";
 * assert.equal(pythonFloatRepr(245), "245.0");
 * assert.equal(pythonFloatRepr(0.00001), "1e-05");
 * assert.equal(pythonFixed(0.125, 2), "0.12");
 * ```
 * @module
 */

/**
 * Python's `repr(x)` for a float: the shortest round-trip digits, always with
 * a `.0` for integral values, and exponent notation when the decimal exponent
 * is below -4 or above 15 (`1e-05`, `1e+16`).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { pythonFloatRepr } from "./python_format.ts";
 * assert.equal(pythonFloatRepr(245.33123779296875), "245.33123779296875");
 * assert.equal(pythonFloatRepr(1e16), "1e+16");
 * ```
 */
export function pythonFloatRepr(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const sign = x < 0 ? "-" : "";
  // toExponential() without an argument gives the shortest round-trip digits.
  const [mantissa = "", exp = "0"] = Math.abs(x).toExponential().split("e");
  const digits = mantissa.replace(".", "");
  const decpt = Number(exp) + 1; // position of the decimal point after the first digit
  if (decpt <= -4 || decpt > 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = decpt - 1;
    const eAbs = String(Math.abs(e)).padStart(2, "0");
    return `${sign}${m}e${e < 0 ? "-" : "+"}${eAbs}`;
  }
  if (decpt <= 0) return `${sign}0.${"0".repeat(-decpt)}${digits}`;
  if (decpt >= digits.length) return `${sign}${digits}${"0".repeat(decpt - digits.length)}.0`;
  return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
}

/**
 * Python's `str(int)`: an integer in plain digits (no exponent however large).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { pythonInt } from "./python_format.ts";
 * assert.equal(pythonInt(1e21), "1000000000000000000000");
 * ```
 */
export function pythonInt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  return BigInt(Math.trunc(n)).toString();
}

/**
 * `str(x)` of a Python number that is an int or a float: plain digits for an
 * int, {@linkcode pythonFloatRepr} for a float. Locust's Min, Max and Median
 * cells keep the type of the value they hold.
 *
 * @example
 * ```ts
 * import { pythonNumber } from "./python_format.ts";
 * if (pythonNumber(11647, true) !== "11647") throw new Error("an int");
 * if (pythonNumber(11647, false) !== "11647.0") throw new Error("a float");
 * ```
 */
export function pythonNumber(x: number, isInt: boolean): string {
  return isInt ? pythonInt(x) : pythonFloatRepr(x);
}

/**
 * Python's `"%.{digits}f" % x`: fixed notation, correctly rounded, ties (on
 * the exact binary value) to even. JavaScript's `toFixed` breaks ties upwards.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { pythonFixed } from "./python_format.ts";
 * assert.equal(pythonFixed(0.375, 2), "0.38");
 * assert.equal(pythonFixed(0.125, 2), "0.12");
 * ```
 */
export function pythonFixed(x: number, digits: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  const abs = Math.abs(x);
  const sign = x < 0 || Object.is(x, -0) ? "-" : "";
  // A tie needs abs = odd / 2^(digits+1) exactly (5^digits is odd).
  const scaled = abs * 2 ** (digits + 1);
  if (abs < 1e15 && Number.isInteger(scaled) && scaled % 2 === 1) {
    const twice = BigInt(scaled) * 5n ** BigInt(digits); // = 2 * abs * 10^digits, odd
    let n = (twice - 1n) / 2n;
    if (n % 2n === 1n) n += 1n;
    const text = n.toString().padStart(digits + 1, "0");
    const body = digits > 0 ? `${text.slice(0, -digits)}.${text.slice(-digits)}` : text;
    return sign + body;
  }
  if (abs >= 1e21) {
    return sign + BigInt(Math.round(abs)).toString() + (digits > 0 ? "." + "0".repeat(digits) : "");
  }
  return sign + abs.toFixed(digits);
}

/**
 * Python's `"%d" % x` for a float: truncation toward zero.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { pythonIntFormat } from "./python_format.ts";
 * assert.equal(pythonIntFormat(12.9), "12");
 * ```
 */
export function pythonIntFormat(x: number): string {
  return pythonInt(Math.trunc(x));
}

/**
 * Python's `round(x, -k)` (k ≥ 0) for a float: the nearest multiple of 10^k,
 * ties to even, decided on the exact value of `x` (so `round(145.0, -1)` is
 * 140 and `round(2.5)` is 2).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { pythonRoundToPowerOfTen } from "./python_format.ts";
 * assert.equal(pythonRoundToPowerOfTen(147, 1), 150);
 * assert.equal(pythonRoundToPowerOfTen(2.5, 0), 2);
 * ```
 */
export function pythonRoundToPowerOfTen(x: number, k: number): number {
  if (!Number.isFinite(x)) return x;
  const unit = 10 ** k;
  // Past 2^52 the loop below cannot step; such times are nonsense anyway.
  if (Math.abs(x) >= 2 ** 52) return Math.round(x / unit) * unit;
  let n = Math.floor(x / unit);
  // The division may be off by one ulp: settle n so that n*unit <= x < (n+1)*unit.
  while (n * unit > x) n--;
  while ((n + 1) * unit <= x) n++;
  const low = n * unit;
  const mid = low + unit / 2; // exact: an integer or an integer + 0.5
  if (x < mid) return low;
  if (x > mid) return low + unit;
  return n % 2 === 0 ? low : low + unit;
}

/**
 * Python's `repr(s)` for a str: single quotes unless the text has a `'` and
 * no `"`; backslash escapes for the quote, `\\`, `\t`, `\n`, `\r` and
 * non-printable characters.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { pythonStrRepr } from "./python_format.ts";
 * assert.equal(pythonStrRepr("it's"), "\"it's\"");
 * assert.equal(pythonStrRepr("a\nb"), "'a\\nb'");
 * ```
 */
export function pythonStrRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    if (ch === quote || ch === "\\") out += "\\" + ch;
    else if (ch === "\t") out += "\\t";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch !== " " && NON_PRINTABLE.test(ch)) {
      const cp = ch.codePointAt(0) ?? 0;
      if (cp < 0x100) out += "\\x" + cp.toString(16).padStart(2, "0");
      else if (cp < 0x10000) out += "\\u" + cp.toString(16).padStart(4, "0");
      else out += "\\U" + cp.toString(16).padStart(8, "0");
    } else out += ch;
  }
  return out + quote;
}

// Python's str.isprintable() is false for categories Cc, Cf, Cs, Co, Cn, Zl, Zp, Zs (bar space).
const NON_PRINTABLE = /^[\p{C}\p{Z}]$/u;

/**
 * Python's `round(x, digits)` for a float: the exact binary value rounded, ties to even.
 *
 * @example
 * ```ts
 * import { pythonRound } from "./python_format.ts";
 * if (pythonRound(72.604, 2) !== 72.6 || pythonRound(2.5, 0) !== 2) throw new Error("ties to even");
 * if (pythonRound(0.125, 2) !== 0.12) throw new Error("0.125 is a tie");
 * ```
 */
export function pythonRound(x: number, digits: number): number {
  if (!Number.isFinite(x)) return x;
  return Number(pythonFixed(x, digits));
}
