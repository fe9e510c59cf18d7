/**
 * The pieces of a supervised run, without the simulator: signal rules, user
 * states, the supervisor, output preflight, the user limit, AWS call deadlines,
 * and the user pool's worker protocol.
 */
import assert from "node:assert/strict";
import { GetQueueUrlCommand } from "@aws-sdk/client-sqs";
import { Interrupt } from "../mod/engine/interrupt.ts";
import { UserHandle, UserSlots } from "../mod/engine/virtual_user.ts";
import { RunSupervisor, within } from "../mod/engine/run_supervisor.ts";
import { createOutputFolders, preflightOutputs } from "../mod/fs/preflight.ts";
import { checkUserCount, USER_CEILING } from "../mod/engine/user_capacity.ts";
import { sqsClient } from "../mod/aws/sqs_client.ts";
import { AwsTimeoutError } from "../mod/aws/call_deadline.ts";
import { UserPool } from "../mod/engine/user_pool.ts";
import { UsageError } from "../mod/usage_error.ts";
import { silentListener } from "./run_test_support.ts";

Deno.test("one Ctrl-C delivered twice by deno task is one graceful stop; a later one forces the exit", () => {
  let t = 0;
  const said: string[] = [];
  let stops = 0;
  let exits = 0;
  const interrupt = Interrupt.listen(() => {}, {
    now: () => t,
    say: (line) => said.push(line),
    forceExit: () => exits++,
  });
  try {
    interrupt.deliver("SIGINT", () => stops++);
    t = 3; // the duplicate from the process group, a few ms later
    interrupt.deliver("SIGINT", () => stops++);
    assert.equal(stops, 1);
    assert.equal(exits, 0);
    assert.match(said.join("\n"), /press Ctrl-C again to exit at once/);
    t = 2_000;
    interrupt.deliver("SIGTERM", () => stops++);
    assert.equal(exits, 0, "SIGTERM is always graceful");
    interrupt.deliver("SIGINT", () => stops++);
    assert.equal(exits, 1, "a real second Ctrl-C exits");
    assert.equal(stops, 1);
  } finally {
    interrupt.dispose();
  }
});

Deno.test("a first SIGTERM stops gracefully and never forces an exit", () => {
  let exits = 0;
  let stops = 0;
  const interrupt = Interrupt.listen(() => {}, { say: () => {}, forceExit: () => exits++ });
  try {
    interrupt.deliver("SIGTERM", () => stops++);
    interrupt.deliver("SIGTERM", () => stops++);
    assert.equal(stops, 1);
    assert.equal(exits, 0);
    assert.equal(interrupt.received, "SIGTERM");
    assert.ok(interrupt.signal.aborted);
  } finally {
    interrupt.dispose();
  }
});

/** A body whose iterations wait until the user is told to stop. */
function waitingBody() {
  let iterations = 0;
  return {
    count: () => iterations,
    body: {
      iterate: (signal: AbortSignal) =>
        new Promise<void>((resolve) => {
          iterations++;
          if (signal.aborted) return resolve();
          signal.addEventListener("abort", () => resolve(), { once: true });
        }),
    },
  };
}

const tick = () => new Promise<void>((r) => setTimeout(r, 0));

Deno.test("a user goes starting → running → stopping → stopped", async () => {
  let release!: () => void;
  const started = new Promise<void>((r) => (release = r));
  const { body } = waitingBody();
  const user = new UserHandle({ onStart: () => started, iterate: body.iterate });
  assert.equal(user.state, "stopped");
  user.start();
  assert.equal(user.state, "starting");
  release();
  await tick();
  assert.equal(user.state, "running");
  user.stop();
  assert.equal(user.state, "stopping");
  await user.done;
  assert.equal(user.state, "stopped");
});

Deno.test("a stopping user asked to run again is revived, not skipped (4 → 2 → 4)", async () => {
  const bodies = new Map<number, ReturnType<typeof waitingBody>>();
  const slots = new UserSlots((index) => {
    const made = waitingBody();
    bodies.set(index, made);
    return made.body;
  });
  slots.setWanted([0, 1, 2, 3]);
  await tick();
  assert.equal(slots.running, 4);
  slots.setWanted([0, 1]);
  assert.equal(slots.get(2)?.state, "stopping");
  assert.equal(slots.running, 2, "only running users are counted");
  slots.setWanted([0, 1, 2, 3]);
  await tick();
  await tick();
  assert.equal(slots.running, 4);
  assert.equal(slots.get(3)?.state, "running");
  assert.ok(bodies.get(3)!.count() >= 2, "the revived user went on with a new iteration");
  assert.equal(bodies.size, 4, "no second user was made for the same index");
  await slots.stopAll();
  assert.equal(slots.running, 0);
  assert.equal(slots.active, 0);
  slots.setWanted([0]);
  assert.equal(slots.active, 0, "nothing starts after stopAll");
});

