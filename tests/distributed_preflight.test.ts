/**
 * What `run --generators N` refuses before any ECS task starts (one line
 * naming the fix), its `--dry-run`, and generators that ECS cannot start:
 * reported by index with ECS's reason, nothing to merge, exit 4.
 */
import assert from "node:assert/strict";
import { resolveRun } from "../mod/config/run_settings.ts";
import { distributeRun } from "../mod/commands/distribute.ts";
import { runCommand } from "../mod/commands/run.ts";
import { ExitCode } from "../mod/exit_codes.ts";
import { STOCK_NAMES } from "../mod/sim/model_runner/seed.ts";
import type { Simulator } from "../mod/sim/simulator.ts";
import { UsageError } from "../mod/usage_error.ts";
import { withSimulator } from "./engine_test_support.ts";

function flagsFor(sim: Simulator, dir: string): Record<string, string> {
  return {
    generators: "2",
    users: "4",
    sourceBucket: `s3://osml-test-images-${sim.account}`,
    resultBucket: `s3://mr-bucket-sink-${sim.account}`,
    resultsTo: `s3://mr-bucket-sink-${sim.account}/osml-load/`,
    subnets: "subnet-0test",
    logDir: `${dir}/merged`,
  };
}

async function refused(
  sim: Simulator,
  dir: string,
  flags: Record<string, string | undefined>,
  pattern: RegExp,
  env: Record<string, string> = {},
): Promise<void> {
  const all = { ...flagsFor(sim, dir), ...flags };
  for (const key of Object.keys(all)) if (all[key] === undefined) delete all[key];
  const { settings, options } = resolveRun(all, sim.env);
  await assert.rejects(
    distributeRun({ settings, options, env, handleSignals: false, say: () => {}, write: () => {} }),
    (e: unknown) => e instanceof UsageError && pattern.test(e.message),
  );
  // Nothing was started.
  for (const cluster of ["default", STOCK_NAMES.generatorCluster]) {
    assert.deepEqual(
      sim.state.ecs.tasks.list({ cluster, desiredStatus: "RUNNING" }),
      [],
      `${pattern}: a task runs in ${cluster}`,
    );
    assert.deepEqual(sim.state.ecs.tasks.list({ cluster, desiredStatus: "STOPPED" }), []);
  }
}

Deno.test("run --generators refuses bad input before any task starts, with the fix", async () => {
  await withSimulator({ modelRunner: false }, async (sim, dir) => {
    await refused(sim, dir, { resultsTo: undefined }, /--generators needs --results-to s3:\/\//);
    await refused(sim, dir, { subnets: undefined }, /uses awsvpc networking .*--subnets subnet-/);
    await refused(
      sim,
      dir,
      { taskDefinition: "nope" },
      /ECS task definition 'nope' not found in us-west-2 .*register deploy\/ecs-task-definition\.json/,
    );
    await refused(
      sim,
      dir,
      { cluster: "nope" },
      /ECS cluster 'nope' not found: create it \(aws ecs create-cluster --cluster-name nope\)/,
    );
    await refused(
      sim,
      dir,
      { resultsTo: "s3://no-such-results/x/" },
      /S3 bucket 'no-such-results' does not exist \(--results-to/,
    );
    await refused(sim, dir, { users: "1" }, /--users 1 is fewer than --generators 2/);
    await refused(
      sim,
      dir,
      {},
      /this process is generator 1 of a distributed run \(OSML_LOAD_GENERATOR_INDEX\)/,
      { OSML_LOAD_GENERATOR_INDEX: "1" },
    );
    await refused(sim, dir, {}, /run id "bad id" \(OSML_LOAD_RUN_ID\)/, {
      OSML_LOAD_RUN_ID: "bad id",
    });
  });
});

Deno.test("run --generators --dry-run prints the plan and a generator's command line, and starts nothing", async () => {
  await withSimulator({ modelRunner: false }, async (sim, dir) => {
    const lines: string[] = [];
    const code = await runCommand(
      { ...flagsFor(sim, dir), generators: "3", users: "7", dryRun: true, rate: "30/min" },
      { env: sim.env, cwd: dir, write: (line) => lines.push(line) },
    );
    assert.equal(code, ExitCode.Ok);
    const text = lines.join("\n");
    assert.match(text, /^ +generators +3 +flag --generators$/m, "the resolved options");
    assert.match(text, /Generator 0 would run: osml-load run --headless --users=3 .*--rate=600\/h/);
    assert.match(text, /--results-to=s3:\/\/mr-bucket-sink-\d+\/osml-load\/$/m);
    assert.deepEqual(
      sim.state.ecs.tasks.list({ cluster: STOCK_NAMES.generatorCluster, desiredStatus: "STOPPED" }),
      [],
    );
  });
});

Deno.test("generators ECS cannot start are reported by index with ECS's reason; with nothing to merge, exit 4", async () => {
  // No task runner: every task stops with TaskFailedToStart, as when ECS cannot pull the image.
  await withSimulator({ modelRunner: false }, async (sim, dir) => {
    const { settings, options } = resolveRun(flagsFor(sim, dir), sim.env);
    const said: string[] = [];
    const code = await distributeRun({
      settings,
      options,
      handleSignals: false,
      pollMs: 100,
      say: (line) => said.push(line),
      write: () => {},
      runId: "run-no-start",
    });
    const text = said.join("\n");
    assert.equal(code, ExitCode.ToolFailed, text);
    for (const index of [0, 1]) {
      assert.match(
        text,
        new RegExp(
          `warning: generator ${index} died: TaskFailedToStart: CannotStartContainerError: .*no exit code`,
        ),
      );
    }
    assert.match(
      text,
      /error: could not merge the generators' results from s3:\/\/.*run-no-start\//,
    );
  });
});
