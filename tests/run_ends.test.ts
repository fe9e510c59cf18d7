/**
 * Every run ends, on time, with its outputs: the tool as a child process
 * against the simulator (or against an endpoint that never answers), ended by
 * bad input, a failing output, a dead service or a signal. Each test checks
 * the exit code, that the tool exited (the deadline only catches hangs), what
 * was written, and where load ran, that nothing was sent after the stop.
 */
import assert from "node:assert/strict";
import { GetQueueAttributesCommand, GetQueueUrlCommand } from "@aws-sdk/client-sqs";
import { runLoadTest } from "../mod/engine/load_test.ts";
import { sqsClient } from "../mod/aws/sqs_client.ts";
import { ExitCode } from "../mod/exit_codes.ts";
import type { Simulator } from "../mod/sim/simulator.ts";
import { shortRun, withSimulator } from "./engine_test_support.ts";
import { exists, silentListener, simRunArgs, startTool, until } from "./run_test_support.ts";

/** Messages on the simulator's request queue (it runs without Model Runner in these tests). */
async function requestQueueDepth(sim: Simulator): Promise<number> {
  const sqs = sqsClient({ region: sim.region, env: sim.env });
  try {
    const { QueueUrl } = await sqs.send(
      new GetQueueUrlCommand({ QueueName: "ImageRequestQueue" }),
    );
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl,
        AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
      }),
    );
    return Number(Attributes?.ApproximateNumberOfMessages) +
      Number(Attributes?.ApproximateNumberOfMessagesNotVisible);
  } finally {
    sqs.destroy();
  }
}

function assertNothingWritten(dir: string): void {
  const names = [...Deno.readDirSync(dir)].map((e) => e.name);
  assert.deepEqual(names.filter((n) => n !== "f"), [], `nothing written, found ${names}`);
}

Deno.test("bad input is refused before any load: one line, exit 2, nothing written, no job sent", async () => {
  await withSimulator({ modelRunner: false }, async (sim, dir) => {
    await Deno.writeTextFile(`${dir}/f`, "a regular file");
    const cases: Array<[string[], RegExp]> = [
      [["--output", `${dir}/f/run`], /--output .*f is a file, not a folder/],
      [["--json", dir], /--json .*: is a folder/],
      [["--html", "/proc/x.html"], /--html \/proc\/x\.html: /],
      [["--users", "1000000000"], /--users 1000000000 is more than this machine can run/],
      [["--threshold", "Nope Entry:p95<5"], /no request type or entry named "Nope Entry"/],
      [["--threshold", "Submit Image:p95<"], /--threshold/],
    ];
    for (const [extra, message] of cases) {
      const child = startTool(simRunArgs(sim, dir, ["--run-time", "30s", ...extra]), sim.env);
      const { code, stderr } = await child.done;
      assert.equal(code, ExitCode.UsageError, `${extra.join(" ")}: ${stderr}`);
      const errorLines = stderr.split("\n").filter((l) => l.startsWith("error:"));
      assert.equal(errorLines.length, 1, stderr);
      assert.match(errorLines[0]!, message);
      assertNothingWritten(dir);
    }
    assert.equal(await requestQueueDepth(sim), 0, "no job was sent");
  });
});