Deno.test("a user whose start throws reports it and stops", async () => {
  const errors: unknown[] = [];
  const slots = new UserSlots(
    () => ({ onStart: () => Promise.reject(new Error("no images")), iterate: () => tick() }),
    (_i, error) => errors.push(error),
  );
  slots.setWanted([0]);
  await slots.get(0)!.done;
  assert.equal(slots.get(0)!.state, "stopped");
  assert.equal(errors.length, 1);
});

Deno.test("the supervisor: window, stop-and-wait, stop-now, interrupt and failure", () => {
  const windowRun = new RunSupervisor();
  windowRun.windowOver();
  assert.ok(windowRun.loadSignal.aborted);
  assert.ok(!windowRun.drainSignal.aborted, "the completion wait may still run");
  assert.equal(windowRun.reason, "window");

  const waitRun = new RunSupervisor();
  waitRun.stop("wait");
  assert.ok(waitRun.loadSignal.aborted && !waitRun.drainSignal.aborted);
  waitRun.stop("now");
  assert.ok(waitRun.drainSignal.aborted, "stop now ends the wait");
  assert.equal(waitRun.reason, "stopped");

  const interrupted = new RunSupervisor();
  interrupted.interrupt();
  assert.ok(interrupted.signal.aborted, "calls during preparation are cancelled");
  const loading = new RunSupervisor();
  loading.enter("load");
  loading.interrupt();
  assert.ok(loading.loadSignal.aborted && loading.drainSignal.aborted);
  assert.ok(!loading.signal.aborted, "sends in flight may finish");

  const messages: string[] = [];
  const failed = new RunSupervisor((m) => messages.push(m));
  failed.enter("load");
  failed.fail("csv output", new Error("disk full"));
  failed.fail("html output", "second");
  assert.equal(failed.reason, "failed");
  assert.deepEqual(failed.failures, ["csv output: disk full", "html output: second"]);
  assert.deepEqual(messages, failed.failures);
  failed.enter("prepare");
  assert.equal(failed.phase, "load", "phases only go forward");
});

Deno.test("within() cuts off work that never ends and reports work that fails", async () => {
  assert.equal(await within(20, new Promise(() => {})), false);
  const errors: unknown[] = [];
  assert.equal(await within(1000, Promise.reject(new Error("x")), (e) => errors.push(e)), true);
  assert.equal(errors.length, 1);
});

Deno.test("preflight refuses outputs that cannot be written, and writes nothing", async () => {
  const dir = await Deno.makeTempDir({ prefix: "osml-load-preflight-" });
  try {
    await Deno.writeTextFile(`${dir}/f`, "a file");
    const cases: Array<[Parameters<typeof preflightOutputs>[0], RegExp]> = [
      [[{ flag: "--output", path: `${dir}/f/run_stats.csv`, kind: "file" }], /f is a file/],
      [[{ flag: "--json", path: dir, kind: "file" }], /--json .*: is a folder/],
      [[{ flag: "--log-dir", path: `${dir}/f`, kind: "dir" }], /is a file, not a folder/],
      [
        [{ flag: "--html", path: "/proc/x.html", kind: "file" }],
        /does not accept|cannot be written/,
      ],
      [[{ flag: "--output", path: "/proc/run_stats.csv", kind: "file" }], /not accept|cannot be/],
      [[
        { flag: "--html", path: `${dir}/same`, kind: "file" },
        { flag: "--json", path: `${dir}/same`, kind: "file" },
      ], /also the path of --html/],
    ];
    for (const [outputs, message] of cases) {
      await assert.rejects(() => preflightOutputs(outputs), (error: Error) => {
        assert.ok(error instanceof UsageError, error.message);
        assert.match(error.message, message);
        assert.ok(!error.message.includes("\n"), "one line");
        return true;
      });
    }
    const entries = [...Deno.readDirSync(dir)].map((e) => e.name);
    assert.deepEqual(entries, ["f"], "nothing was left behind");
    const fine = [
      { flag: "--html", path: `${dir}/a/b/report.html`, kind: "file" as const },
      { flag: "--log-dir", path: `${dir}/logs`, kind: "dir" as const },
    ];
    await preflightOutputs(fine);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["f"]);
    await createOutputFolders(fine);
    assert.ok(Deno.statSync(`${dir}/a/b`).isDirectory);
    assert.ok(Deno.statSync(`${dir}/logs`).isDirectory);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a user count beyond the machine is refused with the limit", () => {
  assert.throws(() => checkUserCount(1_000_000_000, "--users", 24 * 1024 ** 3), (e: Error) => {
    assert.match(e.message, new RegExp(`--users 1000000000 .* \\(limit ${USER_CEILING}`));
    return e instanceof UsageError;
  });
  assert.throws(() => checkUserCount(5_000, "--users", 1024 ** 3), /free memory/);
  checkUserCount(1_000, "--users", 24 * 1024 ** 3);
});

