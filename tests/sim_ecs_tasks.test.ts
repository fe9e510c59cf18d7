// ECS RunTask / DescribeTasks / ListTasks / StopTask through the real @aws-sdk/client-ecs:
// each task is a real local Deno process started by localDenoTaskRunner (a tiny script here).
import assert from "node:assert/strict";
import {
  CreateClusterCommand,
  DescribeClustersCommand,
  DescribeTasksCommand,
  ECSClient,
  ListClustersCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  type RunTaskCommandInput,
  StopTaskCommand,
  type Task,
} from "@aws-sdk/client-ecs";
import { simClientConfig } from "../mod/sim/aws/client_config.ts";
import { localDenoTaskRunner } from "../mod/sim/aws/local_deno_task_runner.ts";
import { type Simulator, startSimulator, type TaskRunner } from "../mod/sim/simulator.ts";
import { errorOf } from "./sim_test_support.ts";

// exit CODE: wait for the file release-<GEN_INDEX>, then exit CODE.
// term CODE: exit CODE on SIGTERM.  ignore: ignore SIGTERM (only SIGKILL ends it).
// Once its SIGTERM handler is in place, a task writes ready-<GEN_INDEX>-<pid>.
const TASK_SCRIPT = `
const [mode, code] = Deno.args;
const dir = Deno.env.get("TASK_DIR");
const id = Deno.env.get("GEN_INDEX") ?? "x";
await Deno.writeTextFile(dir + "/env-" + id + ".json", JSON.stringify({ args: Deno.args, env: Deno.env.toObject() }));
console.log("task " + id + " started: " + Deno.args.join(" "));
if (mode === "exit") {
  for (;;) {
    try { await Deno.stat(dir + "/release-" + id); break; } catch { await new Promise((r) => setTimeout(r, 20)); }
  }
  Deno.exit(Number(code));
}
if (mode === "term") {
  Deno.addSignalListener("SIGTERM", () => {
    Deno.writeTextFileSync(dir + "/terminated-" + id + "-" + Deno.pid, "");
    Deno.exit(Number(code));
  });
} else {
  Deno.addSignalListener("SIGTERM", () => console.log("SIGTERM ignored"));
}
await Deno.writeTextFile(dir + "/ready-" + id + "-" + Deno.pid, "");
setInterval(() => {}, 1000);
`;

interface Fixture {
  sim: Simulator;
  ecs: ECSClient;
  dir: string;
}

async function withTaskSim(
  fn: (f: Fixture) => Promise<void>,
  runner?: (dir: string) => TaskRunner,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "sim_ecs_tasks_" });
  const script = `${dir}/task.ts`;
  await Deno.writeTextFile(script, TASK_SCRIPT);
  const sim = await startSimulator({
    port: 0,
    modelRunner: false,
    taskRunner: runner ? runner(dir) : localDenoTaskRunner({
      mainTs: script,
      permissions: ["--allow-env", `--allow-read=${dir}`, `--allow-write=${dir}`],
      env: { TASK_DIR: dir },
      logDir: `${dir}/logs`,
    }),
  });
  const ecs = new ECSClient({ ...simClientConfig(sim), maxAttempts: 1 });
  try {
    await fn({ sim, ecs, dir });
  } finally {
    ecs.destroy();
    await sim.close();
    await Deno.remove(dir, { recursive: true });
  }
}

