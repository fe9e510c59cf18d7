/**
 * Private status subscriptions against the seeded simulator, with the tool's
 * own SQS/SNS clients over HTTP: two runs at once lose nothing of each other's
 * jobs; a `--keep-foreign-status` run hands other consumers' messages back;
 * the private queue and subscription are gone after a normal end and a failed
 * run; `auto` falls back to the shared queue, with the reason, when Subscribe
 * is denied; the dry run says which source would be used.
 */
import assert from "node:assert/strict";
import { SNSClient } from "@aws-sdk/client-sns";
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  DeleteQueueCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { runLoadTest } from "../mod/engine/load_test.ts";
import { StatusSubscription, SubscriptionSetupError } from "../mod/engine/status_subscription.ts";
import { ExitCode } from "../mod/exit_codes.ts";
import { RunLog } from "../mod/log/run_log.ts";
import { simClientConfig } from "../mod/sim/aws/client_config.ts";
import type { Simulator } from "../mod/sim/simulator.ts";
import { UsageError } from "../mod/usage_error.ts";
import { lineSink, shortRun, withSimulator } from "./engine_test_support.ts";
import { privateResources as leftovers } from "./status_subscription_support.ts";

const FAST_MODEL_RUNNER = { modelRunner: { msPerMegapixel: 0.05, fixedMs: 10 } };
const TOPIC = "arn:aws:sns:us-west-2:123456789012:ImageStatusTopic";

function logged(): { log: RunLog; lines: string[] } {
  const lines: string[] = [];
  return { log: new RunLog({ verbose: false, console: (line) => lines.push(line) }), lines };
}

/** The simulator as a third party sees it: plain SDK clients. */
function clients(sim: Simulator): { sqs: SQSClient; sns: SNSClient; close(): void } {
  const sqs = new SQSClient({ ...simClientConfig(sim), maxAttempts: 1 });
  const sns = new SNSClient({ ...simClientConfig(sim), maxAttempts: 1 });
  return {
    sqs,
    sns,
    close() {
      sqs.destroy();
      sns.destroy();
    },
  };
}

/** Job ids of a run, from its job_status.json. */
async function jobIds(logDir: string): Promise<string[]> {
  const status = JSON.parse(await Deno.readTextFile(`${logDir}/job_status.json`));
  return Object.values(status).map((r) => (r as { job_id: string }).job_id);
}

/** `job_id` of a status envelope body. */
function jobIdOf(message: Message): string {
  return JSON.parse(message.Body ?? "{}").MessageAttributes?.job_id?.Value ?? "";
}

/** Receive everything on `url` until a receive comes back empty (bounded). */
async function drain(sqs: SQSClient, url: string): Promise<Message[]> {
  const out: Message[] = [];
  for (let i = 0; i < 500; i++) {
    const r = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    if (!r.Messages?.length) break;
    out.push(...r.Messages);
  }
  return out;
}

