/**
 * The web UI's start form, as data generated from the option table: every
 * option the table marks for the web (`webFormFields`) becomes a field with
 * the table's flag, label, help and choices; the only thing added here is
 * where the page puts it (a small table of layout hints: group, the shapes a
 * field belongs to, an example value, whether it may be empty). The page gets
 * the list from `GET /api/config` and builds its inputs from it; the server
 * turns submitted values into flags with it and maps an error message back to
 * the field to show it next to.
 *
 * @example
 * ```ts
 * import { fieldForMessage, FORM_FIELDS } from "./form_fields.ts";
 * if (!FORM_FIELDS.some((f) => f.name === "runTime")) throw new Error("run time is a field");
 * if (fieldForMessage('--rate-stages "x" is bad') !== "rateStages") throw new Error("longest flag wins");
 * ```
 * @module
 */
import { type WebFormField, webFormFields } from "../config/web_form_fields.ts";
import type { FormField, FormFieldType } from "../frontend/wire.ts";

export type { FormField, FormFieldType };

/** Layout of a field on the page (what the option table does not say). */
interface LayoutHint {
  group: FormField["group"];
  shapes?: string[];
  placeholder?: string;
  required?: boolean;
  /** Other flags whose errors belong to this field. */
  alsoFlags?: string[];
  /** Suggestions of a text field. */
  suggestions?: string[];
}

const LAYOUT: Record<string, LayoutHint> = {
  users: { group: "basic", required: true },
  spawnRate: { group: "basic", required: true },
  runTime: {
    group: "basic",
    required: true,
    placeholder: "90s, 10m, 1h30m",
    alsoFlags: ["--processing-window-min"],
  },
  userClass: {
    group: "basic",
    required: true,
    suggestions: ["load-test", "predefined", "random", "predefined:3,random:1"],
  },
  modelName: { group: "basic" },
  shape: { group: "shape" },
  stages: { group: "shape", shapes: ["stages"], placeholder: "2m:10,5m:50,2m:0" },
  rate: { group: "shape", shapes: ["rate"], placeholder: "120/min" },
  rateStages: { group: "shape", shapes: ["rate"], placeholder: "5m:60/min,10m:240/min" },
  burstPeriod: { group: "shape", shapes: ["burst"], placeholder: "600s" },
  burstMin: { group: "shape", shapes: ["burst"], placeholder: "5" },
  burstPeak: { group: "shape", shapes: ["burst"], placeholder: "40" },
  burstStd: { group: "shape", shapes: ["burst"], placeholder: "period/10" },
  burstMean: { group: "shape", shapes: ["burst"], placeholder: "period/2" },
  threshold: { group: "checks", placeholder: "Submit Image:p95<500\nfail_ratio<0.01" },
  waitForCompletion: { group: "checks" },
  completionTimeout: { group: "checks", placeholder: "30m" },
};

/** Extra flags whose errors map to a field, by field name. */
const ALSO_FLAGS = new Map(
  Object.entries(LAYOUT).flatMap(([name, hint]) => hint.alsoFlags ? [[name, hint.alsoFlags]] : []),
);

function typeOf(field: WebFormField): FormFieldType {
  if (field.repeatable) return "lines";
  if (field.type === "boolean") return "checkbox";
  if (field.type === "choice") return "select";
  if (field.type === "integer" || field.type === "number") return "number";
  return "text";
}

/**
 * The start form's fields: the option table's web fields with their layout.
 *
 * @example
 * ```ts
 * import { formFields } from "./form_fields.ts";
 * const shape = formFields().find((f) => f.name === "shape");
 * if (shape?.type !== "select" || shape.group !== "shape") throw new Error(JSON.stringify(shape));
 * ```
 */
export function formFields(): FormField[] {
  return webFormFields().map((field) => {
    const hint = LAYOUT[field.name] ?? { group: "basic" };
    const choices = field.choices ? [...field.choices] : hint.suggestions;
    return {
      name: field.name,
      flag: field.flag,
      label: field.label,
      type: typeOf(field),
      ...(field.help ? { help: field.help } : {}),
      ...(hint.placeholder ? { placeholder: hint.placeholder } : {}),
      ...(choices ? { choices } : {}),
      ...(hint.required ? { required: true } : {}),
      ...(hint.shapes ? { shapes: hint.shapes } : {}),
      group: hint.group,
    };
  });
}

/** The start form's fields (see {@linkcode formFields}). */
export const FORM_FIELDS: readonly FormField[] = formFields();

/**
 * The field an error message is about: the field whose flag the message names (the longest
 * flag that matches, so `--rate-stages` wins over `--rate`), or undefined.
 *
 * @example
 * ```ts
 * import { fieldForMessage } from "./form_fields.ts";
 * const field = fieldForMessage('--run-time "abc" is not a duration: use 90s, 10m, 1h30m');
 * if (field !== "runTime") throw new Error(String(field));
 * ```
 */
export function fieldForMessage(
  message: string,
  fields: readonly FormField[] = FORM_FIELDS,
): string | undefined {
  let best: { name: string; length: number } | undefined;
  for (const field of fields) {
    for (const flag of [field.flag, ...(ALSO_FLAGS.get(field.name) ?? [])]) {
      // A flag is matched whole: `--rate` must not match inside `--rate-stages`.
      if (!new RegExp(`${flag}(?![a-z-])`).test(message)) continue;
      if (best === undefined || flag.length > best.length) {
        best = { name: field.name, length: flag.length };
      }
    }
  }
  return best?.name;
}
