/**
 * The names `--user-class` accepts: each user kind's name and the upstream class names that
 * select it. The user kinds (mod/users/) take their names from here, so the option parser can
 * check a mix without loading the users.
 *
 * @example
 * ```ts
 * import { resolveUserKindName } from "./user_kind_names.ts";
 * if (resolveUserKindName("test.load.locust_user.ModelRunnerLoadTestUser") !== "load-test") {
 *   throw new Error("upstream class names select the kind");
 * }
 * if (resolveUserKindName("RandomRequestUser") !== "random") throw new Error("alias");
 * ```
 * @module
 */
import { UsageError } from "../usage_error.ts";

/** One user kind's name and aliases. */
export interface UserKindName {
  readonly name: string;
  readonly aliases: readonly string[];
}

/** Every user kind's name, in `--help` order. Add a kind here and in mod/users/registry.ts. */
export const USER_KIND_NAMES = {
  loadTest: {
    name: "load-test",
    aliases: [
      "ModelRunnerLoadTestUser",
      "test.load.locust_user.ModelRunnerLoadTestUser",
    ],
  },
  predefined: {
    name: "predefined",
    aliases: [
      "PredefinedRequestsUser",
      "test.load.predefined_requests_user.PredefinedRequestsUser",
    ],
  },
  random: {
    name: "random",
    aliases: [
      "RandomRequestUser",
      "test.load.random_requests_user.RandomRequestUser",
    ],
  },
} as const satisfies Record<string, UserKindName>;

const ALL: readonly UserKindName[] = Object.values(USER_KIND_NAMES);

/** The kind with this name or alias; throws a UsageError listing the known kinds. */
export function resolveUserKindName(name: string): string {
  const kind = ALL.find((k) => k.name === name || k.aliases.includes(name));
  if (!kind) {
    throw new UsageError(
      `unknown user class ${JSON.stringify(name)}: use one of ${
        ALL.map((k) => k.name).join(", ")
      } (or name:weight,name:weight)`,
    );
  }
  return kind.name;
}
