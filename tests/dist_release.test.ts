/**
 * `deno task compile` and the release workflow, checked by reading (neither
 * can run here: `deno compile` downloads its runtimes from dl.deno.land).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { binaryName, compileArgs, RUNTIME_PERMISSIONS, TARGETS } from "../scripts/compile.ts";
import { RUNTIME_V8_FLAGS } from "../mod/runtime_flags.ts";
import { denoTasks, ROOT, runDeno } from "./dist_test_support.ts";

/** The workers the program starts, from its `new Worker(new URL(...))` calls. */
async function startedWorkers(): Promise<string[]> {
  const found = new Set<string>();
  for (const file of ["mod/engine/user_pool.ts", "mod/engine/status_monitor.ts"]) {
    const code = await Deno.readTextFile(join(ROOT, file));
    for (const [, name] of code.matchAll(/new URL\(\s*["'][./]*workers\/(\w+)\.ts["']/g)) {
      found.add(`workers/${name}.ts`);
    }
  }
  return [...found].sort();
}

Deno.test("compileArgs builds one binary per target with every worker included", () => {
  const args = compileArgs("x86_64-pc-windows-msvc", ["workers/a.ts", "workers/b.ts"]);
  assert.deepEqual(args, [
    "compile",
    ...RUNTIME_PERMISSIONS,
    RUNTIME_V8_FLAGS,
    "--include",
    "workers/a.ts",
    "--include",
    "workers/b.ts",
    "--exclude-unused-npm",
    "--target",
    "x86_64-pc-windows-msvc",
    "--output",
    "dist/osml-load-x86_64-pc-windows-msvc.exe",
    "main.ts",
  ]);
  assert.equal(binaryName("aarch64-apple-darwin"), "dist/osml-load-aarch64-apple-darwin");
  assert.ok(!RUNTIME_PERMISSIONS.includes("-A") && !RUNTIME_PERMISSIONS.includes("--allow-all"));
});

Deno.test("deno task compile --dry-run prints a deno compile per target, each including every worker", async () => {
  const task = (await denoTasks()).compile;
  assert.ok(task, "deno.json has a compile task");
  const permissions = task.split(/\s+/).filter((w) => w.startsWith("--allow-"));
  const result = await runDeno(["run", ...permissions, "scripts/compile.ts", "--dry-run"], {
    cwd: ROOT,
  });
  assert.equal(result.code, 0, result.stderr);
  const lines = result.stdout.trim().split("\n").filter((line) => line.startsWith("deno compile"));
  assert.equal(lines.length, TARGETS.length);
  const workers = await startedWorkers();
  assert.ok(workers.length >= 2, "found the program's workers");
  for (const [i, target] of TARGETS.entries()) {
    const line = lines[i] ?? "";
    assert.ok(line.includes(`--target ${target} `), line);
    assert.ok(line.includes(`--output ${binaryName(target)} `), line);
    assert.ok(line.endsWith(" main.ts"), line);
    for (const worker of workers) assert.ok(line.includes(`--include ${worker}`), line);
  }
  const bad = await runDeno(["run", ...permissions, "scripts/compile.ts", "sparc-sun-solaris"], {
    cwd: ROOT,
  });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /unknown target sparc-sun-solaris: use one or more of x86_64-unknown/);
});

Deno.test("the release workflow tests, builds every target with checksums, and publishes on v* tags", async () => {
  const workflow = await Deno.readTextFile(join(ROOT, ".github", "workflows", "release.yml"));
  const ciRun = await Deno.readTextFile(join(ROOT, ".ci", "run"));
  const deno = /DENO_VERSION=(\d+\.\d+\.\d+)/.exec(ciRun)?.[1];
  assert.ok(deno);
  assert.match(workflow, /tags:\s*\n\s*-\s*["']?v\*["']?/, "runs on v* tags");
  assert.ok(workflow.includes(`deno@${deno}`), `installs the pinned Deno ${deno}`);
  assert.match(workflow, /bash \.ci\/run/, "runs the test suite");
  assert.match(workflow, /deno task compile/);
  assert.match(workflow, /sha256sum/);
  assert.match(workflow, /gh release create/);
  for (const [, action, ref] of workflow.matchAll(/uses:\s*([\w./-]+)@(\S+)/g)) {
    assert.match(ref ?? "", /^[0-9a-f]{40}$/, `${action} is pinned to a full commit SHA`);
  }
  const linux = binaryName("x86_64-unknown-linux-gnu");
  assert.ok(workflow.includes(`${linux} --version`), "smoke-tests the linux binary");
  assert.ok(workflow.includes(`${linux} demo`), "runs the demo with the linux binary");
});
