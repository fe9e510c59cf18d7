/**
 * The resolved options as `--dry-run` prints them: one line per option of
 * the command, its value and where it came from (flag, env NAME, config
 * FILE:LINE, default), passwords masked.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { resolveOptions } from "./resolve_options.ts";
 * import { formatResolvedOptions } from "./format_options.ts";
 * const lines = formatResolvedOptions(resolveOptions({ command: "run", flags: { users: "5" }, env: {} }));
 * assert.equal(lines[0], "Options (value, from):");
 * assert.ok(lines.some((line) => /^ {2}users +5 +flag --users$/.test(line)));
 * ```
 * @module
 */
import { optionsOf } from "./options.ts";
import { configKeyOf, defaultHelpOf } from "./option_spec.ts";
import { formatSource } from "./option_source.ts";
import type { ResolvedOptions } from "./resolve_options.ts";

function mask(text: string): string {
  const colon = text.indexOf(":");
  return colon < 0 ? "****" : `${text.slice(0, colon)}:****`;
}

/**
 * Lines for every option of the resolved command, in table order.
 * Options without a value show what stands in for them (e.g. the task
 * definition's queue); ignored ones say so.
 */
export function formatResolvedOptions(resolved: ResolvedOptions): string[] {
  const rows: Array<[string, string, string]> = [];
  for (const [key, spec] of optionsOf(resolved.command)) {
    const text = resolved.texts[key];
    const source = resolved.sources[key];
    let value: string;
    if (text === undefined || (Array.isArray(text) && text.length === 0)) {
      value = "-";
    } else {
      value = Array.isArray(text) ? text.join(", ") : text;
      if (spec.secret) value = mask(value);
    }
    let from = formatSource(source);
    if (source.kind === "unset") {
      const stand = defaultHelpOf(spec, resolved.command);
      if (stand !== undefined) from += ` (${stand})`;
    }
    if (spec.ignored && source.kind !== "unset") from += " (ignored)";
    rows.push([configKeyOf(spec.flag), value, from]);
  }
  const keyWidth = Math.max(...rows.map(([k]) => k.length));
  const valueWidth = Math.min(48, Math.max(...rows.map(([, v]) => v.length)));
  const lines = ["Options (value, from):"];
  for (const [key, value, from] of rows) {
    lines.push(`  ${key.padEnd(keyWidth)}  ${value.padEnd(valueWidth)}  ${from}`);
  }
  if (resolved.configPath !== undefined) lines.push(`  (config file: ${resolved.configPath})`);
  return lines;
}
