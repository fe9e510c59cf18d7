/**
 * The web UI start form's fields, generated from the option table: each
 * option marked `web` becomes a field with its name (the run flag key the
 * form posts), label, value kind, default, help and choices. The page posts
 * the values as text under these names; `startFlags` lays them over the
 * command line and `resolveRunSettings` checks them with the same parsers
 * as flags.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { webFormFields } from "./web_form_fields.ts";
 * const users = webFormFields().find((field) => field.name === "users");
 * assert.deepStrictEqual(
 *   { label: users?.label, type: users?.type, default: users?.default },
 *   { label: "Users", type: "integer", default: "1" },
 * );
 * ```
 * @module
 */
import { optionsOf } from "./options.ts";
import { type CommandName, defaultOf, type ValueKind } from "./option_spec.ts";

/** One field of the start form. */
export interface WebFormField {
  /** The run flag key the value is posted under (`users`, `runTime`, `threshold`). */
  name: string;
  /** The flag, for messages and tooltips (`--users`). */
  flag: string;
  /** The field's label. */
  label: string;
  /** The value kind: text, integer, number, duration, rate, boolean, choice, s3, path. */
  type: ValueKind;
  /** The default as text, as a person would type it; undefined when empty. */
  default: string | undefined;
  /** The option's help line. */
  help: string;
  /** Allowed values of a `choice` field. */
  choices?: readonly string[];
  /** Several values (one per line in a textarea, or comma-separated). */
  repeatable: boolean;
}

/**
 * The start form's fields for `command` (default `run`), in table order.
 * Defaults are the command's own (derived defaults left out: they depend on
 * other values).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { webFormFields } from "./web_form_fields.ts";
 * const shape = webFormFields().find((field) => field.name === "shape");
 * assert.deepStrictEqual(shape?.choices, ["window", "stages", "burst", "rate"]);
 * ```
 */
export function webFormFields(command: CommandName = "run"): WebFormField[] {
  const fields: WebFormField[] = [];
  for (const [key, spec] of optionsOf(command)) {
    if (!spec.web) continue;
    const fallback = defaultOf(spec, command);
    const text = spec.web.default ?? (typeof fallback === "string" ? fallback : undefined);
    fields.push({
      name: key,
      flag: spec.flag,
      label: spec.web.label,
      type: spec.kind,
      default: text,
      help: spec.help,
      ...(spec.choices ? { choices: spec.choices } : {}),
      repeatable: spec.repeatable === true,
    });
  }
  return fields;
}
