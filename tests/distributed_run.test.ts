/**
 * `run --generators N` through the simulated ECS: each generator is a real
 * `deno run main.ts run …` process started by RunTask, uploading its results
 * to the simulator's S3; the distributed run follows the tasks, stops them on
 * Ctrl-C, and merges. Checked: the merged totals are the sums of the
 * generators' and equal what the simulated Model Runner received; the merged
 * stats.csv equals a merge of the generators' local files; a generator that
 * is killed is reported by index and the exit code says the result is partial;
 * an interrupted run stops every generator, which still upload and are merged.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { HeadObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { resolveRun } from "../mod/config/run_settings.ts";
import { distributeRun } from "../mod/commands/distribute.ts";
import { mergeCommand } from "../mod/commands/merge.ts";
import { ExitCode } from "../mod/exit_codes.ts";
import { simClientConfig } from "../mod/sim/aws/client_config.ts";
import { localDenoTaskRunner } from "../mod/sim/aws/local_deno_task_runner.ts";
import { STOCK_NAMES } from "../mod/sim/model_runner/seed.ts";
import type { Simulator } from "../mod/sim/simulator.ts";
import type { TaskDescription } from "../mod/sim/aws/ecs_tasks.ts";
import { withSimulator } from "./engine_test_support.ts";

const MAIN = fileURLToPath(new URL("../main.ts", import.meta.url));

/** Where the generators run (their `gen-<i>/` folders) and write their console output. */
interface Fixture {
  sim: Simulator;
  dir: string;
  tasksDir: string;
}

/**
 * A simulator whose ECS tasks are local osml-load processes, with the AWS
 * environment pointed at it, and a status queue per generator (fanned out
 * from the status topic), so that generators never take each other's statuses.
 */
