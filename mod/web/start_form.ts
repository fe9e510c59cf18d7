/**
 * The web UI's start form: its fields, the values prefilled from the command
 * line, and how submitted values become run flags (validated later by
 * `resolveRunSettings`, whose messages the page shows).
 *
 * @example
 * ```ts
 * import { formatWindow, startFlags } from "./start_form.ts";
 * formatWindow(600); // "10m"
 * startFlags({ users: "5" }, { users: 20, spawnRate: 2, runTime: "90s" }).users; // "20"
 * ```
 * @module
 */
import type { RunFlags, RunSettings } from "../config/run_settings.ts";
import { UsageError } from "../usage_error.ts";

/** The start form's values. */
export interface StartForm {
  users: number;
  spawnRate: number;
  /** Load window as `--run-time` takes it: `90s`, `10m`, `1h30m`. */
  runTime: string;
  /** `--user-class`: `load-test`, `predefined`, `random`, or a weighted mix. */
  userClass: string;
  modelName: string;
}

/**
 * Seconds as a `--run-time` value: `1h30m`, `10m`, `90s`, `1m30s`.
 *
 * @example
 * ```ts
 * import { formatWindow } from "./start_form.ts";
 * formatWindow(5400); // "1h30m"
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

/**
 * The form prefilled from the resolved command-line settings.
 *
 * @example
 * ```ts ignore
 * import { prefillForm } from "./start_form.ts";
 * prefillForm(settings, "load-test").runTime; // "1m"
 * ```
 */
export function prefillForm(settings: RunSettings, userClass: string): StartForm {
  return {
    users: settings.users,
    spawnRate: settings.spawnRate,
    runTime: formatWindow(settings.windowS),
    userClass,
    modelName: settings.modelName,
  };
}

function field(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value === "string") return value.trim();
  throw new UsageError(
    `${name} must be a number or text (got ${typeof value}): fix it in the form`,
  );
}

/**
 * The command-line flags with the form's values laid over them. `headless`
 * stays as given (false): like Locust's UI runs, no live console tables.
 *
 * @example
 * ```ts
 * import { startFlags } from "./start_form.ts";
 * startFlags({ processingWindowMin: "10" }, { runTime: "30s" }).runTime; // "30s"
 * ```
 */
export function startFlags(base: RunFlags, form: Record<string, unknown>): RunFlags {
  const flags: RunFlags = { ...base };
  const users = field(form.users, "users");
  const spawnRate = field(form.spawnRate, "spawn rate");
  const runTime = field(form.runTime, "run time");
  const userClass = field(form.userClass, "user class");
  const modelName = field(form.modelName, "model");
  if (users !== undefined) flags.users = users;
  if (spawnRate !== undefined) flags.spawnRate = spawnRate;
  if (runTime !== undefined) {
    flags.runTime = runTime;
    delete flags.processingWindowMin;
  }
  if (userClass !== undefined) flags.userClass = userClass;
  if (modelName !== undefined) flags.modelName = modelName;
  return flags;
}
