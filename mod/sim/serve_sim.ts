/**
 * Moved to mod/commands/sim.ts; this re-export keeps files that are being rewritten elsewhere compiling.
 * Delete it once nothing imports this path.
 * @module
 */
export * from "../commands/sim.ts";
