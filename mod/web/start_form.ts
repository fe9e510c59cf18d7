/**
 * The web UI's start form on the server: the values prefilled from the command line, and how
 * submitted values become run flags (validated by `resolveRunSettings`, the CLI's own rules,
 * whose messages the page shows next to the field they name). The fields themselves are
 * described in `form_fields.ts`.
 *
 * @example
 * ```ts
 * import { formatWindow, startFlags } from "./start_form.ts";
 * if (formatWindow(600) !== "10m") throw new Error("10 minutes");
 * const flags = startFlags({ users: "5" }, { users: 20, spawnRate: 2, runTime: "90s" });
 * if (flags.users !== "20" || flags.runTime !== "90s") throw new Error("form values win");
 * ```
 * @module
 */
import type { RunFlags, RunSettings } from "../config/run_settings.ts";
import { UsageError } from "../usage_error.ts";
import { fieldForMessage, FORM_FIELDS } from "./form_fields.ts";
import type { FormValues } from "../frontend/wire.ts";

/**
 * A form value that is wrong, with the field to show the message next to.
 *
 * @example
 * ```ts
 * import { FormFieldError } from "./start_form.ts";
 * const error = new FormFieldError("Run time is empty: give e.g. 10m", "runTime");
 * if (error.field !== "runTime") throw new Error("field kept");
 * ```
 */
export class FormFieldError extends UsageError {
  /** The form field's name (see `FORM_FIELDS`). */
  readonly field: string;

  constructor(message: string, field: string) {
    super(message);
    this.name = "FormFieldError";
    this.field = field;
  }
}

/**
 * The form field an error is about: a {@linkcode FormFieldError}'s field, else the field whose
 * flag the message names, else undefined.
 *
 * @example
 * ```ts
 * import { UsageError } from "../usage_error.ts";
 * import { fieldOfError } from "./start_form.ts";
 * if (fieldOfError(new UsageError("--users must be a whole number")) !== "users") {
 *   throw new Error("mapped by flag");
 * }
 * ```
 */
export function fieldOfError(error: unknown): string | undefined {
  if (error instanceof FormFieldError) return error.field;
  return error instanceof Error ? fieldForMessage(error.message) : undefined;
}

/**
 * Seconds as a `--run-time` value: `1h30m`, `10m`, `90s`, `1m30s`.
 *
 * @example
 * ```ts
 * import { formatWindow } from "./start_form.ts";
 * if (formatWindow(5400) !== "1h30m") throw new Error("1h30m");
 * ```
 */
export function formatWindow(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const parts = [h ? `${h}h` : "", m ? `${m}m` : "", s ? `${s}s` : ""].join("");
  return parts === "" ? "0s" : parts;
}

function flagText(flags: RunFlags, key: string): string {
  const value = flags[key];
  return typeof value === "string" ? value : "";
}

/**
 * The form prefilled from the command line: the resolved settings for what they define (users,
 * spawn rate, window, shape, thresholds, waiting), the flags as typed for the rest (stages,
 * rates, burst options), empty where the command line gave nothing.
 *
 * @example
 * ```ts
 * import { resolveRunSettings } from "../config/run_settings.ts";
 * import { prefillForm } from "./start_form.ts";
 * const flags = { sourceBucket: "s3://images", resultBucket: "s3://results", runTime: "90s" };
 * const form = prefillForm(flags, resolveRunSettings(flags, {}));
 * if (form.runTime !== "1m30s" || form.shape !== "window") throw new Error(JSON.stringify(form));
 * ```
 */
export function prefillForm(flags: RunFlags, settings: RunSettings): FormValues {
  const userClass = flagText(flags, "userClass") ||
    settings.userMix.map((m) => m.weight === 1 ? m.kind : `${m.kind}:${m.weight}`).join(",");
  const form: FormValues = {
    users: String(settings.users),
    spawnRate: String(settings.spawnRate),
    runTime: formatWindow(settings.windowS),
    userClass,
    modelName: settings.modelName,
    shape: settings.shape.name === "capacity" ? "rate" : settings.shape.name,
    threshold: settings.thresholds.join("\n"),
    waitForCompletion: settings.waitForCompletion,
    completionTimeout: formatWindow(settings.completionTimeoutS),
  };
  for (const field of FORM_FIELDS) {
    if (!(field.name in form)) form[field.name] = flagText(flags, field.name);
  }
  return form;
}

function textOf(value: unknown, label: string, name: string): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value === "string") return value.trim();
  throw new FormFieldError(
    `${label} must be a number or text (got ${typeof value}): fix it in the form`,
    name,
  );
}

/**
 * The command-line flags with the form's values laid over them. A field the form leaves out
 * keeps the command line's value; an empty optional field removes it (its default applies); an
 * empty required field is refused. `headless` stays as given (false): like Locust's UI runs, no
 * live console tables.
 *
 * @example
 * ```ts
 * import { startFlags } from "./start_form.ts";
 * const flags = startFlags({ processingWindowMin: "10" }, { runTime: "30s", threshold: "a<1\n\nb<2" });
 * if (flags.runTime !== "30s" || flags.processingWindowMin !== undefined) throw new Error("run time");
 * if (JSON.stringify(flags.threshold) !== '["a<1","b<2"]') throw new Error("one threshold a line");
 * ```
 */
export function startFlags(base: RunFlags, form: Record<string, unknown>): RunFlags {
  const flags: RunFlags = { ...base };
  for (const field of FORM_FIELDS) {
    if (!(field.name in form)) continue;
    const raw = form[field.name];
    if (field.type === "checkbox") {
      flags[field.name] = raw === true || raw === "true" || raw === "on";
      continue;
    }
    const text = textOf(raw, field.label, field.name);
    if (field.type === "lines") {
      flags[field.name] = text.split(/\r?\n/).map((line) => line.trim()).filter((l) => l !== "");
      continue;
    }
    if (text === "") {
      if (field.required) {
        throw new FormFieldError(
          `${field.label} is empty: fill it in${
            field.placeholder ? `, e.g. ${field.placeholder.split(",")[0]}` : ""
          }`,
          field.name,
        );
      }
      delete flags[field.name];
      continue;
    }
    flags[field.name] = text;
    // The run time replaces the upstream window flag, as on the command line.
    if (field.name === "runTime") delete flags.processingWindowMin;
  }
  return flags;
}
