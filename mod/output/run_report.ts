/**
 * Moved to mod/model/run_report.ts; this re-export keeps files that are being rewritten elsewhere compiling.
 * Delete it once nothing imports this path.
 * @module
 */
export * from "../model/run_report.ts";
