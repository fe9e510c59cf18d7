/**
 * The web UI's start form, as data: one descriptor per field, naming the `run` flag it sets.
 * The page builds its inputs from this list, the server turns the submitted values into flags
 * with it and maps an error message back to the field to show it next to. Pure data and pure
 * functions (the browser bundle imports it too), so the list can later be generated from the
 * option table.
 *
 * @example
 * ```ts
 * import { fieldForMessage, FORM_FIELDS } from "./form_fields.ts";
 * if (!FORM_FIELDS.some((f) => f.name === "runTime")) throw new Error("run time is a field");
 * if (fieldForMessage('--rate-stages "x" is bad') !== "rateStages") throw new Error("longest flag wins");
 * ```
 * @module
 */

/** How a field is edited. `lines`: one value per line, sent as a repeatable flag. */
export type FormFieldType = "number" | "text" | "select" | "checkbox" | "lines";

/** One field of the start form. */
export interface FormField {
  /** The flag's key as the command line's parser gives it (camelCase), and the form's key. */
  readonly name: string;
  /** The long flag, e.g. `--run-time`: errors that name it are shown next to this field. */
  readonly flag: string;
  readonly label: string;
  readonly type: FormFieldType;
  /** One line of help under the field. */
  readonly help?: string;
  /** Example value shown while the field is empty. */
  readonly placeholder?: string;
  /** `select`: the values to choose from; `text`: suggestions. */
  readonly choices?: readonly string[];
  /** An empty value is refused. */
  readonly required?: boolean;
  /** Shown only when the shape field has one of these values (always when absent). */
  readonly shapes?: readonly string[];
  /** Where the page puts it: the first row, the load shape, or checks and waiting. */
  readonly group: "basic" | "shape" | "checks";
  /** Other flags whose errors belong to this field (e.g. `--processing-window-min`). */
  readonly alsoFlags?: readonly string[];
}

/** The start form's fields, in page order. */
export const FORM_FIELDS: readonly FormField[] = [
  {
    name: "users",
    flag: "--users",
    label: "Number of users",
    type: "number",
    required: true,
    group: "basic",
  },
  {
    name: "spawnRate",
    flag: "--spawn-rate",
    label: "Spawn rate (users/s)",
    type: "number",
    required: true,
    group: "basic",
  },
  {
    name: "runTime",
    flag: "--run-time",
    label: "Run time",
    type: "text",
    placeholder: "90s, 10m, 1h30m",
    required: true,
    group: "basic",
    alsoFlags: ["--processing-window-min"],
  },
  {
    name: "userClass",
    flag: "--user-class",
    label: "User class",
    type: "text",
    choices: ["load-test", "predefined", "random", "predefined:3,random:1"],
    required: true,
    group: "basic",
  },
  { name: "modelName", flag: "--model-name", label: "Model", type: "text", group: "basic" },
  {
    name: "shape",
    flag: "--shape",
    label: "Load shape",
    type: "select",
    choices: ["window", "stages", "burst", "rate"],
    help:
      "window: hold the users for the run time; stages: ramps; burst: periodic peaks; rate: jobs on a clock",
    group: "shape",
  },
  {
    name: "stages",
    flag: "--stages",
    label: "Stages (duration:users, …)",
    type: "text",
    placeholder: "2m:10,5m:50,2m:0",
    shapes: ["stages"],
    group: "shape",
  },
  {
    name: "rate",
    flag: "--rate",
    label: "Rate",
    type: "text",
    placeholder: "120/min",
    help: "jobs submitted per second, minute or hour, whatever the service does",
    shapes: ["rate"],
    group: "shape",
  },
  {
    name: "rateStages",
    flag: "--rate-stages",
    label: "Rate stages (duration:rate, …)",
    type: "text",
    placeholder: "5m:60/min,10m:240/min",
    shapes: ["rate"],
    group: "shape",
  },
  {
    name: "burstPeriod",
    flag: "--burst-period",
    label: "Burst period",
    type: "text",
    placeholder: "600s",
    shapes: ["burst"],
    group: "shape",
  },
  {
    name: "burstMin",
    flag: "--burst-min",
    label: "Users between bursts",
    type: "number",
    placeholder: "5",
    shapes: ["burst"],
    group: "shape",
  },
  {
    name: "burstPeak",
    flag: "--burst-peak",
    label: "Users at the peak",
    type: "number",
    placeholder: "40",
    shapes: ["burst"],
    group: "shape",
  },
  {
    name: "burstStd",
    flag: "--burst-std",
    label: "Burst width",
    type: "text",
    placeholder: "period/10",
    shapes: ["burst"],
    group: "shape",
  },
  {
    name: "burstMean",
    flag: "--burst-mean",
    label: "Peak time in the period",
    type: "text",
    placeholder: "period/2",
    shapes: ["burst"],
    group: "shape",
  },
  {
    name: "threshold",
    flag: "--threshold",
    label: "Thresholds (one per line)",
    type: "lines",
    placeholder: "Submit Image:p95<500\nfail_ratio<0.01",
    help: "pass/fail rules checked at the end of the run",
    group: "checks",
  },
  {
    name: "waitForCompletion",
    flag: "--wait-for-completion",
    label: "Wait for the jobs to finish after the run time",
    type: "checkbox",
    group: "checks",
  },
  {
    name: "completionTimeout",
    flag: "--completion-timeout",
    label: "Completion timeout",
    type: "text",
    placeholder: "30m",
    help: "longest wait for jobs (also bounds “stop and wait”); open jobs then count as timed out",
    group: "checks",
  },
];

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
export function fieldForMessage(message: string): string | undefined {
  let best: { name: string; length: number } | undefined;
  for (const field of FORM_FIELDS) {
    for (const flag of [field.flag, ...(field.alsoFlags ?? [])]) {
      // A flag is matched whole: `--rate` must not match inside `--rate-stages`.
      if (!new RegExp(`${flag}(?![a-z-])`).test(message)) continue;
      if (best === undefined || flag.length > best.length) {
        best = { name: field.name, length: flag.length };
      }
    }
  }
  return best?.name;
}

/**
 * True when `field` is shown for the chosen `shape`.
 *
 * @example
 * ```ts
 * import { FORM_FIELDS, isShownFor } from "./form_fields.ts";
 * const stages = FORM_FIELDS.find((f) => f.name === "stages")!;
 * if (isShownFor(stages, "window") || !isShownFor(stages, "stages")) throw new Error("wrong");
 * ```
 */
export function isShownFor(field: FormField, shape: string): boolean {
  return field.shapes === undefined || field.shapes.includes(shape);
}