/** Poll until `check` returns a value; the deadline only catches a hang. */
async function waitFor<T>(what: string, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** How many files in `dir` start with `prefix`. */
async function countFiles(dir: string, prefix: string): Promise<number> {
  let n = 0;
  for await (const e of Deno.readDir(dir)) if (e.name.startsWith(prefix)) n++;
  return n;
}

/** Wait until `count` tasks with this GEN_INDEX have their SIGTERM handler in place. */
function ready(dir: string, index: string, count = 1): Promise<true> {
  return waitFor(
    `${count} task(s) ${index} ready`,
    async () => (await countFiles(dir, `ready-${index}-`)) >= count ? true : undefined,
  );
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

async function describe(ecs: ECSClient, arn: string, cluster = "osml-load"): Promise<Task> {
  const out = await ecs.send(
    new DescribeTasksCommand({ cluster, tasks: [arn], include: ["TAGS"] }),
  );
  assert.deepEqual(out.failures, []);
  return out.tasks![0]!;
}

function waitForStatus(ecs: ECSClient, arn: string, status: string): Promise<Task> {
  return waitFor(`task ${arn} ${status}`, async () => {
    const t = await describe(ecs, arn);
    return t.lastStatus === status ? t : undefined;
  });
}

function runInput(command: string[], index: string, extra: Partial<RunTaskCommandInput> = {}) {
  return {
    cluster: "osml-load",
    taskDefinition: "osml-load",
    launchType: "FARGATE",
    networkConfiguration: { awsvpcConfiguration: { subnets: ["subnet-0abc"] } },
    overrides: {
      containerOverrides: [{
        name: "osml-load",
        command,
        environment: [{ name: "GEN_INDEX", value: index }],
      }],
    },
    ...extra,
  } satisfies RunTaskCommandInput;
}

Deno.test("ecs tasks: RunTask starts a process per task, RUNNING then STOPPED with its exit code", async () => {
  await withTaskSim(async ({ sim, ecs, dir }) => {
    const run = await ecs.send(
      new RunTaskCommand(
        runInput(["exit", "3"], "0", {
          startedBy: "osml-load/run-abc",
          tags: [{ key: "osml-load:run-id", value: "run-abc" }],
        }),
      ),
    );
    assert.deepEqual(run.failures, []);
    const task = run.tasks![0]!;
    assert.equal(task.lastStatus, "PROVISIONING");
    assert.equal(task.desiredStatus, "RUNNING");
    assert.match(
      task.taskArn!,
      /^arn:aws:ecs:us-west-2:123456789012:task\/osml-load\/[0-9a-f]{32}$/,
    );
    assert.equal(task.taskDefinitionArn, sim.seeded!.generatorTaskDefinitionArn);
    assert.ok(task.createdAt instanceof Date);

    const running = await waitForStatus(ecs, task.taskArn!, "RUNNING");
    assert.ok(running.startedAt instanceof Date);
    assert.equal(running.containers?.[0]?.lastStatus, "RUNNING");
    assert.deepEqual(running.tags, [{ key: "osml-load:run-id", value: "run-abc" }]);
    const listed = await ecs.send(
      new ListTasksCommand({ cluster: "osml-load", startedBy: "osml-load/run-abc" }),
    );
    assert.deepEqual(listed.taskArns, [task.taskArn]);
    const clusters = await ecs.send(new DescribeClustersCommand({ clusters: ["osml-load"] }));
    assert.equal(clusters.clusters?.[0]?.runningTasksCount, 1);

    // The process saw the command, the task's environment and the simulator's AWS settings.
    const seen = await waitFor("the task's env file", async () => {
      const path = `${dir}/env-0.json`;
      return await exists(path) ? JSON.parse(await Deno.readTextFile(path)) : undefined;
    });
    assert.deepEqual(seen.args, ["exit", "3"]);
    assert.equal(seen.env.GEN_INDEX, "0");
    assert.equal(seen.env.AWS_ENDPOINT_URL, sim.endpoint);
    assert.equal(seen.env.AWS_ACCESS_KEY_ID, "test");
    assert.equal(seen.env.AWS_REGION, "us-west-2");
    assert.equal(seen.env.S3_LOAD_TEST_SOURCE_IMAGE_BUCKET, "s3://osml-test-images-123456789012");
    assert.equal(seen.env.TASK_DIR, dir);

    await Deno.writeTextFile(`${dir}/release-0`, "");
    const stopped = await waitForStatus(ecs, task.taskArn!, "STOPPED");
    assert.equal(stopped.desiredStatus, "STOPPED");
    assert.equal(stopped.stopCode, "EssentialContainerExited");
    assert.equal(stopped.stoppedReason, "Essential container in task exited");
    assert.equal(stopped.containers?.[0]?.exitCode, 3);
    assert.equal(stopped.containers?.[0]?.lastStatus, "STOPPED");
    assert.ok(stopped.stoppedAt instanceof Date);
    assert.deepEqual(
      (await ecs.send(new ListTasksCommand({ cluster: "osml-load" }))).taskArns,
      [],
    );
    assert.deepEqual(
      (await ecs.send(new ListTasksCommand({ cluster: "osml-load", desiredStatus: "STOPPED" })))
        .taskArns,
      [task.taskArn],
    );
    const log = await Deno.readTextFile(`${dir}/logs/${task.taskArn!.split("/").pop()}.log`);
    assert.match(log, /task 0 started: exit 3/);
    // The task ran as Fargate: 2 vCPU and 4 GB from the task definition, now stopped.
    const fargate = sim.ledger.resources().filter((r) => r.usageType.startsWith("Fargate"));
    assert.deepEqual(fargate.map((r) => [r.usageType, r.unitsPerHour]).sort(), [
      ["Fargate-GB-Hours", 4],
      ["Fargate-vCPU-Hours:perCPU", 2],
    ]);
    assert.ok(fargate.every((r) => r.until !== undefined));
  });
});

Deno.test("ecs tasks: StopTask sends SIGTERM; the task stops UserInitiated with the process's exit code", async () => {
  await withTaskSim(async ({ ecs, dir }) => {
    const run = await ecs.send(new RunTaskCommand(runInput(["term", "7"], "1", { count: 2 })));
    assert.equal(run.tasks?.length, 2);
    const [a, b] = run.tasks!.map((t) => t.taskArn!);
    await ready(dir, "1", 2);
    await waitForStatus(ecs, a!, "RUNNING");
    await waitForStatus(ecs, b!, "RUNNING");

    const stop = await ecs.send(
      new StopTaskCommand({ cluster: "osml-load", task: a!.split("/").pop(), reason: "Ctrl-C" }),
    );
    assert.equal(stop.task?.desiredStatus, "STOPPED");
    const stopped = await waitForStatus(ecs, a!, "STOPPED");
    assert.equal(stopped.stopCode, "UserInitiated");
    assert.equal(stopped.stoppedReason, "Ctrl-C");
    assert.equal(stopped.containers?.[0]?.exitCode, 7);
    assert.equal((await describe(ecs, b!)).lastStatus, "RUNNING");

    await ecs.send(new StopTaskCommand({ cluster: "osml-load", task: b! }));
    const other = await waitForStatus(ecs, b!, "STOPPED");
    assert.equal(other.stoppedReason, "Task stopped by user");
    assert.equal(other.containers?.[0]?.exitCode, 7);
    assert.equal(await countFiles(dir, "terminated-1-"), 2);
  });
});

Deno.test("ecs tasks: a process that ignores SIGTERM is killed after the container's stopTimeout (exit 137)", async () => {
  await withTaskSim(async ({ ecs, dir }) => {
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: "stubborn",
        containerDefinitions: [{ name: "main", image: "x", stopTimeout: 1 }],
      }),
    );
    const run = await ecs.send(
      new RunTaskCommand({
        cluster: "osml-load",
        taskDefinition: "stubborn",
        overrides: {
          containerOverrides: [{
            name: "main",
            command: ["ignore"],
            environment: [{ name: "GEN_INDEX", value: "s" }],
          }],
        },
      }),
    );
    const arn = run.tasks![0]!.taskArn!;
    await ready(dir, "s");
    await waitForStatus(ecs, arn, "RUNNING");
    await ecs.send(new StopTaskCommand({ cluster: "osml-load", task: arn }));
    const stopped = await waitForStatus(ecs, arn, "STOPPED");
    assert.equal(stopped.containers?.[0]?.exitCode, 137);
    assert.equal(stopped.stopCode, "UserInitiated");
  });
});

