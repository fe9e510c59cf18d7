/**
 * Moved to mod/log/local_time.ts; this re-export keeps files that are being rewritten elsewhere compiling.
 * Delete it once nothing imports this path.
 * @module
 */
export * from "../log/local_time.ts";
