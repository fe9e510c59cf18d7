/**
 * The page's calls to its server: JSON in, JSON out, and refusals as
 * {@linkcode ApiError}s that carry the server's message and, for the start
 * form, the field it is about.
 *
 * @example
 * ```ts ignore
 * import { ApiError, getJson, postJson } from "./api.ts";
 * try {
 *   await postJson("/api/validate", { runTime: "abc" });
 * } catch (error) {
 *   if (error instanceof ApiError) console.log(error.field, error.message);
 * }
 * ```
 * @module
 */
import type { ProblemBody } from "../wire.ts";

/**
 * A request the server refused (or could not answer).
 *
 * @example
 * ```ts ignore
 * import { ApiError } from "./api.ts";
 * const error = new ApiError("run time is empty", 400, "runTime");
 * ```
 */
export class ApiError extends Error {
  /** HTTP status; 0 when the server could not be reached. */
  readonly status: number;
  /** The start form's field the message is about, when the server named one. */
  readonly field: string | undefined;

  constructor(message: string, status: number, field?: string) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.field = field;
  }
}

async function answer<T>(response: Response): Promise<T> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    const problem = (body ?? {}) as Partial<ProblemBody>;
    throw new ApiError(
      problem.error ?? `${response.status} ${response.statusText}`,
      response.status,
      problem.field,
    );
  }
  return body as T;
}

/**
 * POST `body` as JSON to `path`; the parsed answer, or an {@linkcode ApiError}.
 *
 * @example
 * ```ts ignore
 * import { postJson } from "./api.ts";
 * await postJson("/api/stop", { mode: "wait" });
 * ```
 */
export async function postJson<T = unknown>(path: string, body: unknown = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  } catch (error) {
    throw new ApiError(`osml-load did not answer: ${String(error)}`, 0);
  }
  return answer<T>(response);
}

/**
 * GET `path` as JSON; the parsed answer, or an {@linkcode ApiError}.
 *
 * @example
 * ```ts ignore
 * import { getJson } from "./api.ts";
 * const config = await getJson("/api/config");
 * ```
 */
export async function getJson<T = unknown>(path: string): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path);
  } catch (error) {
    throw new ApiError(`osml-load did not answer: ${String(error)}`, 0);
  }
  return answer<T>(response);
}