Deno.test("two subscription runs at once against one deployment each see all of their jobs and none of the other's", async () => {
  await withSimulator(FAST_MODEL_RUNNER, async (sim, dir) => {
    const flags = { runTime: "3s", waitForCompletion: true, statusSource: "subscription" };
    const options = { handleSignals: false, write: () => {} };
    const [a, b] = await Promise.all([
      runLoadTest(shortRun(sim, `${dir}/a`, flags), { ...options, log: logged().log }),
      runLoadTest(shortRun(sim, `${dir}/b`, flags), { ...options, log: logged().log }),
    ]);
    for (const [result, name] of [[a, "a"], [b, "b"]] as const) {
      // (The simulator fails some jobs on purpose: exit 1 by Locust's rule.)
      assert.ok(
        result.exitCode === ExitCode.Ok || result.exitCode === ExitCode.RunFailed,
        `${name}: exit ${result.exitCode}`,
      );
      assert.ok(result.jobs.total_image_sent > 0, name);
      assert.equal(result.jobs.total_image_in_progress, 0, `${name}: every job was seen to end`);
      assert.equal(result.jobs.total_image_processed, result.jobs.total_image_sent, name);
      const summary = JSON.parse(await Deno.readTextFile(`${dir}/${name}/logs/job_summary.json`));
      assert.equal(summary.status_messages_foreign, 0, `${name} read only its own jobs`);
      const ids = await jobIds(`${dir}/${name}/logs`);
      const prefix = result.prepared!.runId;
      assert.match(prefix, /^[0-9a-f]{8}$/);
      assert.ok(ids.every((id) => /^[0-9a-f]{32}$/.test(id) && id.startsWith(prefix)), name);
      const row = result.prepared!.configuration.find(([label]) => label === "Status source");
      assert.match(row![1], new RegExp(`^private queue osml-load-${prefix} subscribed to`));
    }
    assert.notEqual(a.prepared!.runId, b.prepared!.runId);
    assert.equal(
      sim.modelRunner!.counters.final.SUCCESS + sim.modelRunner!.counters.final.FAILED +
        sim.modelRunner!.counters.final.PARTIAL,
      a.jobs.total_image_sent + b.jobs.total_image_sent,
    );
    // Fan-out took nothing from the shared status queue: every status is still there.
    const shared = sim.state.queue("ImageStatusQueue").counts();
    assert.equal(shared.visible, sim.modelRunner!.counters.published);
    // Both runs removed their queue and subscription.
    assert.deepEqual(await leftovers(sim), { queues: [], subscriptions: [] });
  });
});

