import type { LoadShape } from "./load_shape.ts";

/**
 * The original suite's `TimeWindowLoadShape`, as intended
 * (docs/compatibility.md#time-window): hold the user count for the window, then stop.
 * (Upstream's shape was never loaded, and its `tick()` would have stopped the
 * run at once: docs/compatibility.md#fix-window-stops.)
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { windowShape } from "./window_shape.ts";
 * const shape = windowShape({ users: 5, spawnRate: 1, windowS: 60 });
 * assert.deepEqual(shape.tick(30), { users: 5, spawnRate: 1 });
 * assert.equal(shape.tick(60), null);
 * ```
 */
export function windowShape(
  options: { users: number; spawnRate: number; windowS: number },
): LoadShape {
  const { users, spawnRate, windowS } = options;
  return {
    name: "window",
    durationS: windowS,
    tick: (elapsedS) => (elapsedS >= windowS ? null : { users, spawnRate }),
    plan: () => [
      { atS: 0, users, note: `spawn ${users} user(s) at ${spawnRate}/s` },
      { atS: windowS, users: 0, note: "window ends: stop" },
    ],
  };
}