async function withGeneratorSim(
  generators: number,
  fn: (f: Fixture) => Promise<void>,
): Promise<void> {
  const root = await Deno.makeTempDir({ prefix: "distributed_run_" });
  const tasksDir = `${root}/tasks`;
  await Deno.mkdir(tasksDir);
  try {
    await withSimulator({
      modelRunner: { msPerMegapixel: 0.05, fixedMs: 20, failureRate: 0, partialRate: 0 },
      taskRunner: localDenoTaskRunner({
        mainTs: MAIN,
        permissions: [
          "--allow-net=127.0.0.1",
          "--allow-env",
          "--allow-read",
          "--allow-write",
          "--allow-sys=osRelease,homedir,systemMemoryInfo",
        ],
        env: { AWS_EC2_METADATA_DISABLED: "true", NO_COLOR: "1" },
        cwd: tasksDir,
        logDir: `${root}/task-logs`,
      }),
    }, async (sim, dir) => {
      for (let i = 0; i < generators; i++) {
        sim.state.createQueue(statusQueue(i), { visibilityTimeout: 30 });
        sim.state.subscribeQueue(STOCK_NAMES.statusTopic, statusQueue(i));
      }
      await fn({ sim, dir, tasksDir });
    });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

function statusQueue(index: number): string {
  return `gen-${index}-status`;
}

/** The run's settings: short windows, one user worker per generator, no exit 1 for failures. */
function distributedRun(
  sim: Simulator,
  dir: string,
  flags: Record<string, string | boolean | string[]>,
) {
  return resolveRun({
    sourceBucket: `s3://osml-test-images-${sim.account}`,
    resultBucket: `s3://mr-bucket-sink-${sim.account}`,
    resultsTo: `s3://mr-bucket-sink-${sim.account}/osml-load/`,
    subnets: "subnet-0test",
    spawnRate: "10",
    waitMin: "0.2",
    waitMax: "0.5",
    maxWorkers: "1",
    statsInterval: "1",
    exitCodeOnError: "0",
    logDir: `${dir}/merged`,
    output: `${dir}/merged/osml-load`,
    ...flags,
  }, sim.env);
}

async function readJson(path: string): Promise<Record<string, unknown>> {
  return JSON.parse(await Deno.readTextFile(path));
}

/** Poll until `check` gives a value; the deadline only catches a hang. */
async function waitFor<T>(what: string, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The simulator's view of the run's tasks, by generator index. */
function tasksByIndex(sim: Simulator): Map<number, TaskDescription> {
  const tasks = sim.state.ecs.tasks;
  const byIndex = new Map<number, TaskDescription>();
  for (const status of ["RUNNING", "STOPPED"]) {
    const arns = tasks.list({ cluster: STOCK_NAMES.generatorCluster, desiredStatus: status });
    if (arns.length === 0) continue;
    for (const task of tasks.describe(STOCK_NAMES.generatorCluster, arns).tasks) {
      const override = task.overrides.containerOverrides[0] as {
        environment?: { name: string; value: string }[];
      };
      const index = override.environment?.find((e) => e.name === "OSML_LOAD_GENERATOR_INDEX");
      if (index) byIndex.set(Number(index.value), task);
    }
  }
  return byIndex;
}

const COUNTERS = [
  "total_image_sent",
  "total_image_processed",
  "total_image_succeeded",
  "total_image_failed",
  "total_image_partial",
  "total_image_timed_out",
  "total_pixels_processed",
] as const;

Deno.test("3 generators on simulated ECS: merged totals are the generators' sums and what Model Runner received; stats.csv equals a merge of their local files", async () => {
  await withGeneratorSim(3, async ({ sim, dir, tasksDir }) => {
    const { settings, options } = distributedRun(sim, dir, {
      generators: "3",
      users: "3",
      runTime: "6s",
      waitForCompletion: true,
      completionTimeout: "30s",
      html: `${dir}/merged/report.html`,
      threshold: ["fail_ratio<0.5", "jobs_failed<=1000"],
      junit: `${dir}/merged/thresholds.xml`,
    });
    const said: string[] = [];
    const written: string[] = [];
    const code = await distributeRun({
      settings,
      options,
      handleSignals: false,
      pollMs: 250,
      write: (line) => written.push(line),
      say: (line) => said.push(line),
      runId: "run-three",
      generatorOptions: (index) => ({ mrStatusQueue: statusQueue(index) }),
    });
    assert.equal(code, ExitCode.Ok, said.join("\n"));
    assert.match(said.join("\n"), /generators \d\d:\d\d {2}0\/3 running {2}\[0-2 STOPPED\]/);

    // Each task got its index, the run id and its share of the users.
    const tasks = tasksByIndex(sim);
    assert.deepEqual([...tasks.keys()].sort(), [0, 1, 2]);
    for (const [index, task] of tasks) {
      const override = task.overrides.containerOverrides[0] as {
        name: string;
        command: string[];
        environment: { name: string; value: string }[];
      };
      assert.equal(override.name, STOCK_NAMES.generatorContainer);
      assert.deepEqual(
        override.environment.find((e) => e.name === "OSML_LOAD_RUN_ID"),
        { name: "OSML_LOAD_RUN_ID", value: "run-three" },
      );
      assert.ok(override.command.includes("--users=1"), override.command.join(" "));
      assert.ok(override.command.includes(`--log-dir=gen-${index}`));
      assert.equal(task.containers[0]?.exitCode, 0);
      assert.equal(task.startedBy, "osml-load/run-three");
    }

    // Sums: the merged counters are the generators' (their own job_summary.json files) and
    // what the simulated Model Runner received and finished.
    const merged = await readJson(`${dir}/merged/job_summary.json`);
    const local = await Promise.all(
      [0, 1, 2].map((i) => readJson(`${tasksDir}/gen-${i}/job_summary.json`)),
    );
    for (const key of COUNTERS) {
      const sum = local.reduce((n, s) => n + (s[key] as number), 0);
      assert.ok(Math.abs((merged[key] as number) - sum) < 1e-6, `${key}: ${merged[key]} vs ${sum}`);
    }
    const counters = sim.modelRunner!.counters;
    assert.ok((merged.total_image_sent as number) >= 3, "every generator sent jobs");
    assert.equal(merged.total_image_sent, counters.received);
    assert.equal(
      merged.total_image_processed,
      counters.final.SUCCESS + counters.final.FAILED + counters.final.PARTIAL,
    );
    assert.equal(merged.total_image_succeeded, counters.final.SUCCESS);
    assert.equal(merged.total_image_timed_out, 0);
    assert.equal(merged.generators, 3);
    assert.equal(merged.partial, false);
    assert.equal(merged.run_id, "run-three");
    const generatorTasks = merged.generator_tasks as Array<Record<string, unknown>>;
    assert.deepEqual(generatorTasks.map((t) => [t.index, t.exit_code, t.died]), [
      [0, 0, false],
      [1, 0, false],
      [2, 0, false],
    ]);
    for (const i of [0, 1, 2]) assert.ok(local[i]!.total_image_sent as number > 0, `gen-${i}`);

    // The merged stats.csv is the merge of the three local folders (the same bytes were uploaded).
    const code2 = await mergeCommand({
      sources: [0, 1, 2].map((i) => `${tasksDir}/gen-${i}`),
      logDir: `${dir}/local-merge`,
    }, { stdout: () => {}, stderr: () => {} });
    assert.equal(code2, ExitCode.Ok);
    assert.equal(
      await Deno.readTextFile(`${dir}/merged/osml-load_stats.csv`),
      await Deno.readTextFile(`${dir}/local-merge/osml-load_stats.csv`),
    );
    const rows = (await Deno.readTextFile(`${dir}/merged/osml-load_stats.csv`)).split("\r\n");
    const submits = rows.filter((r) => r.startsWith("Submit Image,"))
      .reduce((n, r) => n + Number(r.split(",")[2]), 0);
    assert.equal(submits, merged.total_image_sent);
    assert.ok((await Deno.stat(`${dir}/merged/report.html`)).size > 0);

    // The thresholds were left to the merged result: evaluated once, here, and in --junit.
    for (const task of tasks.values()) {
      const command = (task.overrides.containerOverrides[0] as { command: string[] }).command;
      assert.ok(!command.some((a) => a.startsWith("--threshold")), command.join(" "));
    }
    assert.ok(written.includes("Thresholds: 2 passed, 0 failed"), written.join("\n"));
    const junit = await Deno.readTextFile(`${dir}/merged/thresholds.xml`);
    assert.match(junit, /tests="2" failures="0"/);
  });
});

Deno.test("a generator killed mid-run is reported by index with its stop reason; the result is partial (exit 1)", async () => {
  await withGeneratorSim(2, async ({ sim, dir, tasksDir }) => {
    const { settings, options } = distributedRun(sim, dir, {
      generators: "2",
      users: "2",
      runTime: "8s",
    });
    const said: string[] = [];
    const s3 = new S3Client({ ...simClientConfig(sim), forcePathStyle: true });
    const running = distributeRun({
      settings,
      options,
      handleSignals: false,
      pollMs: 250,
      write: () => {},
      say: (line) => said.push(line),
      runId: "run-killed",
      generatorOptions: (index) => ({ mrStatusQueue: statusQueue(index) }),
    });
    try {
      // Once generator 1 has uploaded its statistics once, kill its process (SIGKILL: no stop).
      await waitFor("generator 1's first upload", async () => {
        try {
          await s3.send(
            new HeadObjectCommand({
              Bucket: `mr-bucket-sink-${sim.account}`,
              Key: "osml-load/run-killed/gen-1/osml-load-stats.json",
            }),
          );
          return true;
        } catch {
          return undefined;
        }
      });
      const task = tasksByIndex(sim).get(1)!;
      const pid = Number(task.containers[0]!.runtimeId!.split("-").pop());
      Deno.kill(pid, "SIGKILL");
    } finally {
      s3.destroy();
    }
    const code = await running;
    const text = said.join("\n");
    assert.equal(code, ExitCode.RunFailed, text);
    assert.match(text, /warning: generator 1 died: EssentialContainerExited: .*exit 137/);
    assert.match(text, /generator 0 finished: .*exit 0/);
    assert.match(text, /the result is partial: generator\(s\) 1 did not finish/);

    const merged = await readJson(`${dir}/merged/job_summary.json`);
    assert.equal(merged.partial, true);
    // What generator 1 had uploaded before it died is in the result, marked as not finished.
    assert.equal(merged.generators, 2);
    const failed = merged.failed_generators as Array<{ index: number; reason: string }>;
    assert.ok(failed.some((f) => f.index === 1 && /did not finish/.test(f.reason)));
    assert.ok(failed.some((f) => f.index === 1 && /ECS task .*exit 137/.test(f.reason)));
    assert.ok(!failed.some((f) => f.index === 0));
    const tasks = merged.generator_tasks as Array<Record<string, unknown>>;
    assert.deepEqual(tasks.map((t) => [t.index, t.exit_code, t.died]), [
      [0, 0, false],
      [1, 137, true],
    ]);
    // Generator 0 ran to its end and uploaded everything.
    const gen0 = await readJson(`${tasksDir}/gen-0/osml-load-stats.json`);
    assert.equal(gen0.final, true);
  });
});

Deno.test("Ctrl-C stops every generator (StopTask); they upload their final results and are merged (exit 130)", async () => {
  await withGeneratorSim(1, async ({ sim, dir }) => {
    const { settings, options } = distributedRun(sim, dir, {
      generators: "1",
      users: "1",
      runTime: "10m",
    });
    const said: string[] = [];
    const ctrlC = new AbortController();
    const running = distributeRun({
      settings,
      options,
      handleSignals: false,
      signal: ctrlC.signal,
      pollMs: 250,
      write: () => {},
      say: (line) => said.push(line),
      runId: "run-interrupted",
      generatorOptions: (index) => ({ mrStatusQueue: statusQueue(index) }),
    });
    // Once the generator has sent a job, interrupt the distributed run.
    await waitFor(
      "a job from the generator",
      () => Promise.resolve(sim.modelRunner!.counters.received > 0 ? true : undefined),
    );
    ctrlC.abort();
    const code = await running;
    const text = said.join("\n");
    assert.equal(code, ExitCode.Interrupted, text);
    const task = tasksByIndex(sim).get(0)!;
    assert.equal(task.stopCode, "UserInitiated");
    assert.equal(task.stoppedReason, "osml-load: the distributed run was interrupted");
    assert.equal(task.containers[0]?.exitCode, 130);
    assert.match(text, /generator 0 finished: UserInitiated: .*exit 130/);

    const merged = await readJson(`${dir}/merged/job_summary.json`);
    assert.equal(merged.partial, false);
    assert.equal(merged.generators, 1);
    assert.ok((merged.total_image_sent as number) > 0);
    assert.deepEqual(
      (merged.generator_tasks as Array<Record<string, unknown>>).map((t) => [t.exit_code, t.died]),
      [[130, false]],
    );
  });
});