Deno.test("a subscription run and a --keep-foreign-status queue run at once both see all of their jobs", async () => {
  await withSimulator(FAST_MODEL_RUNNER, async (sim, dir) => {
    const options = { handleSignals: false, write: () => {} };
    const [a, b] = await Promise.all([
      runLoadTest(
        shortRun(sim, `${dir}/a`, {
          runTime: "3s",
          waitForCompletion: true,
          statusSource: "subscription",
        }),
        { ...options, log: logged().log },
      ),
      runLoadTest(
        shortRun(sim, `${dir}/b`, {
          runTime: "3s",
          waitForCompletion: true,
          statusSource: "queue",
          keepForeignStatus: true,
        }),
        { ...options, log: logged().log },
      ),
    ]);
    for (const result of [a, b]) {
      assert.ok(result.jobs.total_image_sent > 0);
      assert.equal(result.jobs.total_image_in_progress, 0, "every job was seen to end");
      assert.equal(result.jobs.total_image_processed, result.jobs.total_image_sent);
    }
    const rowB = b.prepared!.configuration.find(([label]) => label === "Status monitor");
    assert.match(rowB![1], /hands other consumers' messages back/);
    const summaryB = JSON.parse(await Deno.readTextFile(`${dir}/b/logs/job_summary.json`));
    assert.ok(summaryB.status_messages_foreign > 0, "b saw a's statuses on the shared queue");
    // The queue run deleted its own statuses and handed a's back: they are all still there.
    const c = clients(sim);
    try {
      const rest = await drain(c.sqs, sim.seeded!.statusQueueUrl);
      const aPrefix = a.prepared!.runId;
      const bPrefix = b.prepared!.runId;
      assert.equal(rest.filter((m) => jobIdOf(m).startsWith(bPrefix)).length, 0);
      const aJobs = new Set(rest.map(jobIdOf).filter((id) => id.startsWith(aPrefix)));
      assert.deepEqual([...aJobs].sort(), (await jobIds(`${dir}/a/logs`)).sort());
    } finally {
      c.close();
    }
    assert.deepEqual(await leftovers(sim), { queues: [], subscriptions: [] });
  });
});

Deno.test("a third consumer of the shared status queue gets every message of its jobs while a --keep-foreign-status run goes", async () => {
  await withSimulator(FAST_MODEL_RUNNER, async (sim, dir) => {
    const c = clients(sim);
    const stop = new AbortController();
    const third = new Map<string, string[]>();
    const thirdJobs = Array.from({ length: 20 }, (_, i) => `third-party-${i}`);
    // Done when every job's three statuses arrived (a standard queue may hand a job's STARTED
    // over after its SUCCESS: waiting for the terminal one only raced on a busy machine).
    const complete = () =>
      thirdJobs.every((id) => {
        const got = third.get(id) ?? [];
        return got.includes("STARTED") && got.includes("IN_PROGRESS") &&
          ["SUCCESS", "FAILED", "PARTIAL"].some((s) => got.includes(s));
      });
    // The third consumer: takes its own jobs' statuses, hands everything else back at once.
    const consumer = (async () => {
      while (!complete()) {
        // A slow consumer: the run's monitor sees most messages first.
        await new Promise((r) => setTimeout(r, 300));
        const r = await c.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: sim.seeded!.statusQueueUrl,
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: 1,
            VisibilityTimeout: 30,
          }),
        );
        const mine = (r.Messages ?? []).filter((m) => jobIdOf(m).startsWith("third-party-"));
        const others = (r.Messages ?? []).filter((m) => !jobIdOf(m).startsWith("third-party-"));
        for (const m of mine) {
          const body = JSON.parse(m.Body!);
          const id = jobIdOf(m);
          third.set(id, [...third.get(id) ?? [], body.MessageAttributes.status.Value]);
        }
        if (mine.length) {
          await c.sqs.send(
            new DeleteMessageBatchCommand({
              QueueUrl: sim.seeded!.statusQueueUrl,
              Entries: mine.map((m, i) => ({ Id: `${i}`, ReceiptHandle: m.ReceiptHandle! })),
            }),
          );
        }
        if (others.length) {
          await c.sqs.send(
            new ChangeMessageVisibilityBatchCommand({
              QueueUrl: sim.seeded!.statusQueueUrl,
              Entries: others.map((m, i) => ({
                Id: `${i}`,
                ReceiptHandle: m.ReceiptHandle!,
                VisibilityTimeout: 0,
              })),
            }),
          );
        }
      }
      stop.abort();
    })();
    // The run ends when the third consumer has everything, or after 25 s: less than the 30 s a
    // monitor that held foreign messages (instead of handing them back) would hide them for.
    const deadline = setTimeout(() => stop.abort(), 25_000);
    try {
      const result = await runLoadTest(
        shortRun(sim, dir, { runTime: "10m", statusSource: "queue", keepForeignStatus: true }),
        {
          handleSignals: false,
          write: () => {},
          log: logged().log,
          signal: stop.signal,
          onStarted: () => {
            for (const jobId of thirdJobs) {
              c.sqs.send(
                new SendMessageCommand({
                  QueueUrl: sim.seeded!.requestQueueUrl,
                  MessageBody: JSON.stringify({
                    jobName: `someone-${jobId}`,
                    jobId,
                    imageUrls: [`s3://osml-test-images-${sim.account}/small.tif`],
                    outputs: [{
                      type: "S3",
                      bucket: `mr-bucket-sink-${sim.account}`,
                      prefix: "x/",
                    }],
                    imageProcessor: { name: "centerpoint", type: "SM_ENDPOINT" },
                    imageProcessorTileSize: 512,
                    imageProcessorTileOverlap: 128,
                    imageProcessorTileFormat: "GTIFF",
                    imageProcessorTileCompression: "NONE",
                  }),
                }),
              );
            }
          },
        },
      );
      assert.ok(
        complete(),
        `the third consumer got every status: ${JSON.stringify([...third])}`,
      );
      for (const id of thirdJobs) {
        // Every status, once (a standard queue may hand them over in any order).
        const got = third.get(id) ?? [];
        assert.equal(got.length, 3, `${id}: ${got}`);
        assert.ok(got.includes("STARTED") && got.includes("IN_PROGRESS"), `${id}: ${got}`);
      }
      assert.equal(result.reason, "interrupted", "the run was still going");
      assert.ok(result.jobs.total_image_sent > 0);
      const summary = JSON.parse(await Deno.readTextFile(`${dir}/logs/job_summary.json`));
      assert.ok(
        summary.status_messages_foreign > 0,
        "the run received the third consumer's statuses first, and handed them back",
      );
    } finally {
      clearTimeout(deadline);
      stop.abort();
      await consumer.catch(() => {});
      c.close();
    }
  });
});

