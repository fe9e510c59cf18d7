/**
 * Test support for how runs end: an endpoint that accepts connections and
 * never answers, the tool run as a child process (as a person runs it), and a
 * deadline that catches hangs.
 * @module
 */
import { fileURLToPath } from "node:url";
import type { Simulator } from "../mod/sim/simulator.ts";

/** The repository root. */
export const ROOT = fileURLToPath(new URL("..", import.meta.url));
/** `main.ts`. */
export const MAIN = fileURLToPath(new URL("../main.ts", import.meta.url));
/** The permissions of `deno task run`. */
export const RUN_PERMISSIONS = [
  "--no-prompt",
  "--allow-net",
  "--allow-env",
  "--allow-read",
  "--allow-write",
  "--allow-sys=osRelease,homedir,systemMemoryInfo",
];

/** A TCP listener on 127.0.0.1 that accepts every connection and never answers. */
export function silentListener(): { url: string; close(): Promise<void> } {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const conns: Deno.Conn[] = [];
  const accepting = (async () => {
    try {
      for await (const conn of listener) conns.push(conn);
    } catch {
      // closed
    }
  })();
  return {
    url: `http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}`,
    async close() {
      listener.close();
      for (const conn of conns) {
        try {
          conn.close();
        } catch {
          // already closed
        }
      }
      await accepting;
    },
  };
}

/** What a finished child process left. */
export interface ChildResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A running `osml-load` child process. */
export interface Child {
  process: Deno.ChildProcess;
  /** Resolves when it exits; rejects when it outlives `deadlineMs` (it is then killed). */
  done: Promise<ChildResult>;
  /** Everything it printed so far (stdout and stderr). */
  printed(): string;
}

/**
 * Start `deno run <permissions> main.ts <args>` with `env` added to this process's environment
 * (in the folder `cwd`, default this process's); a hang past `deadlineMs` fails.
 */
export function startTool(
  args: string[],
  env: Record<string, string>,
  deadlineMs = 120_000,
  permissions: string[] = RUN_PERMISSIONS,
  cwd?: string,
): Child {
  const process = new Deno.Command(Deno.execPath(), {
    args: ["run", ...permissions, MAIN, ...args],
    env: { NO_COLOR: "1", ...env },
    ...(cwd ? { cwd } : {}),
    stdout: "piped",
    stderr: "piped",
    stdin: "null",
  }).spawn();
  let out = "";
  let err = "";
  const read = async (stream: ReadableStream<Uint8Array>, add: (text: string) => void) => {
    const decoder = new TextDecoder();
    for await (const chunk of stream) add(decoder.decode(chunk, { stream: true }));
  };
  const reading = Promise.all([
    read(process.stdout, (t) => (out += t)),
    read(process.stderr, (t) => (err += t)),
  ]);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      try {
        process.kill("SIGKILL");
      } catch {
        // gone
      }
      reject(new Error(`the tool did not exit within ${deadlineMs} ms:\n${err.slice(-3000)}`));
    }, deadlineMs);
  });
  const done = Promise.race([
    (async () => {
      const status = await process.status;
      await reading;
      return { code: status.code, stdout: out, stderr: err };
    })(),
    hang,
  ]).finally(() => clearTimeout(timer));
  return { process, done, printed: () => out + err };
}

/** Wait until `test()` holds (checked every 100 ms), failing after `timeoutMs`. */
export async function until(
  test: () => boolean | Promise<boolean>,
  label: string,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${label}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** True when `path` exists. */
export async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Flags of a headless run against the seeded simulator: 3 users started at once, short waits,
 * job files every second in `DIR/logs`; `extra` adds or sets more.
 */
export function simRunArgs(sim: Simulator, dir: string, extra: string[] = []): string[] {
  return [
    "run",
    "--headless",
    "--source-bucket",
    `s3://osml-test-images-${sim.account}`,
    "--result-bucket",
    `s3://mr-bucket-sink-${sim.account}`,
    "--users",
    "3",
    "--spawn-rate",
    "30",
    "--wait-min",
    "0.1",
    "--wait-max",
    "0.2",
    "--stats-interval",
    "1",
    "--log-dir",
    `${dir}/logs`,
    ...extra,
  ];
}
