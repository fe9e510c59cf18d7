/**
 * `deno task compile`: build standalone `osml-load` binaries with
 * `deno compile`, one per target, into `dist/osml-load-<target>[.exe]`.
 *
 * Each binary embeds the program, its npm packages (only those the program
 * reaches: `--exclude-unused-npm`), and every worker in `workers/` (workers are
 * not followed by `deno compile`, so each is passed with `--include`).
 * Permissions are baked in at compile time and cannot be widened when the
 * binary runs, so they are the ones every command needs: network (AWS APIs,
 * the web UI, the demo's simulator), environment (AWS settings), reading
 * (AWS config files, request files, the simulator's data), writing (outputs
 * wherever `--output`/`--html`/`--log-dir` point), and only the two system
 * calls the AWS SDK makes (`os.release()`, `os.homedir()`).
 *
 * `deno compile` downloads a runtime per target from dl.deno.land on first
 * use; the release workflow runs it on GitHub's runners.
 *
 * @example
 * ```sh
 * deno task compile                              # all five targets
 * deno task compile x86_64-unknown-linux-gnu     # one target
 * deno task compile --dry-run                    # print the commands only
 * ```
 * @module
 */
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { RUNTIME_V8_FLAGS } from "../mod/runtime_flags.ts";

/** The release targets: linux x64/arm64, macOS x64/arm64, Windows x64. */
export const TARGETS = [
  "x86_64-unknown-linux-gnu",
  "aarch64-unknown-linux-gnu",
  "x86_64-apple-darwin",
  "aarch64-apple-darwin",
  "x86_64-pc-windows-msvc",
] as const;

/** One of {@linkcode TARGETS}. */
export type Target = typeof TARGETS[number];

/**
 * The permission flags of a real run, shared by the binaries, the `run` task
 * and the container entrypoint (tests keep the three equal).
 *
 * @example
 * ```ts
 * import { RUNTIME_PERMISSIONS } from "./compile.ts";
 * RUNTIME_PERMISSIONS.includes("--allow-net"); // true
 * ```
 */
export const RUNTIME_PERMISSIONS: readonly string[] = [
  "--allow-net",
  "--allow-env",
  "--allow-read",
  "--allow-write",
  "--allow-sys=osRelease,homedir,systemMemoryInfo",
];

/**
 * The output path of a target's binary, relative to the project root.
 *
 * @example
 * ```ts
 * import { binaryName } from "./compile.ts";
 * binaryName("x86_64-pc-windows-msvc"); // "dist/osml-load-x86_64-pc-windows-msvc.exe"
 * ```
 */
export function binaryName(target: Target): string {
  return `dist/osml-load-${target}${target.includes("windows") ? ".exe" : ""}`;
}

/**
 * The `deno compile` arguments for one target, with paths relative to the
 * project root (run them there). `workers` are the worker modules to include,
 * e.g. `["workers/monitor_worker.ts", "workers/user_worker.ts"]`.
 *
 * @example
 * ```ts
 * import { compileArgs } from "./compile.ts";
 * compileArgs("aarch64-apple-darwin", ["workers/user_worker.ts"]);
 * // ["compile", "--allow-net", ..., "--include", "workers/user_worker.ts",
 * //  "--exclude-unused-npm", "--target", "aarch64-apple-darwin",
 * //  "--output", "dist/osml-load-aarch64-apple-darwin", "main.ts"]
 * ```
 */
export function compileArgs(target: Target, workers: readonly string[]): string[] {
  return [
    "compile",
    ...RUNTIME_PERMISSIONS,
    RUNTIME_V8_FLAGS,
    ...workers.flatMap((worker) => ["--include", worker]),
    "--exclude-unused-npm",
    "--target",
    target,
    "--output",
    binaryName(target),
    "main.ts",
  ];
}

/**
 * The worker entry points to `--include`: every `.ts` file in `<root>/workers`,
 * as root-relative paths, sorted.
 *
 * @example
 * ```ts ignore
 * import { workerModules } from "./compile.ts";
 * await workerModules("."); // ["workers/monitor_worker.ts", "workers/user_worker.ts"]
 * ```
 */
export async function workerModules(root: string): Promise<string[]> {
  const found: string[] = [];
  for await (const entry of Deno.readDir(join(root, "workers"))) {
    if (entry.isFile && entry.name.endsWith(".ts")) found.push(`workers/${entry.name}`);
  }
  return found.sort();
}

function isTarget(value: string): value is Target {
  return (TARGETS as readonly string[]).includes(value);
}

if (import.meta.main) {
  const root = resolve(join(dirname(fileURLToPath(import.meta.url)), ".."));
  const dryRun = Deno.args.includes("--dry-run");
  const asked = Deno.args.filter((arg) => arg !== "--dry-run");
  const unknown = asked.filter((arg) => !isTarget(arg));
  if (unknown.length > 0) {
    console.error(
      `error: unknown target ${unknown.join(", ")}: use one or more of ${TARGETS.join(", ")}`,
    );
    Deno.exit(2);
  }
  const targets: Target[] = asked.length > 0 ? asked.filter(isTarget) : [...TARGETS];
  const workers = await workerModules(root);
  if (!dryRun) await Deno.mkdir(join(root, "dist"), { recursive: true });
  for (const target of targets) {
    const args = compileArgs(target, workers);
    console.log(`deno ${args.join(" ")}`);
    if (dryRun) continue;
    const { code } = await new Deno.Command("deno", {
      args,
      cwd: root,
      stdout: "inherit",
      stderr: "inherit",
    }).output();
    if (code !== 0) {
      console.error(
        `error: deno compile for ${target} failed (exit ${code}); see the message above. ` +
          `It downloads the ${target} runtime from dl.deno.land on first use: ` +
          `run it where that host is reachable (the release workflow does).`,
      );
      Deno.exit(code);
    }
    console.log(`  -> ${relative(Deno.cwd(), join(root, binaryName(target)))}`);
  }
}
