/**
 * Helpers shared by the distribution tests (`tests/dist_*.test.ts`): run
 * `deno` as a child process, read deno.json's tasks, and parse the Dockerfile.
 *
 * @example
 * ```ts ignore
 * import { ROOT, runDeno, taskPermissions } from "./dist_test_support.ts";
 * const { code, stdout } = await runDeno(["run", ...taskPermissions("run"), `${ROOT}/main.ts`, "--version"]);
 * ```
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The project root (the folder holding deno.json). */
export const ROOT: string = fileURLToPath(new URL("..", import.meta.url)).replace(/\/$/, "");

/** What a finished child process printed. */
export interface Finished {
  code: number;
  signal: Deno.Signal | null;
  stdout: string;
  stderr: string;
}

/** Options of {@linkcode runDeno} / {@linkcode spawnDeno}. */
export interface RunOptions {
  cwd?: string;
  /** Extra environment variables (on top of this process's environment). */
  env?: Record<string, string>;
}

/** The `deno` executable running these tests. */
export const DENO: string = Deno.execPath();

/**
 * Run `deno ...args` to completion and collect its output.
 *
 * @example
 * ```ts ignore
 * const { code, stdout } = await runDeno(["--version"]);
 * ```
 */
export async function runDeno(args: string[], options: RunOptions = {}): Promise<Finished> {
  const child = spawnDeno(args, options);
  return await child.finished;
}

/** A running child whose output is collected as it arrives. */
export interface Running {
  process: Deno.ChildProcess;
  /** Resolves when `pattern` has appeared on stdout or stderr (rejects if the child ends first). */
  waitFor(pattern: RegExp): Promise<void>;
  finished: Promise<Finished>;
}

/**
 * Start `deno ...args`, collecting stdout and stderr, with a way to wait for
 * a line to appear.
 *
 * @example
 * ```ts ignore
 * const child = spawnDeno(["run", "main.ts", "demo"]);
 * await child.waitFor(/Load test start time/);
 * child.process.kill("SIGTERM");
 * const { code } = await child.finished;
 * ```
 */
export function spawnDeno(args: string[], options: RunOptions = {}): Running {
  const process = new Deno.Command(DENO, {
    args,
    ...(options.cwd ? { cwd: options.cwd } : {}),
    env: { NO_COLOR: "1", ...(options.env ?? {}) },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let stdout = "";
  let stderr = "";
  const waiters: Array<{ pattern: RegExp; resolve: () => void; reject: (e: Error) => void }> = [];
  const check = () => {
    for (const waiter of [...waiters]) {
      if (waiter.pattern.test(stdout) || waiter.pattern.test(stderr)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  };
  const pump = async (stream: ReadableStream<Uint8Array>, append: (text: string) => void) => {
    for await (const text of stream.pipeThrough(new TextDecoderStream())) {
      append(text);
      check();
    }
  };
  const finished = (async () => {
    const [status] = await Promise.all([
      process.status,
      pump(process.stdout, (t) => stdout += t),
      pump(process.stderr, (t) => stderr += t),
    ]);
    for (const waiter of waiters.splice(0)) {
      waiter.reject(
        new Error(
          `deno ${
            args.join(" ")
          } ended (exit ${status.code}) before printing ${waiter.pattern}:\n` +
            stderr.slice(-3000),
        ),
      );
    }
    return { code: status.code, signal: status.signal, stdout, stderr };
  })();
  return {
    process,
    finished,
    waitFor(pattern) {
      return new Promise<void>((resolve, reject) => {
        waiters.push({ pattern, resolve, reject });
        check();
      });
    },
  };
}

/** The tasks of deno.json. */
export async function denoTasks(): Promise<Record<string, string>> {
  const config = JSON.parse(await Deno.readTextFile(join(ROOT, "deno.json")));
  return config.tasks as Record<string, string>;
}

/** deno.json's `version`. */
export async function projectVersion(): Promise<string> {
  const config = JSON.parse(await Deno.readTextFile(join(ROOT, "deno.json")));
  return String(config.version);
}

/**
 * The permission flags (`--allow-*`, `--deny-*`) of a `deno run ...` task.
 *
 * @example
 * ```ts ignore
 * await taskPermissions("demo"); // ["--allow-net=127.0.0.1,localhost", ...]
 * ```
 */
export async function taskPermissions(name: string): Promise<string[]> {
  const task = (await denoTasks())[name];
  if (!task) throw new Error(`deno.json has no task "${name}": add it (see docs/distribution.md)`);
  return task.split(/\s+/).filter((word) => /^--(allow|deny)-/.test(word));
}

/** The instructions of a Dockerfile that the tests look at. */
export interface Dockerfile {
  /** ENTRYPOINT in JSON (exec) form. */
  entrypoint: string[];
  /** CMD in JSON form, if any. */
  cmd: string[] | undefined;
  /** Every `ENV KEY=VALUE` (later ones win). */
  env: Record<string, string>;
  /** The last WORKDIR. */
  workdir: string | undefined;
  /** The base image of the last FROM. */
  from: string | undefined;
  /** Every instruction keyword with its arguments, continuation lines joined. */
  instructions: Array<{ keyword: string; args: string }>;
}

/**
 * Parse the parts of a Dockerfile the tests need. ENTRYPOINT must be in JSON
 * form (shell form would run under `/bin/sh -c`, which swallows signals).
 *
 * @example
 * ```ts ignore
 * const { entrypoint } = parseDockerfile(await Deno.readTextFile("Dockerfile"));
 * ```
 */
export function parseDockerfile(text: string): Dockerfile {
  const instructions: Array<{ keyword: string; args: string }> = [];
  let pending = "";
  for (const raw of text.split("\n")) {
    const line = raw.trimEnd();
    if (pending === "" && (line.trim() === "" || line.trimStart().startsWith("#"))) continue;
    if (pending !== "" && line.trimStart().startsWith("#")) continue;
    if (line.endsWith("\\")) {
      pending += line.slice(0, -1) + " ";
      continue;
    }
    const full = (pending + line).trim();
    pending = "";
    const match = /^([A-Za-z]+)\s+([\s\S]*)$/.exec(full);
    if (match?.[1] && match[2] !== undefined) {
      instructions.push({ keyword: match[1].toUpperCase(), args: match[2].trim() });
    }
  }
  const last = (keyword: string) => instructions.filter((i) => i.keyword === keyword).at(-1);
  const json = (keyword: string): string[] | undefined => {
    const found = last(keyword);
    if (!found) return undefined;
    const parsed: unknown = JSON.parse(found.args);
    if (!Array.isArray(parsed) || !parsed.every((x) => typeof x === "string")) {
      throw new Error(`${keyword} must be a JSON array of strings, got: ${found.args}`);
    }
    return parsed;
  };
  const entry = last("ENTRYPOINT");
  if (!entry || !entry.args.startsWith("[")) {
    throw new Error(
      `the Dockerfile needs ENTRYPOINT in JSON form, e.g. ENTRYPOINT ["deno", "run", ...]`,
    );
  }
  const env: Record<string, string> = {};
  for (const { args } of instructions.filter((i) => i.keyword === "ENV")) {
    for (const pair of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|\S*)/g)) {
      const [, key, value = ""] = pair;
      if (key) env[key] = value.startsWith('"') ? JSON.parse(value) : value;
    }
  }
  return {
    entrypoint: json("ENTRYPOINT") ?? [],
    cmd: json("CMD"),
    env,
    workdir: last("WORKDIR")?.args,
    from: last("FROM")?.args.split(/\s+/)[0],
    instructions,
  };
}
