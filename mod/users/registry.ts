import type { UserKind } from "./user_kind.ts";
import { loadTestUser } from "./load_test_user.ts";
import { predefinedUser } from "./predefined_user.ts";
import { randomUser } from "./random_user.ts";

/**
 * Every user kind, by name. Add a kind by adding its file's export here.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { resolveUserKindName } from "./registry.ts";
 * assert.equal(resolveUserKindName("test.load.locust_user.ModelRunnerLoadTestUser"), "load-test");
 * assert.equal(resolveUserKindName("RandomRequestUser"), "random");
 * ```
 */
export const USER_KINDS: readonly UserKind[] = [loadTestUser, predefinedUser, randomUser];

/** The kind with this name or alias; throws a UsageError listing the known kinds. */
export { resolveUserKindName } from "../config/user_kind_names.ts";

/** The kind named `name` (a resolved name). */
export function userKind(name: string): UserKind {
  const kind = USER_KINDS.find((k) => k.name === name);
  if (!kind) throw new Error(`user kind ${name} is not registered`);
  return kind;
}
