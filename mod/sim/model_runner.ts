/**
 * Moved to mod/sim/model_runner/model_runner.ts; this re-export keeps scripts/sim_server.ts of the
 * longrun branch compiling. Delete it once nothing imports this path.
 * @module
 */
export * from "./model_runner/model_runner.ts";