Deno.test("the private queue and subscription are removed after a failed run (an output that throws)", async () => {
  await withSimulator({ modelRunner: false }, async (sim, dir) => {
    let ticks = 0;
    let during: Awaited<ReturnType<typeof leftovers>> | undefined;
    const result = await runLoadTest(
      shortRun(sim, dir, { runTime: "10m", statusSource: "subscription" }),
      {
        write: () => {},
        handleSignals: false,
        log: logged().log,
        extraOutputs: [{
          name: "broken",
          async tick() {
            if (++ticks === 2) {
              during = await leftovers(sim);
              throw new Error("disk full");
            }
          },
          finish() {},
        }],
      },
    );
    assert.equal(result.exitCode, ExitCode.ToolFailed);
    assert.deepEqual(result.failures, ["broken output: disk full"]);
    assert.equal(during?.queues.length, 1, "the run had its private queue");
    assert.equal(during?.subscriptions.length, 1, "and its subscription");
    assert.deepEqual(await leftovers(sim), { queues: [], subscriptions: [] });
  });
});

Deno.test("auto falls back to the shared queue, saying why, when Subscribe is denied; subscription then refuses", async () => {
  await withSimulator(FAST_MODEL_RUNNER, async (sim, dir) => {
    sim.faults.set({ deny: ["SNS.Subscribe"] });
    const { log, lines } = logged();
    const result = await runLoadTest(
      shortRun(sim, dir, { runTime: "2s", waitForCompletion: true }),
      { handleSignals: false, write: () => {}, log },
    );
    const why = lines.find((line) => line.includes("Status source:"));
    assert.match(why ?? "", /WARNING/);
    assert.match(
      why ?? "",
      /shared queue ImageStatusQueue \(auto: a private subscription was not possible: sns:Subscribe on ImageStatusTopic was denied \(AuthorizationError\); grant sns:Subscribe/,
    );
    const row = result.prepared!.configuration.find(([label]) => label === "Status source");
    assert.match(row![1], /^shared queue ImageStatusQueue \(auto: a private subscription/);
    assert.equal(result.jobs.total_image_in_progress, 0, "the shared queue still works");
    assert.ok(result.jobs.total_image_sent > 0);
    // The queue made before Subscribe failed was removed again.
    assert.deepEqual(await leftovers(sim), { queues: [], subscriptions: [] });

    await assert.rejects(
      runLoadTest(shortRun(sim, dir, { runTime: "2s", statusSource: "subscription" }), {
        handleSignals: false,
        write: () => {},
        log: logged().log,
      }),
      (e: Error) =>
        e instanceof UsageError &&
        /could not make the private status subscription: sns:Subscribe on ImageStatusTopic was denied \(AuthorizationError\): grant sns:Subscribe \(see deploy\/iam-policy.json\), or pass --status-source queue/
          .test(e.message),
    );
    assert.deepEqual(await leftovers(sim), { queues: [], subscriptions: [] });
  });
});

Deno.test("--dry-run says which status source a run would use, and creates nothing", async () => {
  await withSimulator({ modelRunner: false }, async (sim, dir) => {
    const text = async (flags: Record<string, string | boolean>) => {
      const sink = lineSink();
      await runLoadTest(shortRun(sim, dir, { dryRun: true, ...flags }), {
        handleSignals: false,
        write: sink.write,
        log: logged().log,
      });
      return sink.lines.join("\n");
    };
    let out = await text({});
    assert.match(out, new RegExp(`Status topic\\s+${TOPIC} \\(IMAGE_STATUS_TOPIC\\)`));
    assert.match(
      out,
      /Status source\s+private queue osml-load-[0-9a-f]{8} subscribed to ImageStatusTopic, job ids [0-9a-f]{8}… \(auto: made at start; the shared queue ImageStatusQueue if not allowed\)/,
    );
    out = await text({ statusSource: "queue", keepForeignStatus: true });
    assert.match(out, /Status source\s+shared queue ImageStatusQueue \(--status-source queue\)/);
    assert.match(out, /Status monitor\s+hands other consumers' messages back at once/);
    out = await text({ mrStatusTopic: "OtherTopic", statusSource: "subscription" });
    assert.match(
      out,
      /Status topic\s+arn:aws:sns:us-west-2:123456789012:OtherTopic \(--mr-status-topic\)/,
    );
    assert.deepEqual(await leftovers(sim), { queues: [], subscriptions: [] });

    // Without a topic, auto says so and subscription is refused.
    sim.state.registerTaskDefinition({
      family: "zz-ModelRunnerDataplane",
      containerDefinitions: [{
        name: "c",
        environment: [{ name: "IMAGE_QUEUE", value: "ImageRequestQueue" }],
      }],
    });
    out = await text({});
    assert.match(out, /Status topic\s+\(unknown\)/);
    assert.match(
      out,
      /Status source\s+shared queue ImageStatusQueue \(auto: the status topic is unknown/,
    );
    await assert.rejects(
      text({ statusSource: "subscription" }),
      (e: Error) =>
        e instanceof UsageError &&
        /--status-source subscription needs Model Runner's status topic.*pass --mr-status-topic/
          .test(e.message),
    );
  });
});

Deno.test("a subscription's setup rolls back on a denied step, and its teardown is idempotent", async () => {
  await withSimulator({ modelRunner: false }, async (sim) => {
    sim.faults.set({ deny: ["SQS.SetQueueAttributes"] });
    const denied = await StatusSubscription.create({
      region: sim.region,
      env: sim.env,
      topicArn: TOPIC,
      runId: "0badcafe",
    }).catch((e) => e);
    assert.ok(denied instanceof SubscriptionSetupError);
    assert.equal(denied.step, "SetQueueAttributes");
    assert.equal(denied.denied, true);
    assert.match(denied.message, /sqs:SetQueueAttributes on osml-load-0badcafe was denied/);
    assert.deepEqual(await leftovers(sim), { queues: [], subscriptions: [] });

    sim.faults.set({});
    const sub = await StatusSubscription.create({
      region: sim.region,
      env: sim.env,
      topicArn: TOPIC,
      runId: "0badcafe",
    });
    assert.equal(sub.queueName, "osml-load-0badcafe");
    assert.equal((await leftovers(sim)).subscriptions.length, 1);
    // The queue vanishes behind the tool's back: teardown still ends with nothing left.
    const c = clients(sim);
    await c.sqs.send(new DeleteQueueCommand({ QueueUrl: sub.queueUrl }));
    c.close();
    const [first, second] = await Promise.all([sub.teardown(5_000), sub.teardown(5_000)]);
    assert.equal(first, second, "a call while one runs shares it");
    assert.deepEqual(first.left, []);
    assert.deepEqual(first.removed.map((r) => r.split(" ")[0]), ["subscription", "queue"]);
    assert.deepEqual(await sub.teardown(5_000), { removed: [], left: [] }, "then nothing to do");
    assert.ok(sub.removed);
    assert.deepEqual(await leftovers(sim), { queues: [], subscriptions: [] });
  });
});
