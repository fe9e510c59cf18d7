/**
 * The web UI's HTTP server (`Deno.serve`): the page and its assets (uPlot
 * included, so it works with no internet), the live feed, the controls and
 * the downloads, behind optional HTTP Basic auth.
 *
 * Routes: `GET /`, `GET /assets/<file>`, `GET /api/config`,
 * `GET /api/snapshot`, `GET /api/stream` (server-sent events),
 * `GET /api/jobs?status=&sort=&dir=&limit=`, `GET /api/logs?lines=`,
 * `POST /api/validate` (the start form, checked with the CLI's rules),
 * `POST /api/start`, `POST /api/users`, `POST /api/stop` (`{"mode": "wait"}`
 * or `{"mode": "now"}`), `POST /api/reset`, `GET /api/download/<name>`.
 *
 * Refused answers are JSON `{"error": "...", "field": "..."}`; `field` names
 * the start form's field an error is about.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { WebSession } from "./web_session.ts";
 * import { startWebServer } from "./web_server.ts";
 * const session = new WebSession({ flags: { sourceBucket: "s3://images", resultBucket: "s3://results" }, env: {} });
 * const server = startWebServer({ session, hostname: "127.0.0.1", port: 0 });
 * const page = await fetch(server.url);
 * assert.equal(page.headers.get("content-type"), "text/html; charset=utf-8");
 * assert.ok((await page.text()).startsWith("<!doctype html>"));
 * await server.close();
 * ```
 * @module
 */
import { UsageError } from "../usage_error.ts";
import { isAuthorized, unauthorized, type WebCredentials } from "./basic_auth.ts";
import { DOWNLOAD_NAMES, isDownloadName } from "./downloads.ts";
import { jobQueryFromParams } from "./job_rows.ts";
import { FORM_FIELDS } from "./form_fields.ts";
import { hostOfHeader, isLoopbackHostname } from "./loopback.ts";
import { PAGE_ASSETS, PAGE_HTML } from "./page_assets.ts";
import { fieldOfError } from "./start_form.ts";
import type { ConfigBody, ProblemBody } from "../frontend/wire.ts";
import type { WebSession } from "./web_session.ts";

/** Options of {@linkcode startWebServer}. */
export interface WebServerOptions {
  session: WebSession;
  /** Address to bind (`127.0.0.1` by default in the CLI). */
  hostname: string;
  /** TCP port; 0 picks a free one. */
  port: number;
  /** HTTP Basic credentials every route asks for, when set. */
  auth?: WebCredentials | undefined;
}

/** A running web UI server. */
export interface WebServer {
  /** `http://HOST:PORT/` as a browser reaches it. */
  readonly url: string;
  readonly port: number;
  /** Close the session (stop any run, end the event streams), then stop the server. */
  close(): Promise<void>;
}

const SECURITY_HEADERS: Record<string, string> = {
  "content-security-policy":
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
};

function json(data: unknown, status = 200): Response {
  return new Response(JSON.stringify(data), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" },
  });
}

function problem(message: string, status: number, field?: string): Response {
  const body: ProblemBody = { error: message, ...(field !== undefined ? { field } : {}) };
  return json(body, status);
}

/**
 * Refuse requests a foreign web page could make through the user's browser:
 * a loopback server only answers loopback Host names (DNS rebinding), and
 * state-changing requests must be same-origin JSON (cross-site forms cannot
 * send `application/json` without a CORS preflight, which this server never
 * grants).
 */
function refuseForeign(req: Request, url: URL, bound: string): Response | undefined {
  const host = req.headers.get("host") ?? "";
  if (isLoopbackHostname(bound) && !isLoopbackHostname(hostOfHeader(host))) {
    return new Response(
      `Host "${host}" is not this machine: open the UI at http://127.0.0.1:${url.port}/\n`,
      { status: 421 },
    );
  }
  if (req.method === "POST") {
    const origin = req.headers.get("origin");
    if (origin !== null && origin !== "null") {
      let originHost = "";
      try {
        originHost = new URL(origin).host;
      } catch {
        originHost = "";
      }
      if (originHost !== host) {
        return problem(`cross-origin request from ${origin} refused: use the page itself`, 403);
      }
    }
    const type = req.headers.get("content-type") ?? "";
    if (!type.toLowerCase().startsWith("application/json")) {
      return problem("send the request body as application/json", 415);
    }
  }
  return undefined;
}

async function readJson(req: Request): Promise<Record<string, unknown>> {
  const text = await req.text();
  if (text.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError('the request body is not valid JSON: send an object such as {"users": 5}');
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new UsageError('the request body must be a JSON object such as {"users": 5}');
  }
  return value as Record<string, unknown>;
}

function numberField(body: Record<string, unknown>, key: string, label: string): number {
  const raw = body[key];
  const value = typeof raw === "string" && raw.trim() !== "" ? Number(raw) : raw;
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new UsageError(`${label} must be a number (got ${JSON.stringify(raw) ?? "nothing"})`);
  }
  return value;
}

