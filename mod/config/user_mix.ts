import { UsageError } from "../usage_error.ts";

/** User kinds by weight, e.g. `[{ kind: "predefined", weight: 3 }, { kind: "random", weight: 1 }]`. */
export type UserMix = Array<{ kind: string; weight: number }>;

/**
 * The kind of the user with index `index` (0-based), spreading kinds by weight
 * the way Locust does: the first users follow the weights' proportions as
 * closely as possible, so 4 users of `a:3,b:1` are a, a, b, a ... in a
 * smooth weighted round robin.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { kindOfUser } from "./user_mix.ts";
 * const mix = [{ kind: "predefined", weight: 3 }, { kind: "random", weight: 1 }];
 * assert.deepEqual([0, 1, 2, 3].map((i) => kindOfUser(mix, i)), ["predefined", "predefined", "random", "predefined"]);
 * ```
 */
export function kindOfUser(mix: UserMix, index: number): string {
  if (mix.length === 1) return mix[0]!.kind;
  const total = mix.reduce((sum, m) => sum + m.weight, 0);
  const current = mix.map(() => 0);
  let chosen = 0;
  for (let step = 0; step <= index % total; step++) {
    let best = 0;
    for (let i = 0; i < mix.length; i++) {
      current[i]! += mix[i]!.weight;
      if (current[i]! > current[best]!) best = i;
    }
    current[best]! -= total;
    chosen = best;
  }
  return mix[chosen]!.kind;
}

/**
 * Parse `--user-class`: one name, or `name:weight,name:weight`. Names are
 * resolved by `resolve` (which maps aliases such as the original dotted class
 * names to kind names and throws for unknown ones).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { parseUserMix } from "./user_mix.ts";
 * assert.deepEqual(parseUserMix("predefined:3,random:1", (n) => n), [{kind:"predefined",weight:3},{kind:"random",weight:1}]);
 * ```
 */
export function parseUserMix(text: string, resolve: (name: string) => string): UserMix {
  const mix: UserMix = [];
  for (const part of text.split(",").map((p) => p.trim()).filter(Boolean)) {
    const match = /^(.*?)(?::(\d+))?$/.exec(part)!;
    const kind = resolve(match[1]!.trim());
    const weight = match[2] === undefined ? 1 : Number(match[2]);
    if (weight < 1) {
      throw new UsageError(`--user-class weight must be ≥ 1 in ${JSON.stringify(part)}`);
    }
    const existing = mix.find((m) => m.kind === kind);
    if (existing) existing.weight += weight;
    else mix.push({ kind, weight });
  }
  if (mix.length === 0) {
    throw new UsageError("--user-class is empty: give e.g. --user-class load-test");
  }
  return mix;
}