Deno.test("ecs tasks: closing the simulator stops running tasks", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sim_ecs_close_" });
  try {
    await Deno.writeTextFile(`${dir}/task.ts`, TASK_SCRIPT);
    const sim = await startSimulator({
      port: 0,
      modelRunner: false,
      taskRunner: localDenoTaskRunner({
        mainTs: `${dir}/task.ts`,
        permissions: ["--allow-env", `--allow-read=${dir}`, `--allow-write=${dir}`],
        env: { TASK_DIR: dir },
        logDir: `${dir}/logs`,
      }),
    });
    const ecs = new ECSClient({ ...simClientConfig(sim), maxAttempts: 1 });
    try {
      await ecs.send(new RunTaskCommand(runInput(["term", "0"], "c")));
      await ready(dir, "c");
    } finally {
      ecs.destroy();
      await sim.close();
    }
    assert.equal(await countFiles(dir, "terminated-c-"), 1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("ecs tasks: failures to start, bad requests and unknown tasks, as ECS reports them", async () => {
  let calls = 0;
  await withTaskSim(async ({ sim, ecs }) => {
    // The runner throws: the task stops TaskFailedToStart with the reason.
    const run = await ecs.send(new RunTaskCommand(runInput(["x"], "f")));
    const failed = await waitForStatus(ecs, run.tasks![0]!.taskArn!, "STOPPED");
    assert.equal(failed.stopCode, "TaskFailedToStart");
    assert.match(failed.stoppedReason ?? "", /CannotStartContainerError: no image here/);
    assert.equal(failed.containers?.[0]?.exitCode, undefined);
    assert.equal(calls, 1);

    // No runner at all: the same, with a hint.
    sim.state.ecs.tasks.runner = undefined;
    const bare = await ecs.send(new RunTaskCommand(runInput(["x"], "g")));
    const none = await waitForStatus(ecs, bare.tasks![0]!.taskArn!, "STOPPED");
    assert.match(none.stoppedReason ?? "", /taskRunner/);

    const noCluster = await errorOf(
      ecs.send(new RunTaskCommand({ ...runInput(["x"], "h"), cluster: "nope" })),
    );
    assert.equal(noCluster.name, "ClusterNotFoundException");
    const noSubnets = await errorOf(
      ecs.send(new RunTaskCommand({ ...runInput(["x"], "h"), networkConfiguration: undefined })),
    );
    assert.equal(noSubnets.name, "InvalidParameterException");
    assert.match(noSubnets.message, /Network Configuration must be provided/);
    const badContainer = await errorOf(
      ecs.send(
        new RunTaskCommand({
          ...runInput(["x"], "h"),
          overrides: { containerOverrides: [{ name: "nope", command: [] }] },
        }),
      ),
    );
    assert.equal(badContainer.name, "InvalidParameterException");
    const noTd = await errorOf(
      ecs.send(new RunTaskCommand({ ...runInput(["x"], "h"), taskDefinition: "missing:9" })),
    );
    assert.equal(noTd.name, "InvalidParameterException");
    const tooMany = await errorOf(
      ecs.send(new RunTaskCommand({ ...runInput(["x"], "h"), count: 11 })),
    );
    assert.equal(tooMany.name, "InvalidParameterException");

    const missing = await ecs.send(
      new DescribeTasksCommand({
        cluster: "osml-load",
        tasks: ["0123456789abcdef0123456789abcdef"],
      }),
    );
    assert.deepEqual(missing.tasks, []);
    assert.deepEqual(missing.failures, [{
      arn: "0123456789abcdef0123456789abcdef",
      reason: "MISSING",
    }]);
    const stopMissing = await errorOf(
      ecs.send(
        new StopTaskCommand({ cluster: "osml-load", task: "0123456789abcdef0123456789abcdef" }),
      ),
    );
    assert.equal(stopMissing.name, "InvalidParameterException");

    await ecs.send(new CreateClusterCommand({ clusterName: "extra" }));
    const clusters = await ecs.send(new ListClustersCommand({}));
    assert.deepEqual(clusters.clusterArns?.map((a) => a.split("/").pop()), [
      "default",
      "osml-load",
      "extra",
    ]);
  }, () => () => {
    calls++;
    throw new Error("no image here");
  });
});
