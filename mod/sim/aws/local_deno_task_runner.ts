/**
 * A {@linkcode TaskRunner} that runs each simulated ECS task as a local Deno
 * process: `deno run --no-prompt <permissions> <mainTs> <command...>`, the
 * way the container's entrypoint runs `main.ts` with the task's command.
 *
 * The process gets a clean environment, as a container does: a few variables
 * of this process that Deno itself needs (`PATH`, `HOME`, `DENO_DIR`, ...;
 * see `passEnv`), then the task's environment (task definition, then RunTask
 * overrides), then the simulator's AWS settings (endpoint, region, test
 * credentials), then `env`. Output goes to this process's stdout/stderr, or
 * with `logDir` to `<logDir>/<taskId>.log` (as CloudWatch Logs would keep it).
 * Needs `--allow-run` for the Deno executable.
 *
 * @example
 * ```ts
 * import { localDenoTaskRunner } from "./local_deno_task_runner.ts";
 * import { startSimulator } from "../simulator.ts";
 * const sim = await startSimulator({
 *   port: 0,
 *   taskRunner: localDenoTaskRunner({
 *     mainTs: new URL("../../../main.ts", import.meta.url),
 *     permissions: ["--allow-net", "--allow-env", "--allow-read", "--allow-write", "--allow-sys"],
 *   }),
 * });
 * await sim.close(); // stops every task still running
 * ```
 * @module
 */
import { fileURLToPath } from "node:url";
import type { LocalTask, LocalTaskExit, TaskRunner, TaskSpec } from "./ecs_tasks.ts";

/** Options of {@linkcode localDenoTaskRunner}. */
export interface LocalDenoTaskRunnerOptions {
  /** The script each task runs (a path or a `file:` URL), e.g. the project's `main.ts`. */
  mainTs: string | URL;
  /** Deno flags before the script (default: net, env, read, write and sys allowed). */
  permissions?: readonly string[];
  /** Extra environment for every task (wins over everything else). */
  env?: Record<string, string>;
  /** Variables of this process passed through when set (default {@linkcode DEFAULT_PASS_ENV}). */
  passEnv?: readonly string[];
  /** Working directory of the tasks (default this process's). */
  cwd?: string;
  /** Write each task's stdout and stderr to `<logDir>/<taskId>.log` instead of inheriting them. */
  logDir?: string;
  /** The Deno executable (default `Deno.execPath()`). */
  denoPath?: string;
}

/**
 * The variables a task inherits from this process, when set: what Deno needs
 * to find itself, its cache and the npm registry.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { DEFAULT_PASS_ENV } from "./local_deno_task_runner.ts";
 * assert.equal(DEFAULT_PASS_ENV.includes("DENO_DIR"), true);
 * ```
 */
export const DEFAULT_PASS_ENV: readonly string[] = [
  "PATH",
  "HOME",
  "DENO_DIR",
  "XDG_CACHE_HOME",
  "TMPDIR",
  "TMP",
  "TEMP",
  "NPM_CONFIG_REGISTRY",
  "DENO_CERT",
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "NO_PROXY",
  "http_proxy",
  "https_proxy",
  "no_proxy",
  "SystemRoot",
  "USERPROFILE",
  "LOCALAPPDATA",
];

const DEFAULT_PERMISSIONS = [
  "--allow-net",
  "--allow-env",
  "--allow-read",
  "--allow-write",
  "--allow-sys",
];

/**
 * The environment a task's process gets (see the module doc for the order).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { taskEnvironment } from "./local_deno_task_runner.ts";
 * const env = taskEnvironment(
 *   { environment: { A: "1", AWS_REGION: "eu-west-1" }, simulatorEnv: { AWS_REGION: "us-west-2" } },
 *   { passEnv: [] },
 * );
 * assert.equal(env.AWS_REGION, "us-west-2");
 * ```
 */
export function taskEnvironment(
  spec: Pick<TaskSpec, "environment" | "simulatorEnv">,
  options: Pick<LocalDenoTaskRunnerOptions, "env" | "passEnv">,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of options.passEnv ?? DEFAULT_PASS_ENV) {
    const value = Deno.env.get(name);
    if (value !== undefined) env[name] = value;
  }
  return { ...env, ...spec.environment, ...spec.simulatorEnv, ...options.env };
}

/**
 * A task runner that starts each task as `deno run <permissions> <mainTs> <command...>`.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { localDenoTaskRunner } from "./local_deno_task_runner.ts";
 * // A task whose "container" prints its command's argument and exits with code 3.
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/task.ts`, "console.log(`hello from ${Deno.args[0]}`); Deno.exit(3);");
 * const runner = localDenoTaskRunner({ mainTs: `${dir}/task.ts`, permissions: [], logDir: dir });
 * const taskId = "0123456789abcdef0123456789abcdef";
 * const task = await runner({
 *   taskArn: `arn:aws:ecs:us-west-2:123456789012:task/osml-load/${taskId}`, taskId,
 *   clusterArn: "arn:aws:ecs:us-west-2:123456789012:cluster/osml-load",
 *   taskDefinitionArn: "arn:aws:ecs:us-west-2:123456789012:task-definition/osml-load:1",
 *   family: "osml-load", containerName: "osml-load", command: ["gen-0"], environment: {},
 *   simulatorEnv: {}, stopTimeoutSeconds: 5, group: "family:osml-load",
 * });
 * assert.deepEqual(await task.exited, { exitCode: 3, signal: null });
 * assert.equal(await Deno.readTextFile(`${dir}/${taskId}.log`), "hello from gen-0\n");
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export function localDenoTaskRunner(options: LocalDenoTaskRunnerOptions): TaskRunner {
  const script = options.mainTs instanceof URL
    ? (options.mainTs.protocol === "file:" ? fileURLToPath(options.mainTs) : options.mainTs.href)
    : options.mainTs;
  const flags = [...(options.permissions ?? DEFAULT_PERMISSIONS)];
  return async (spec: TaskSpec): Promise<LocalTask> => {
    const args = ["run", "--no-prompt", ...flags, script, ...spec.command];
    let log: Deno.FsFile | undefined;
    if (options.logDir !== undefined) {
      await Deno.mkdir(options.logDir, { recursive: true });
      log = await Deno.open(`${options.logDir}/${spec.taskId}.log`, {
        create: true,
        append: true,
      });
    }
    let child: Deno.ChildProcess;
    try {
      child = new Deno.Command(options.denoPath ?? Deno.execPath(), {
        args,
        ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
        env: taskEnvironment(spec, options),
        clearEnv: true,
        stdin: "null",
        stdout: log ? "piped" : "inherit",
        stderr: log ? "piped" : "inherit",
      }).spawn();
    } catch (e) {
      log?.close();
      throw new Error(
        `could not start ${options.denoPath ?? Deno.execPath()} ${args.join(" ")}: ${
          e instanceof Error ? e.message : String(e)
        }`,
      );
    }
    const pumps: Promise<void>[] = [];
    if (log) {
      const file = log;
      const pump = async (stream: ReadableStream<Uint8Array>) => {
        for await (const chunk of stream) {
          let written = 0;
          while (written < chunk.length) written += await file.write(chunk.subarray(written));
        }
      };
      pumps.push(pump(child.stdout), pump(child.stderr));
    }
    const exited: Promise<LocalTaskExit> = (async () => {
      const status = await child.status;
      await Promise.allSettled(pumps);
      log?.close();
      return { exitCode: status.code, signal: status.signal };
    })();
    return {
      pid: child.pid,
      exited,
      kill(signal) {
        child.kill(signal);
      },
    };
  };
}
