/**
 * Moved to mod/model/job_record.ts; this re-export keeps files that are being rewritten elsewhere compiling.
 * Delete it once nothing imports this path.
 * @module
 */
export * from "../model/job_record.ts";
export { formatStartTime } from "../log/local_time.ts";
