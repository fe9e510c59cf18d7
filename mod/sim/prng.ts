/**
 * Moved to mod/sim/aws/prng.ts; this re-export keeps files that are being rewritten elsewhere compiling.
 * Delete it once nothing imports this path.
 * @module
 */
export * from "./aws/prng.ts";
