/**
 * The container entrypoint, tested without Docker: parse the Dockerfile and
 * run its exact ENTRYPOINT command line (with /app mapped to this checkout,
 * the Dockerfile's ENV applied, and a fresh folder standing in for WORKDIR
 * /out) against the simulator, so the image and the program cannot drift.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { RUNTIME_PERMISSIONS } from "../scripts/compile.ts";
import {
  type Dockerfile,
  parseDockerfile,
  projectVersion,
  ROOT,
  runDeno,
  spawnDeno,
  taskPermissions,
} from "./dist_test_support.ts";

async function dockerfile(): Promise<Dockerfile> {
  return parseDockerfile(await Deno.readTextFile(join(ROOT, "Dockerfile")));
}

/** The ENTRYPOINT as it would run here: `deno` dropped (runDeno adds it), /app -> ROOT. */
async function entrypointArgs(): Promise<string[]> {
  const [program, ...args] = (await dockerfile()).entrypoint;
  assert.equal(program, "deno", "the ENTRYPOINT runs deno directly (exec form, no shell)");
  return args.map((arg) => arg.replace(/(^|=)\/app(?=\/|$)/, `$1${ROOT}`));
}

/** The Dockerfile's ENV, minus anything that would point this machine's deno elsewhere. */
async function containerEnv(): Promise<Record<string, string>> {
  const { DENO_DIR: _ignored, ...env } = (await dockerfile()).env;
  return env;
}

Deno.test("the Dockerfile is pinned to the project's Deno and runs as a non-root user", async () => {
  const file = await dockerfile();
  const ciRun = await Deno.readTextFile(join(ROOT, ".ci", "run"));
  const pinned = /DENO_VERSION=(\d+\.\d+\.\d+)/.exec(ciRun)?.[1];
  assert.ok(pinned, ".ci/run pins DENO_VERSION");
  assert.equal(file.from, `denoland/deno:${pinned}`);
  const users = file.instructions.filter((i) => i.keyword === "USER").map((i) => i.args);
  assert.equal(users.at(-1), "deno", "the last USER is the image's non-root deno user");
  assert.equal(file.workdir, "/out");
  assert.ok(file.instructions.some((i) => i.keyword === "VOLUME" && i.args.includes("/out")));
  const cache = file.instructions.find((i) => i.keyword === "RUN" && /\bdeno cache\b/.test(i.args));
  assert.ok(cache, "dependencies are cached at build time");
  // `deno cache` does not follow new Worker(...): every worker must be named, or the
  // container (which runs with --cached-only) could miss a worker-only dependency.
  for await (const entry of Deno.readDir(join(ROOT, "workers"))) {
    if (!entry.name.endsWith(".ts")) continue;
    assert.ok(
      cache.args.includes(`workers/${entry.name}`),
      `RUN deno cache lists workers/${entry.name}`,
    );
  }
  assert.equal(file.env.OSML_LOAD_WEB_HOST, "0.0.0.0", "the web UI listens on every interface");
});

Deno.test("the ENTRYPOINT, the run task and the compiled binaries grant the same permissions", async () => {
  const entry = (await dockerfile()).entrypoint;
  const fromEntrypoint = entry.filter((arg) => /^--(allow|deny)-/.test(arg));
  assert.deepEqual(fromEntrypoint, [...RUNTIME_PERMISSIONS]);
  assert.deepEqual(await taskPermissions("run"), [...RUNTIME_PERMISSIONS]);
  assert.ok(!entry.includes("-A") && !entry.includes("--allow-all"), "never -A");
  assert.equal(entry.at(-1), "/app/main.ts", "user arguments follow the program directly");
});

Deno.test("the ENTRYPOINT prints deno.json's version", async () => {
  const cwd = await Deno.makeTempDir({ prefix: "osml-load-out-" });
  try {
    const result = await runDeno([...await entrypointArgs(), "--version"], {
      cwd,
      env: await containerEnv(),
    });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.trim(), await projectVersion());
  } finally {
    await Deno.remove(cwd, { recursive: true });
  }
});

Deno.test("the ENTRYPOINT runs the demo against the simulator and writes into its working folder", async () => {
  const cwd = await Deno.makeTempDir({ prefix: "osml-load-out-" });
  try {
    const result = await runDeno(
      [...await entrypointArgs(), "demo", "--run-time", "5s", "--completion-timeout", "30s"],
      { cwd, env: await containerEnv() },
    );
    assert.equal(result.code, 0, `demo failed:\n${result.stderr.slice(-3000)}`);
    assert.match(result.stdout, /Demo finished/);
    const summary = JSON.parse(
      await Deno.readTextFile(join(cwd, "demo-output", "job_summary.json")),
    );
    assert.ok(summary.total_image_sent > 0, "the demo submitted jobs");
  } finally {
    await Deno.remove(cwd, { recursive: true });
  }
});

Deno.test("SIGTERM (how ECS stops a task) ends a run cleanly with exit 130 and its outputs written", async () => {
  const cwd = await Deno.makeTempDir({ prefix: "osml-load-out-" });
  try {
    const child = spawnDeno(
      [...await entrypointArgs(), "demo", "--run-time", "10m", "--completion-timeout", "30s"],
      { cwd, env: await containerEnv() },
    );
    try {
      await child.waitFor(/Load test start time/);
    } finally {
      try {
        child.process.kill("SIGTERM");
      } catch { /* already ended: the waitFor rejection says why */ }
    }
    const result = await child.finished;
    assert.equal(
      result.code,
      130,
      `expected exit 130 after SIGTERM:\n${result.stderr.slice(-3000)}`,
    );
    await Deno.stat(join(cwd, "demo-output", "job_summary.json"));
  } finally {
    await Deno.remove(cwd, { recursive: true });
  }
});

Deno.test("in the container the web UI binds 0.0.0.0: `run` reads OSML_LOAD_WEB_HOST", async () => {
  const { buildProgram } = await import("../mod/commands/program.ts");
  const { resolveOptions } = await import("../mod/config/resolve_options.ts");
  const { OSML_LOAD_WEB_HOST } = (await dockerfile()).env;
  // `demo` and `capacity` are headless: they have no web UI and no --web-host.
  const command = buildProgram().commands.find((c) => c.name() === "run");
  assert.ok(command, "osml-load has a run command");
  assert.ok(command.options.some((o) => o.long === "--web-host"), "run has --web-host");
  const resolved = resolveOptions({ command: "run", flags: {}, env: { OSML_LOAD_WEB_HOST } });
  assert.equal(
    resolved.values.webHost,
    OSML_LOAD_WEB_HOST,
    `the Dockerfile sets OSML_LOAD_WEB_HOST=${OSML_LOAD_WEB_HOST} but run --web-host ignores it: ` +
      "the option table (mod/config/options.ts) must read it",
  );
});
