/**
 * The page's calls to its server: JSON in, JSON out, and refusals as
 * {@linkcode ApiError}s that carry the server's message and, for the start
 * form, the field it is about.
 *
 * @example
 * ```ts
 * /// <reference lib="deno.ns" />
 * import { strict as assert } from "node:assert";
 * import { ApiError, postJson } from "./api.ts";
 * // A server that refuses as osml-load's does (the page calls its own server with "/api/...").
 * const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, () =>
 *   Response.json({ error: "bad --run-time \"abc\"", field: "runTime" }, { status: 400 }));
 * const url = `http://127.0.0.1:${server.addr.port}/api/validate`;
 * await assert.rejects(postJson(url, { runTime: "abc" }), (error) => {
 *   assert.ok(error instanceof ApiError);
 *   assert.equal(error.field, "runTime");
 *   assert.equal(error.message, 'bad --run-time "abc"');
 *   return true;
 * });
 * await server.shutdown();
 * ```
 * @module
 */
import type { ProblemBody } from "../wire.ts";

/**
 * A request the server refused (or could not answer).
 *
 * @example
 * ```ts
 * /// <reference lib="deno.ns" />
 * import { strict as assert } from "node:assert";
 * import { ApiError } from "./api.ts";
 * const error = new ApiError("run time is empty", 400, "runTime");
 * assert.equal(error.name, "ApiError");
 * assert.equal(error.field, "runTime");
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
 * ```ts
 * /// <reference lib="deno.ns" />
 * import { strict as assert } from "node:assert";
 * import { postJson } from "./api.ts";
 * const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) =>
 *   Response.json({ got: await req.json() }));
 * const answer = await postJson(`http://127.0.0.1:${server.addr.port}/api/stop`, { mode: "wait" });
 * assert.deepEqual(answer, { got: { mode: "wait" } });
 * await server.shutdown();
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
 * ```ts
 * /// <reference lib="deno.ns" />
 * import { strict as assert } from "node:assert";
 * import { ApiError, getJson } from "./api.ts";
 * // Nothing listens on port 9 of 127.0.0.1: the page's server did not answer.
 * await assert.rejects(getJson("http://127.0.0.1:9/api/config"), (error) => {
 *   assert.ok(error instanceof ApiError);
 *   assert.equal(error.status, 0);
 *   return true;
 * });
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