async function route(req: Request, url: URL, session: WebSession): Promise<Response> {
  const path = url.pathname;
  if (req.method === "GET" || req.method === "HEAD") {
    if (path === "/" || path === "/index.html") {
      return new Response(PAGE_HTML, {
        headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
      });
    }
    if (path.startsWith("/assets/")) {
      const asset = PAGE_ASSETS[path.slice("/assets/".length)];
      if (!asset) return new Response("no such asset\n", { status: 404 });
      return new Response(asset.body, {
        headers: { "content-type": asset.type, "cache-control": "no-cache" },
      });
    }
    if (path === "/api/config") {
      const body: ConfigBody = {
        fields: [...FORM_FIELDS],
        form: session.form,
        state: session.state,
      };
      return json(body);
    }
    if (path === "/api/snapshot") return json(session.snapshot(0));
    if (path === "/api/stream") return session.subscribe();
    if (path === "/api/jobs") return json(await session.jobs(jobQueryFromParams(url.searchParams)));
    if (path === "/api/logs") {
      const lines = Number(url.searchParams.get("lines"));
      return json(await session.logs(Number.isInteger(lines) && lines > 0 ? lines : undefined));
    }
    if (path.startsWith("/api/download/")) {
      const name = decodeURIComponent(path.slice("/api/download/".length));
      if (!isDownloadName(name)) {
        return new Response(`unknown download: use one of ${DOWNLOAD_NAMES.join(", ")}\n`, {
          status: 404,
        });
      }
      return await session.download(name);
    }
    if (path === "/favicon.ico") return new Response(null, { status: 204 });
    return new Response("not found\n", { status: 404 });
  }
  if (req.method === "POST") {
    const body = await readJson(req);
    switch (path) {
      case "/api/validate":
        session.validate(body);
        return json({ ok: true });
      case "/api/start":
        return json({ runId: session.start(body), state: session.state });
      case "/api/users":
        session.setUsers(
          numberField(body, "users", "users"),
          numberField(body, "spawnRate", "spawn rate"),
        );
        return json({ ok: true });
      case "/api/stop": {
        const mode = body.mode ?? "now";
        if (mode !== "wait" && mode !== "now") {
          throw new UsageError(
            `stop mode ${
              JSON.stringify(mode)
            } is unknown: send {"mode": "wait"} or {"mode": "now"}`,
          );
        }
        session.stop(mode);
        return json({ ok: true, state: session.state });
      }
      case "/api/reset":
        session.resetStats();
        return json({ ok: true });
    }
    return problem(`no such action ${path}`, 404);
  }
  return new Response("method not allowed\n", { status: 405, headers: { allow: "GET, POST" } });
}

/**
 * Start serving the web UI. The returned server's `close` closes the session
 * (a run is stopped and writes its outputs), then waits for the server to stop.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { WebSession } from "./web_session.ts";
 * import { startWebServer } from "./web_server.ts";
 * const session = new WebSession({ flags: { sourceBucket: "s3://images", resultBucket: "s3://results" }, env: {} });
 * const server = startWebServer({ session, hostname: "127.0.0.1", port: 0 });
 * assert.equal(server.url, `http://127.0.0.1:${server.port}/`);
 * const missing = await fetch(new URL("/no/such/page", server.url));
 * assert.equal(missing.status, 404);
 * await missing.body?.cancel();
 * await server.close();
 * ```
 */
export function startWebServer(options: WebServerOptions): WebServer {
  const { session, auth } = options;
  const server = Deno.serve(
    { hostname: options.hostname, port: options.port, onListen: () => {} },
    async (req) => {
      let url: URL;
      try {
        url = new URL(req.url);
      } catch {
        return new Response(
          "malformed Host header: open the UI at the address osml-load printed\n",
          {
            status: 400,
            headers: SECURITY_HEADERS,
          },
        );
      }
      let response: Response;
      if (!isAuthorized(req, auth)) response = unauthorized();
      else {
        response = refuseForeign(req, url, options.hostname) ?? await (async () => {
          try {
            return await route(req, url, session);
          } catch (error) {
            if (error instanceof UsageError) {
              return problem(error.message, 400, fieldOfError(error));
            }
            const message = error instanceof Error ? error.message : String(error);
            return problem(`internal error: ${message}`, 500);
          }
        })();
      }
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
        if (!response.headers.has(name)) response.headers.set(name, value);
      }
      return response;
    },
  );
  const port = server.addr.port;
  const shown = options.hostname === "0.0.0.0" || options.hostname === "::"
    ? "127.0.0.1"
    : options.hostname.includes(":")
    ? `[${options.hostname}]`
    : options.hostname;
  return {
    url: `http://${shown}:${port}/`,
    port,
    async close() {
      await session.close();
      await server.shutdown();
    },
  };
}
