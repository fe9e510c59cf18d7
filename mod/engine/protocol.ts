/**
 * Moved: the worker messages to ./worker_messages.ts, the job registration and status event
 * types to mod/model/. This re-export keeps files that are being rewritten elsewhere compiling;
 * delete it once nothing imports this path.
 * @module
 */
export type { JobRegistration } from "../model/job_registration.ts";
export type { StatusEvent } from "../model/status_event.ts";