Deno.test("an AWS call to an endpoint that never answers ends at its timeout, naming it", async () => {
  const silent = silentListener();
  const env = {
    AWS_ENDPOINT_URL: silent.url,
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
  };
  const sqs = sqsClient({ region: "us-west-2", timeoutMs: 500, env });
  try {
    await assert.rejects(
      () => sqs.send(new GetQueueUrlCommand({ QueueName: "q" })),
      (error: Error) => {
        assert.ok(error instanceof AwsTimeoutError, String(error));
        assert.ok(error.message.includes(silent.url), error.message);
        assert.match(error.message, /\(GetQueueUrl\) within 0\.5 s/);
        return true;
      },
    );
    // The run's cancellation ends a call at once too, with the SDK's abort error.
    const cancel = new AbortController();
    const cancelled = sqsClient({
      region: "us-west-2",
      timeoutMs: 60_000,
      signal: cancel.signal,
      env,
    });
    const call = cancelled.send(new GetQueueUrlCommand({ QueueName: "q" }));
    setTimeout(() => cancel.abort(), 50);
    await assert.rejects(call, (error: Error) => !(error instanceof AwsTimeoutError));
    cancelled.destroy();
  } finally {
    sqs.destroy();
    await silent.close();
  }
});

Deno.test("the user pool reports running users and survives a quick drop and rise", async () => {
  // No simulator: the users' sends fail against a closed port, which is fine here.
  const pool = await UserPool.start({
    workerCount: 2,
    images: [{
      url: "s3://b/a.tif",
      bucket: "b",
      key: "a.tif",
      name: "a.tif",
      size: 10,
      pixels: 100,
    }],
    mix: [{ kind: "load-test", weight: 1 }],
    settings: {
      region: "us-west-2",
      queueUrl: "http://127.0.0.1:9/000000000000/q",
      modelName: "m",
      resultBucket: "r",
      kinesisStream: "k",
      waitMinMs: 5_000,
      waitMaxMs: 5_000,
      jobTimeoutMs: 1_000,
      maxLatenessMs: 1_000,
      testResultsLocation: "s3://r",
      endpoints: [],
      randomImages: [],
      predefinedRequests: [],
      imageSizes: {},
      awsTimeoutMs: 1_000,
      // Only 127.0.0.1: a closed port and static credentials (no look for instance roles).
      awsEnv: {
        AWS_ENDPOINT_URL_SQS: "http://127.0.0.1:9",
        AWS_ACCESS_KEY_ID: "test",
        AWS_SECRET_ACCESS_KEY: "test",
      },
    },
    onDelta: () => {},
    onJobs: () => {},
    onFatal: (message) => assert.fail(message),
  });
  const until = async (what: () => boolean, label: string) => {
    const deadline = Date.now() + 20_000;
    while (!what()) {
      if (Date.now() > deadline) assert.fail(`timed out waiting for ${label}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  try {
    pool.setTarget(4, 1_000);
    await until(() => pool.runningUsers === 4, "4 running users");
    pool.setTarget(2, 1_000);
    pool.setTarget(4, 1_000);
    await new Promise((r) => setTimeout(r, 1_200));
    await until(() => pool.runningUsers === 4, "4 running users after the drop and rise");
  } finally {
    assert.equal(await pool.stop(10_000), true, "every worker stopped in time");
  }
  assert.equal(pool.runningUsers, 0);
});
