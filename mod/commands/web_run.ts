/**
 * `osml-load run` without `--headless`: serve the web UI at
 * `--web-host`:`--web-port`, print its URL, and let the user run load tests
 * from the browser until Ctrl-C (which stops a running test cleanly, writes
 * its outputs and closes the server).
 *
 * @example
 * Not run as a test: it serves the web UI until Ctrl-C.
 * ```ts ignore
 * import { webRunCommand } from "./web_run.ts";
 * Deno.exitCode = await webRunCommand({ sourceBucket: "s3://images", resultBucket: "s3://results" });
 * ```
 * @module
 */
import { UsageError } from "../usage_error.ts";
import { resolveRunSettings, type RunFlags } from "../config/run_settings.ts";
import { resolveOptions } from "../config/resolve_options.ts";
import { Interrupt } from "../engine/interrupt.ts";
import { parseWebAuth, type WebCredentials } from "../web/basic_auth.ts";
import { isLoopbackHostname } from "../web/loopback.ts";
import { startWebServer, type WebServer } from "../web/web_server.ts";
import { WebSession } from "../web/web_session.ts";

/** Options of {@linkcode webRunCommand} (for tests and embedding). */
export interface WebRunOptions {
  /** Environment for settings fallbacks and `OSML_LOAD_WEB_AUTH` (default: the process's). */
  env?: Record<string, string | undefined>;
  /** Where the URL and notices go (default `console.error`). */
  notice?: (line: string) => void;
  /** Where the runs' log lines and console output go (default: the console). */
  log?: (line: string) => void;
  /** Stop serving when this aborts (default: Ctrl-C / SIGTERM). */
  signal?: AbortSignal;
  /** Called once the server listens. */
  onListening?: (server: WebServer) => void;
}

/**
 * The web credentials from `--web-auth`, else `OSML_LOAD_WEB_AUTH`, else none
 * (a config file's `web-auth` arrives here as a flag: see `frozenFlags`).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { resolveWebAuth } from "./web_run.ts";
 * assert.equal(resolveWebAuth({}, { OSML_LOAD_WEB_AUTH: "ops:pw" })?.user, "ops");
 * ```
 */
export function resolveWebAuth(
  flags: RunFlags,
  env: Record<string, string | undefined>,
): WebCredentials | undefined {
  const spec = resolveOptions({ command: "run", flags, env }).values.webAuth;
  return spec ? parseWebAuth(spec) : undefined;
}

/** Serve the web UI until Ctrl-C (or `signal`); returns the exit code. */
export async function webRunCommand(flags: RunFlags, options: WebRunOptions = {}): Promise<number> {
  const env = options.env ?? Deno.env.toObject();
  const notice = options.notice ?? ((line: string) => console.error(line));
  const auth = resolveWebAuth(flags, env);
  const { webHost: hostname, webPort: port, autostart, autoquitS } = resolveRunSettings(
    flags,
    env,
  );
  const session = new WebSession({
    flags,
    env,
    ...(options.log ? { write: options.log, logConsole: options.log } : {}),
  });
  let server: WebServer;
  try {
    server = startWebServer({ session, hostname, port, auth });
  } catch (error) {
    await session.close();
    if (error instanceof Deno.errors.AddrInUse) {
      throw new UsageError(
        `port ${port} on ${hostname} is in use: stop the other program or pick another port with --web-port`,
      );
    }
    // An address this machine does not have, or a name that does not resolve.
    throw new UsageError(
      `cannot serve the web UI on ${hostname}:${port} (${
        error instanceof Error ? error.message : error
      }): give --web-host an address of this machine, e.g. 127.0.0.1 or 0.0.0.0`,
    );
  }
  notice(`osml-load web UI: ${server.url}  (Ctrl-C to quit)`);
  if (!isLoopbackHostname(hostname) && auth === undefined) {
    notice(
      `WARNING: the web UI listens on ${hostname}, reachable from other machines, with no password: anyone who can reach it can start load tests that spend AWS money. Add --web-auth USER:PASSWORD (or OSML_LOAD_WEB_AUTH).`,
    );
  }
  options.onListening?.(server);

  const done = new AbortController();
  if (autostart) {
    try {
      session.start(session.form);
      notice("--autostart: the run started with the command line's settings");
    } catch (error) {
      notice(`--autostart: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  let quitTimer: ReturnType<typeof setTimeout> | undefined;
  if (autoquitS !== undefined && !autostart) {
    notice("--autoquit only works with --autostart (as in Locust): ignored");
  } else if (autoquitS !== undefined && session.state !== "idle") {
    // Quit N seconds after the started run ends (Locust's --autoquit).
    void session.settled().then(() => {
      if (done.signal.aborted) return;
      notice(`--autoquit: the run ended, quitting in ${autoquitS} s`);
      quitTimer = setTimeout(() => done.abort(), autoquitS * 1000);
    });
  }

  const interrupt = options.signal ? undefined : Interrupt.listen((signal) => {
    notice(
      `${signal} received: stopping the web UI${session.state === "running" ? " and the run" : ""}`,
    );
    done.abort();
  });
  options.signal?.addEventListener("abort", () => done.abort(), { once: true });
  if (options.signal?.aborted) done.abort();
  try {
    await new Promise<void>((resolve) => {
      if (done.signal.aborted) resolve();
      else done.signal.addEventListener("abort", () => resolve(), { once: true });
    });
    const code = await session.close();
    await server.close();
    return code;
  } finally {
    clearTimeout(quitTimer);
    interrupt?.dispose();
  }
}
