/**
 * Commander options and help generated from the option table
 * (`mod/config/options.ts`): each command gets only the options it uses,
 * each help line shows that command's default and upstream's environment
 * variables, and the help ends with how to set any option from the
 * environment or a config file.
 *
 * Commander is given no defaults and no environment fallbacks: it only
 * collects what was typed, and `resolveOptions` adds the environment, the
 * config file and the defaults, in that order, and knows where each value
 * came from.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { Command } from "commander";
 * import { addTableOptions } from "./command_options.ts";
 * const demo = addTableOptions(new Command("demo"), "demo");
 * assert.match(demo.helpInformation(), /number of concurrent users \(default: 5\)/);
 * ```
 * @module
 */
import { type Command, Option } from "commander";
import { optionsOf } from "../config/options.ts";
import { type CommandName, defaultHelpOf, type OptionSpec } from "../config/option_spec.ts";

/**
 * One option's help text in `command`: the table's help, the choices,
 * upstream's environment variables and the command's default.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { OPTIONS } from "../config/options.ts";
 * import { optionHelp } from "./command_options.ts";
 * assert.equal(optionHelp(OPTIONS.users, "capacity"), "number of concurrent users (default: 20)");
 * ```
 */
export function optionHelp(spec: OptionSpec, command: CommandName): string {
  let text = spec.help;
  if (spec.env?.length) text += ` [env ${spec.env.join(", ")}]`;
  if (spec.kind !== "boolean") {
    const fallback = defaultHelpOf(spec, command);
    if (fallback !== undefined && !spec.ignored) text += ` (default: ${fallback})`;
  }
  return text;
}

/** The commander flags text: `-u, --users <n>`, `--csv, --output <prefix>`. */
function flagsText(spec: OptionSpec): string {
  const names = spec.alias ? `${spec.alias}, ${spec.flag}` : spec.flag;
  return spec.arg ? `${names} ${spec.arg}` : names;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/**
 * The closing help text of a command generated from the table: the
 * `OSML_LOAD_<FLAG>` variables, the config file and the precedence.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { settingsHelp } from "./command_options.ts";
 * assert.match(settingsHelp(), /OSML_LOAD_RUN_TIME=90s/);
 * ```
 */
export function settingsHelp(): string {
  return `
Settings: every option can also be set as an environment variable OSML_LOAD_<FLAG>
(OSML_LOAD_RUN_TIME=90s, OSML_LOAD_HEADLESS=true) or in a config file, --config FILE
or ./osml-load.conf, as Locust's locust.conf: "run-time = 90s" lines, "#" comments,
switches as "headless = true", thresholds on several lines (examples/osml-load.conf).
A flag wins over the environment, which wins over the config file, which wins over
the default; --dry-run prints each value with where it came from.`;
}

/**
 * Add the table's options of `command` to it (grouped as the table groups
 * them) and the closing settings help.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { Command } from "commander";
 * import { addTableOptions } from "./command_options.ts";
 * const capacity = addTableOptions(new Command("capacity"), "capacity");
 * assert.ok(!capacity.helpInformation().includes("--stages"));
 * ```
 */
export function addTableOptions(command: Command, name: CommandName): Command {
  for (const [, spec] of optionsOf(name)) {
    const option = new Option(flagsText(spec), optionHelp(spec, name))
      .helpGroup(`${spec.group}:`);
    if (spec.repeatable) option.argParser(collect);
    command.addOption(option);
  }
  return command.addHelpText("after", settingsHelp());
}
