/**
 * HTTP Basic authentication for the web UI (`--web-auth user:pass`): parse
 * the credentials, check a request's `Authorization` header in constant
 * time, and build the 401 answer that makes browsers ask.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { isAuthorized, parseWebAuth } from "./basic_auth.ts";
 * const creds = parseWebAuth("admin:s3cret");
 * const req = new Request("http://127.0.0.1/", {
 *   headers: { authorization: `Basic ${btoa("admin:s3cret")}` },
 * });
 * assert.equal(isAuthorized(req, creds), true);
 * ```
 * @module
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { UsageError } from "../usage_error.ts";

/** User name and password the web UI asks for. */
export interface WebCredentials {
  readonly user: string;
  readonly password: string;
}

/**
 * Parse `user:pass` (the password may contain `:`). Throws a
 * {@linkcode UsageError} that says how to write it when it is malformed.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { parseWebAuth } from "./basic_auth.ts";
 * assert.equal(parseWebAuth("ops:a:b").password, "a:b");
 * ```
 */
export function parseWebAuth(spec: string): WebCredentials {
  const colon = spec.indexOf(":");
  if (colon <= 0 || colon === spec.length - 1) {
    throw new UsageError(
      "--web-auth must be USER:PASSWORD with both parts non-empty, e.g. --web-auth admin:choose-a-long-password (or set OSML_LOAD_WEB_AUTH)",
    );
  }
  return { user: spec.slice(0, colon), password: spec.slice(colon + 1) };
}

function digest(text: string): Uint8Array {
  return createHash("sha256").update(text, "utf8").digest();
}

/**
 * Compare two strings in time that does not depend on where they differ
 * (both are hashed to 32 bytes first, so their lengths do not leak either).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { constantTimeEqual } from "./basic_auth.ts";
 * assert.equal(constantTimeEqual("a", "a"), true);
 * ```
 */
export function constantTimeEqual(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

/**
 * True when `credentials` is undefined (no auth asked for) or the request
 * carries matching Basic credentials.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { isAuthorized } from "./basic_auth.ts";
 * assert.equal(isAuthorized(new Request("http://127.0.0.1/"), { user: "a", password: "b" }), false);
 * ```
 */
export function isAuthorized(req: Request, credentials: WebCredentials | undefined): boolean {
  if (credentials === undefined) return true;
  const header = req.headers.get("authorization") ?? "";
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  let given = "";
  if (match?.[1]) {
    try {
      given = new TextDecoder().decode(Uint8Array.from(atob(match[1]), (c) => c.charCodeAt(0)));
    } catch {
      given = "";
    }
  }
  // Compare the whole `user:password` so one comparison covers both parts.
  return constantTimeEqual(given, `${credentials.user}:${credentials.password}`);
}

/**
 * The 401 answer with `WWW-Authenticate`, so a browser shows its login box.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { unauthorized } from "./basic_auth.ts";
 * assert.equal(unauthorized().status, 401);
 * ```
 */
export function unauthorized(): Response {
  return new Response("Authentication required: log in with the --web-auth user and password.\n", {
    status: 401,
    headers: {
      "www-authenticate": 'Basic realm="osml-load", charset="UTF-8"',
      "content-type": "text/plain; charset=utf-8",
      "cache-control": "no-store",
    },
  });
}