Deno.test("an endpoint that accepts and never answers: one line naming it, exit 2, within the timeout", async () => {
  const silent = silentListener();
  const dir = await Deno.makeTempDir({ prefix: "osml-load-silent-" });
  try {
    const env = {
      AWS_ENDPOINT_URL: silent.url,
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
      AWS_REGION: "us-west-2",
    };
    const run = startTool(
      [
        "run",
        "--headless",
        "--source-bucket",
        "s3://images",
        "--result-bucket",
        "s3://results",
        "--aws-timeout",
        "2s",
        "--log-dir",
        `${dir}/logs`,
      ],
      env,
      60_000,
    );
    const result = await run.done;
    assert.equal(result.code, ExitCode.UsageError, result.stderr);
    assert.match(result.stderr, new RegExp(`error: no answer from ${silent.url} .* within 2 s`));
    assert.ok(!(await exists(`${dir}/logs/job_status.json`)));

    await Deno.writeTextFile(
      `${dir}/summary.json`,
      JSON.stringify({
        total_image_sent: 1,
        total_image_processed: 1,
        total_image_succeeded: 1,
        total_image_failed: 0,
        total_gb_processed: 1,
        total_pixels_processed: 1,
        start_time: "2026-11-30T10:00:00+00:00",
        stop_time: "2026-11-30T11:00:00+00:00",
      }),
    );
    const cost = startTool(["cost", `${dir}/summary.json`, "--aws-timeout", "2s"], env, 60_000);
    const costResult = await cost.done;
    assert.equal(costResult.code, ExitCode.UsageError, costResult.stderr);
    assert.match(costResult.stderr, /no answer from .* within 2 s/);
  } finally {
    await silent.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("SIGTERM while preparing against a silent endpoint ends at once with exit 130", async () => {
  const silent = silentListener();
  const dir = await Deno.makeTempDir({ prefix: "osml-load-silent-" });
  try {
    const child = startTool(
      [
        "run",
        "--headless",
        "--source-bucket",
        "s3://images",
        "--result-bucket",
        "s3://results",
        "--aws-timeout",
        "60s",
        "--log-dir",
        `${dir}/logs`,
      ],
      {
        AWS_ENDPOINT_URL: silent.url,
        AWS_ACCESS_KEY_ID: "test",
        AWS_SECRET_ACCESS_KEY: "test",
        AWS_REGION: "us-west-2",
      },
      30_000,
    );
    await until(() => child.printed().includes("Searching for task definition"), "discovery");
    child.process.kill("SIGTERM");
    const { code, stderr } = await child.done;
    assert.equal(code, ExitCode.Interrupted, stderr);
    assert.ok(!(await exists(`${dir}/logs/job_status.json`)), "nothing to write before load");
  } finally {
    await silent.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("an output that fails during the run stops the users: exit 4, outputs written, nothing sent after", async () => {
  await withSimulator({ modelRunner: false }, async (sim, dir) => {
    let ticks = 0;
    const result = await runLoadTest(
      shortRun(sim, dir, {
        runTime: "10m",
        output: `${dir}/csv/run`,
        json: `${dir}/stats.json`,
      }),
      {
        write: () => {},
        handleSignals: false,
        extraOutputs: [{
          name: "broken",
          tick() {
            if (++ticks === 3) throw new Error("disk full");
          },
          finish() {},
        }],
      },
    );
    assert.equal(result.exitCode, ExitCode.ToolFailed);
    assert.equal(result.reason, "fatal");
    assert.deepEqual(result.failures, ["broken output: disk full"]);
    const sent = await requestQueueDepth(sim);
    assert.equal(sent, result.jobs.total_image_sent, "every job on the queue was tracked");
    await new Promise((r) => setTimeout(r, 2_000));
    assert.equal(await requestQueueDepth(sim), sent, "no job was sent after the stop");
    const summary = JSON.parse(await Deno.readTextFile(`${dir}/logs/job_summary.json`));
    assert.match(summary.tool_failures, /broken output: disk full/);
    JSON.parse(await Deno.readTextFile(`${dir}/stats.json`));
    assert.ok((await Deno.readTextFile(`${dir}/csv/run_stats.csv`)).includes("Aggregated"));
  });
});

Deno.test("the service dies mid-run: the run ends at its window with failures and every output", async () => {
  await withSimulator({ modelRunner: false }, async (sim, dir) => {
    const child = startTool(
      simRunArgs(sim, dir, [
        "--run-time",
        "8s",
        "--aws-timeout",
        "2s",
        "--output",
        `${dir}/csv/run`,
        "--html",
        `${dir}/report.html`,
      ]),
      sim.env,
    );
    await until(() => exists(`${dir}/logs/job_status.json`), "the first job files");
    await sim.close();
    const { code, stderr } = await child.done;
    assert.equal(code, ExitCode.RunFailed, stderr.slice(-2000));
    const summary = JSON.parse(await Deno.readTextFile(`${dir}/logs/job_summary.json`));
    assert.ok(summary.total_image_sent > 0);
    assert.ok(summary.stop_time);
    const failures = await Deno.readTextFile(`${dir}/csv/run_failures.csv`);
    assert.ok(failures.split("\r\n").length > 2, "the failed sends are in _failures.csv");
    assert.match(await Deno.readTextFile(`${dir}/report.html`), /<\/html>/);
  });
});

Deno.test("SIGTERM with sends hanging: the stop timeout bounds the stop, outputs are written, exit 130", async () => {
  await withSimulator({ modelRunner: false }, async (sim, dir) => {
    const child = startTool(
      simRunArgs(sim, dir, [
        "--run-time",
        "10m",
        "--stop-timeout",
        "2s",
        "--json",
        `${dir}/s.json`,
      ]),
      sim.env,
    );
    await until(() => exists(`${dir}/logs/job_status.json`), "the first job files");
    // From now on every SendMessage hangs far longer than the stop timeout.
    sim.faults.set({ latency: { probability: 1, ms: 60_000, operations: ["SQS.SendMessage"] } });
    await new Promise((r) => setTimeout(r, 500));
    child.process.kill("SIGTERM");
    const { code, stderr } = await child.done;
    assert.equal(code, ExitCode.Interrupted, stderr.slice(-2000));
    assert.match(stderr, /Users did not stop within --stop-timeout/);
    JSON.parse(await Deno.readTextFile(`${dir}/s.json`));
    JSON.parse(await Deno.readTextFile(`${dir}/logs/job_status.json`));
    sim.faults.set({});
  });
});

Deno.test("SIGTERM while waiting for jobs ends the wait: exit 130, open jobs written as in progress", async () => {
  await withSimulator({ modelRunner: false }, async (sim, dir) => {
    const child = startTool(
      simRunArgs(sim, dir, [
        "--run-time",
        "2s",
        "--wait-for-completion",
        "--html",
        `${dir}/r.html`,
      ]),
      sim.env,
    );
    await until(() => child.printed().includes("Waiting for all jobs to complete"), "the drain");
    const sent = await requestQueueDepth(sim);
    child.process.kill("SIGTERM");
    const { code, stderr } = await child.done;
    assert.equal(code, ExitCode.Interrupted, stderr.slice(-2000));
    const summary = JSON.parse(await Deno.readTextFile(`${dir}/logs/job_summary.json`));
    assert.equal(summary.total_image_sent, sent);
    assert.equal(summary.total_image_in_progress, sent, "nothing completed without Model Runner");
    assert.match(await Deno.readTextFile(`${dir}/r.html`), /<\/html>/);
    assert.equal(await requestQueueDepth(sim), sent, "nothing was sent while draining");
  });
});

Deno.test("the service dies while waiting for jobs: the wait ends when the status queue stops answering", async () => {
  await withSimulator({ modelRunner: false }, async (sim, dir) => {
    const child = startTool(
      simRunArgs(sim, dir, [
        "--run-time",
        "3s",
        "--aws-timeout",
        "2s",
        "--wait-for-completion",
        "--completion-timeout",
        "30m",
      ]),
      sim.env,
      150_000,
    );
    await until(() => child.printed().includes("Waiting for all jobs to complete"), "the drain");
    await sim.close();
    const { code, stderr } = await child.done;
    assert.equal(code, ExitCode.RunFailed, stderr.slice(-2000));
    assert.match(stderr, /The status queue has not answered for \d+ s: no longer waiting/);
    const summary = JSON.parse(await Deno.readTextFile(`${dir}/logs/job_summary.json`));
    assert.ok(summary.total_image_timed_out > 0);
    assert.equal(summary.total_image_in_progress, 0);
  });
});

Deno.test("a second run in the same --log-dir is refused before any load; a killed run's lock is taken over", async () => {
  await withSimulator({ modelRunner: false }, async (sim, dir) => {
    const first = startTool(
      simRunArgs(sim, dir, ["--run-time", "10m", "--status-source", "queue"]),
      sim.env,
    );
    await until(() => exists(`${dir}/logs/job_status.json`), "the first run's job files");
    const second = await startTool(simRunArgs(sim, dir, ["--run-time", "5s"]), sim.env).done;
    assert.equal(second.code, ExitCode.UsageError, second.stderr);
    assert.match(second.stderr, /--log-dir .* is in use by another osml-load run \(process \d+\)/);
    first.process.kill("SIGKILL");
    await first.done.catch(() => {});
    // The killed run no longer touches its lock: as it looks a minute later.
    const aMinuteAgo = new Date(Date.now() - 60_000);
    await Deno.utime(`${dir}/logs/.osml-load.lock`, aMinuteAgo, aMinuteAgo);
    const third = await startTool(
      simRunArgs(sim, dir, ["--run-time", "2s", "--status-source", "queue"]),
      sim.env,
    ).done;
    assert.equal(third.code, ExitCode.Ok, third.stderr.slice(-2000));
    assert.ok(!(await exists(`${dir}/logs/.osml-load.lock`)), "the lock is released at the end");
  });
});
