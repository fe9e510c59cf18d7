/**
 * The plan of a distributed run and what each generator is told: shares that
 * add up to the run's users and rates (for every shape), given back through
 * the option parsers; each generator's command line, accepted by `run` and
 * resolving to its share; how a stopped ECS task's generator ended.
 */
import assert from "node:assert/strict";
import { buildProgram } from "../mod/commands/program.ts";
import { resolveRun } from "../mod/config/run_settings.ts";
import { resolveOptions } from "../mod/config/resolve_options.ts";
import {
  formatGeneratorPlan,
  formatShareNumber,
  planGenerators,
  shareFlags,
  splitCount,
} from "../mod/engine/generator_plan.ts";
import { generatorArgs } from "../mod/commands/generator_command.ts";
import { generatorOutcome, generatorsLine } from "../mod/commands/generator_status.ts";
import { newRunId, splitList } from "../mod/commands/distribute.ts";
import { parseShapeSettings, type ShapeSettings } from "../mod/config/shape_settings.ts";
import { parseRate } from "../mod/config/rate.ts";
import { parseStages } from "../mod/config/stages.ts";
import { UsageError } from "../mod/usage_error.ts";

/** A small deterministic generator of test inputs. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

Deno.test("plan: user shares are whole, differ by at most one, and add up to --users (window and rate shapes)", () => {
  const next = prng(7);
  for (let round = 0; round < 500; round++) {
    const generators = 1 + Math.floor(next() * 12);
    const users = generators + Math.floor(next() * 200);
    const spawnRate = 0.5 + next() * 20;
    const shape: ShapeSettings = next() < 0.5
      ? { name: "window" }
      : { name: "rate", rate: 0.01 + next() * 50, stages: [{ durationS: 60, target: 1 + next() }] };
    const plan = planGenerators({ generators, users, spawnRate, shape });
    assert.deepEqual(plan.map((g) => g.index), [...Array(generators).keys()]);
    const counts = plan.map((g) => g.users);
    assert.equal(counts.reduce((a, b) => a + b, 0), users);
    assert.ok(Math.max(...counts) - Math.min(...counts) <= 1);
    assert.ok(counts.every((u) => Number.isInteger(u) && u >= 1));
    const spawn = plan.reduce((n, g) => n + g.spawnRate, 0);
    assert.ok(Math.abs(spawn - spawnRate) < 1e-9, `spawn rates add up: ${spawn} vs ${spawnRate}`);
    if (shape.name === "rate") {
      // What each generator is told, read back by the real parser, adds up to the run's rate.
      const told = plan.map((g) => parseRate(shareFlags(g).rate!, "--rate"));
      const sum = told.reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(sum - shape.rate) / shape.rate < 1e-9, `${sum} vs ${shape.rate}`);
      const staged = plan.map((g) =>
        parseStages(shareFlags(g).rateStages!, "--rate-stages", (t) => parseRate(t, "x"))
      );
      const stageSum = staged.reduce((n, s) => n + s[0]!.target, 0);
      assert.ok(Math.abs(stageSum - shape.stages[0]!.target) < 1e-9);
      assert.ok(staged.every((s) => s[0]!.durationS === 60));
    }
  }
});

Deno.test("plan: every --stages target is split exactly; burst sizes divided evenly", () => {
  const stages = parseShapeSettings({ shape: "stages", stages: "30s:5,1m:11,30s:0" }, 60);
  const plan = planGenerators({ generators: 3, users: 1, spawnRate: 3, shape: stages });
  const told = plan.map((g) =>
    parseShapeSettings({ shape: "stages", stages: shareFlags(g).stages! }, 60)
  );
  for (const [i, target] of [5, 11, 0].entries()) {
    const parts = told.map((s) => (s as { stages: { target: number }[] }).stages[i]!.target);
    assert.equal(parts.reduce((a, b) => a + b, 0), target, `stage ${i}: ${parts}`);
    assert.ok(Math.max(...parts) - Math.min(...parts) <= 1);
  }
  assert.deepEqual(
    (told[0] as { stages: { durationS: number }[] }).stages.map((s) => s.durationS),
    [30, 60, 30],
  );

  const burst = parseShapeSettings({ shape: "burst", burstMin: "5", burstPeak: "40" }, 600);
  const shares = planGenerators({ generators: 3, users: 3, spawnRate: 1, shape: burst });
  const min = shares.reduce((n, g) => n + Number(shareFlags(g).burstMin), 0);
  const peak = shares.reduce((n, g) => n + Number(shareFlags(g).burstPeak), 0);
  assert.ok(Math.abs(min - 5) < 1e-9 && Math.abs(peak - 40) < 1e-9, `${min} ${peak}`);
});

Deno.test("plan: fewer users than generators, and the capacity search, are refused with the fix", () => {
  assert.throws(
    () => planGenerators({ generators: 4, users: 3, spawnRate: 1, shape: { name: "window" } }),
    (e: unknown) =>
      e instanceof UsageError && /--users 3 is fewer than --generators 4/.test(e.message),
  );
  assert.throws(
    () =>
      planGenerators({
        generators: 3,
        users: 9,
        spawnRate: 1,
        shape: { name: "stages", stages: [{ durationS: 10, target: 2 }] },
      }),
    /largest --stages target 2 is fewer than --generators 3/,
  );
  assert.throws(
    () =>
      planGenerators({
        generators: 2,
        users: 9,
        spawnRate: 1,
        shape: {
          name: "capacity",
          startRate: 1,
          step: 1,
          stepS: 60,
          maxLatencyMs: 1,
          maxFailRatio: 0.1,
          maxSteps: 3,
        },
      }),
    /capacity search runs in one process/,
  );
  assert.deepEqual(splitCount(0, 2), [0, 0]);
  assert.equal(formatShareNumber(1 / 3), "0.333333333333");
  assert.equal(formatShareNumber(1e-9), "0.000000001");
  const lines = formatGeneratorPlan(
    planGenerators({ generators: 2, users: 5, spawnRate: 5, shape: { name: "window" } }),
  );
  assert.equal(lines[0], "Generators (2):");
  assert.equal(lines.length, 4);
});

Deno.test("generator command: `run` accepts it and resolves it to the generator's share, with the run's options", () => {
  const env = {
    S3_LOAD_TEST_SOURCE_IMAGE_BUCKET: "s3://images",
    OSML_LOAD_MODEL_NAME: "flood",
  };
  const { options } = resolveRun({
    generators: "3",
    users: "10",
    rate: "90/min",
    runTime: "5m",
    resultBucket: "s3://results",
    resultsTo: "s3://load-results/osml/",
    threshold: ["fail_ratio<0.1"],
    html: "out/report.html",
    logDir: "out/logs",
    cluster: "load",
    subnets: "subnet-1,subnet-2",
    webPort: "9999",
  }, env);
  const plan = planGenerators({
    generators: 3,
    users: 10,
    spawnRate: 1,
    shape: { name: "rate", rate: 1.5, stages: [] },
  });
  const args = generatorArgs({ options, share: plan[2]!, resultsTo: "s3://load-results/osml/" });
  assert.deepEqual(args.slice(0, 2), ["run", "--headless"]);
  for (const gone of ["--threshold", "--cluster", "--subnets", "--generators", "--web-port"]) {
    assert.ok(!args.some((a) => a.startsWith(gone)), `${gone} is not passed: ${args.join(" ")}`);
  }

  // Parsed as the container would parse it, with none of the orchestrator's environment.
  const run = buildProgram().commands.find((c) => c.name() === "run")!;
  run.parseOptions(args.slice(1));
  const flags = run.opts();
  const { settings } = resolveRun(flags, {});
  assert.equal(settings.users, 3);
  assert.deepEqual(settings.shape, { name: "rate", rate: 0.5, stages: [] });
  assert.equal(settings.windowS, 300);
  assert.equal(settings.modelName, "flood", "an environment value is passed on");
  assert.equal(settings.sourceBucket?.bucket, "images");
  assert.equal(settings.keepForeignStatus, true, "generators leave each other's statuses");
  assert.deepEqual(settings.thresholds, []);
  assert.equal(settings.logDir, "gen-2");
  assert.equal(settings.csvPrefix, "gen-2/osml-load");
  assert.equal(settings.htmlPath, "gen-2/report.html");
  assert.equal(settings.jsonPath, undefined);
  assert.deepEqual(settings.resultsTo, { bucket: "load-results", prefix: "osml/" });
  assert.equal(settings.headless, true);
});

Deno.test("generator command: per-generator options win; a generator with its own status queue deletes what it reads", () => {
  const options = resolveOptions({
    command: "run",
    flags: { users: "2", mrStatusQueue: "Shared" },
    env: {},
  });
  const args = generatorArgs({
    options,
    share: { index: 0, users: 2, spawnRate: 1, shape: { name: "window" } },
    resultsTo: "s3://r/",
    extra: { mrStatusQueue: "Own-0" },
  });
  assert.ok(args.includes("--mr-status-queue=Own-0"));
  assert.ok(!args.includes("--mr-status-queue=Shared"));
  assert.ok(!args.includes("--keep-foreign-status"));
  // A value that starts with "-" stays a value.
  const odd = generatorArgs({
    options: resolveOptions({ command: "run", flags: { modelName: "-x" }, env: {} }),
    share: { index: 0, users: 1, spawnRate: 1, shape: { name: "window" } },
    resultsTo: "s3://r/",
  });
  assert.ok(odd.includes("--model-name=-x"));
});

Deno.test("generator command: the demo's own defaults (45 s window, 2 min completion timeout) are passed on", () => {
  const { options } = resolveRun({ generators: "2" }, {}, {
    command: "demo",
    fixed: {
      headless: true,
      waitForCompletion: true,
      sourceBucket: "s3://images",
      resultBucket: "s3://results",
    },
  });
  const args = generatorArgs({
    options,
    share: { index: 0, users: 3, spawnRate: 3, shape: { name: "window" } },
    resultsTo: "s3://r/",
  });
  for (const arg of ["--run-time=45s", "--completion-timeout=2m", "--wait-for-completion"]) {
    assert.ok(args.includes(arg), `${arg}: ${args.join(" ")}`);
  }
  assert.ok(args.includes("--source-bucket=s3://images"));
  assert.ok(!args.some((a) => a.startsWith("--max-workers")), "this machine's default stays here");
  assert.ok(!args.some((a) => a.startsWith("--out=") || a.startsWith("--sim-workers")));
});

Deno.test("generator outcome: finished, interrupted by us, killed, stopped by someone else, never started", () => {
  const task = (
    stopCode: string,
    exitCode?: number,
    reason = "Essential container in task exited",
  ) => ({
    lastStatus: "STOPPED",
    stopCode,
    stoppedReason: reason,
    containers: [{ name: "osml-load", ...(exitCode === undefined ? {} : { exitCode }) }],
  });
  const ours = { container: "osml-load", stoppedByUs: true };
  const theirs = { container: "osml-load", stoppedByUs: false };
  const cases: Array<[ReturnType<typeof task>, typeof ours, boolean, RegExp]> = [
    [task("EssentialContainerExited", 0), theirs, false, /exit 0$/],
    [task("EssentialContainerExited", 1), theirs, false, /exit 1$/],
    [task("UserInitiated", 130, "osml-load: interrupted"), ours, false, /interrupted: exit 130/],
    [task("UserInitiated", 130, "Task stopped by user"), theirs, true, /UserInitiated/],
    [task("EssentialContainerExited", 137), theirs, true, /exit 137/],
    [task("EssentialContainerExited", 4), theirs, true, /exit 4/],
    [
      task("TaskFailedToStart", undefined, "CannotPullContainerError"),
      theirs,
      true,
      /no exit code/,
    ],
  ];
  for (const [t, context, died, reason] of cases) {
    const outcome = generatorOutcome(t, context);
    assert.equal(outcome.died, died, `${t.stopCode} ${t.containers[0]?.exitCode}`);
    assert.match(outcome.reason, reason);
  }
  assert.equal(
    generatorsLine(["PROVISIONING", "RUNNING", "RUNNING", "STOPPED"], 3),
    "generators 00:03  2/4 running  [0 PROVISIONING, 1-2 RUNNING, 3 STOPPED]",
  );
  assert.deepEqual(splitList("a,,b "), ["a", "b"]);
  assert.notEqual(newRunId(0), newRunId(0), "two runs started at once get different ids");
});
