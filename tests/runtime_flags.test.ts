/**
 * Every way of starting osml-load runs with the same V8 flags (`mod/runtime_flags.ts`): the
 * tasks a person types, the container, the compiled binaries, the demo's generator processes.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { RUNTIME_V8_FLAGS } from "../mod/runtime_flags.ts";
import { GENERATOR_DENO_FLAGS } from "../mod/commands/demo_distributed.ts";
import { compileArgs } from "../scripts/compile.ts";
import { denoTasks, parseDockerfile, ROOT } from "./dist_test_support.ts";

/** True when `flag` is among `args` before the program (`main.ts`). */
function beforeProgram(args: readonly string[], flag: string, program: string): boolean {
  const at = args.indexOf(flag);
  return at >= 0 && at < args.findIndex((arg) => arg.endsWith(program));
}

Deno.test("the tasks, the ENTRYPOINT, the binaries and the demo's generators carry the V8 flags", async () => {
  const tasks = await denoTasks();
  for (const name of ["run", "demo", "osml-load"]) {
    assert.ok(
      beforeProgram(tasks[name]!.split(/\s+/), RUNTIME_V8_FLAGS, "main.ts"),
      `deno task ${name} passes ${RUNTIME_V8_FLAGS} to deno`,
    );
  }
  const { entrypoint } = parseDockerfile(await Deno.readTextFile(join(ROOT, "Dockerfile")));
  assert.ok(beforeProgram(entrypoint, RUNTIME_V8_FLAGS, "main.ts"), "the ENTRYPOINT has it");
  const compile = compileArgs("x86_64-unknown-linux-gnu", ["workers/user_worker.ts"]);
  assert.ok(beforeProgram(compile, RUNTIME_V8_FLAGS, "main.ts"), "deno compile embeds it");
  assert.ok(GENERATOR_DENO_FLAGS.includes(RUNTIME_V8_FLAGS), "the demo's generators have it");
});

Deno.test("a process started with the V8 flags runs (deno accepts them)", async () => {
  const flag = RUNTIME_V8_FLAGS.slice("--v8-flags=".length);
  const { code, stdout } = await new Deno.Command(Deno.execPath(), {
    args: ["eval", RUNTIME_V8_FLAGS, "console.log('ok')"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(code, 0);
  assert.equal(new TextDecoder().decode(stdout).trim(), "ok");
  // An unknown V8 flag is reported by deno, so a typo would fail here.
  const typo = await new Deno.Command(Deno.execPath(), {
    args: ["eval", `--v8-flags=${flag}x-typo`, "1"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.notEqual(typo.code, 0, "deno rejects an unknown V8 flag");
});
