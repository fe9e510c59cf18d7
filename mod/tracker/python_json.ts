/**
 * JSON as upstream's Python writes it (`json.dump(obj, f, indent=4)`), where it matters: a
 * Python float is always written with a decimal point or an exponent (`12.0`, `1e-05`), an int
 * never is. JavaScript has one number type and `JSON.stringify(12.0)` gives `12`, so the keys
 * that upstream fills with floats (`processing_duration`, `total_gb_processed`, ...) are named
 * and their numbers written with Python's `repr(float)`. Everything else is `JSON.stringify`'s.
 *
 * @example
 * ```ts
 * import { stringifyPythonJson } from "./python_json.ts";
 * const text = stringifyPythonJson({ a: 12, b: 12 }, new Set(["b"]), 4);
 * if (text !== '{\n    "a": 12,\n    "b": 12.0\n}') throw new Error(text);
 * ```
 * @module
 */
import { pythonFloatRepr } from "../stats/python_format.ts";

/**
 * The keys of `job_status.json` and `job_summary.json` whose numbers are Python floats
 * upstream (and `setup_duration_s`, a duration in seconds, this tool's own).
 *
 * @example
 * ```ts
 * import { FLOAT_KEYS } from "./python_json.ts";
 * if (!FLOAT_KEYS.has("processing_duration")) throw new Error("missing");
 * ```
 */
export const FLOAT_KEYS: ReadonlySet<string> = new Set([
  "processing_duration",
  "total_gb_processed",
  "setup_duration_s",
]);

/**
 * Serialize `value` like `JSON.stringify(value, null, indent)`, except that a finite number
 * under a key in `floatKeys` is written as Python's `repr(float)`.
 *
 * @example
 * ```ts
 * import { stringifyPythonJson } from "./python_json.ts";
 * const text = stringifyPythonJson({ x: { processing_duration: 42 } }, new Set(["processing_duration"]));
 * if (JSON.parse(text).x.processing_duration !== 42 || !text.includes("42.0")) throw new Error(text);
 * ```
 */
export function stringifyPythonJson(
  value: unknown,
  floatKeys: ReadonlySet<string> = FLOAT_KEYS,
  indent = 4,
): string {
  const pad = " ".repeat(indent);
  const write = (v: unknown, depth: number, float: boolean): string | undefined => {
    if (typeof v === "number" && float && Number.isFinite(v)) return pythonFloatRepr(v);
    if (v === null || typeof v !== "object") return JSON.stringify(v);
    if (typeof (v as { toJSON?: unknown }).toJSON === "function") {
      return write((v as { toJSON: () => unknown }).toJSON(), depth, float);
    }
    const inner = "\n" + pad.repeat(depth + 1);
    const outer = "\n" + pad.repeat(depth);
    if (Array.isArray(v)) {
      if (v.length === 0) return "[]";
      const items = v.map((item) => write(item, depth + 1, false) ?? "null");
      return `[${inner}${items.join(`,${inner}`)}${outer}]`;
    }
    const parts: string[] = [];
    for (const [key, item] of Object.entries(v as Record<string, unknown>)) {
      const text = write(item, depth + 1, floatKeys.has(key));
      if (text !== undefined) parts.push(`${JSON.stringify(key)}: ${text}`);
    }
    if (parts.length === 0) return "{}";
    return `{${inner}${parts.join(`,${inner}`)}${outer}}`;
  };
  return write(value, 0, false) ?? "null";
}
