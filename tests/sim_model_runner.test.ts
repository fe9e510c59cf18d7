// The simulated Model Runner end to end: requests in through the real SQS SDK, statuses out.
import assert from "node:assert/strict";
import {
  type Message,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { simClientConfig } from "../mod/sim/aws/client_config.ts";
import { type Simulator, startSimulator } from "../mod/sim/simulator.ts";
import type { ModelRunnerOptions } from "../mod/sim/model_runner/model_runner.ts";

const FIXTURE_KEYS = [
  "Type",
  "MessageId",
  "TopicArn",
  "Message",
  "Timestamp",
  "SignatureVersion",
  "Signature",
  "SigningCertURL",
  "UnsubscribeURL",
  "MessageAttributes",
];
const FIXTURE_ATTRIBUTE_KEYS = [
  "status",
  "image_status",
  "job_id",
  "image_id",
  "processing_duration",
];

async function withRunner(
  options: Partial<ModelRunnerOptions>,
  fn: (sqs: SQSClient, sim: Simulator) => Promise<void>,
): Promise<void> {
  const sim = await startSimulator({
    port: 0,
    modelRunner: {
      workers: 2,
      fixedMs: 20,
      msPerMegapixel: 0,
      jitter: 0,
      failureRate: 0,
      partialRate: 0,
      pollWaitMs: 100,
      ...options,
    },
  });
  const sqs = new SQSClient({ ...simClientConfig(sim), maxAttempts: 1 });
  try {
    await fn(sqs, sim);
  } finally {
    sqs.destroy();
    await sim.close();
  }
}

function request(jobId: string, key: string, model = "centerpoint"): Record<string, unknown> {
  return {
    jobName: `load-test-${jobId}`,
    jobId,
    imageUrls: [`s3://osml-test-images-123456789012/${key}`],
    outputs: [
      { type: "S3", bucket: "mr-bucket-sink-123456789012", prefix: `load-test-${jobId}/` },
      { type: "Kinesis", stream: "mr-stream-sink-123456789012", batchSize: 1000 },
    ],
    imageProcessor: { name: model, type: "SM_ENDPOINT" },
    imageProcessorTileSize: 512,
    imageProcessorTileOverlap: 128,
    imageProcessorTileFormat: "GTIFF",
    imageProcessorTileCompression: "NONE",
    postProcessing: [
      { step: "FEATURE_DISTILLATION", algorithm: { algorithmType: "NMS", iouThreshold: 0.75 } },
    ],
  };
}

/** Read status messages until `count` arrived (deleting nothing; visibility keeps them hidden). */
async function readStatuses(sqs: SQSClient, sim: Simulator, count: number): Promise<Message[]> {
  const out: Message[] = [];
  for (let i = 0; i < 40 && out.length < count; i++) {
    const r = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: sim.seeded!.statusQueueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
      }),
    );
    out.push(...r.Messages ?? []);
  }
  return out;
}

Deno.test("model runner: a valid request yields STARTED, IN_PROGRESS, SUCCESS shaped like the fixtures", async () => {
  await withRunner({}, async (sqs, sim) => {
    const jobId = "0123456789abcdef0123456789abcdef";
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: sim.seeded!.requestQueueUrl,
        MessageBody: JSON.stringify(request(jobId, "small.tif")),
      }),
    );
    const msgs = await readStatuses(sqs, sim, 3);
    const bodies = msgs.map((m) => JSON.parse(m.Body!));
    assert.deepEqual(bodies.map((b) => b.MessageAttributes.status.Value), [
      "STARTED",
      "IN_PROGRESS",
      "SUCCESS",
    ]);
    // Key order of /work/shared/reference/fixtures/status-envelopes-sns-to-sqs.json.
    for (const b of bodies) {
      assert.deepEqual(Object.keys(b), FIXTURE_KEYS);
      assert.deepEqual(
        Object.keys(b.MessageAttributes),
        FIXTURE_ATTRIBUTE_KEYS.slice(0, b.MessageAttributes.processing_duration ? 5 : 4),
      );
      for (const a of Object.values(b.MessageAttributes)) {
        assert.deepEqual(a, { Type: "String", Value: (a as { Value: string }).Value });
      }
      assert.equal(b.SignatureVersion, "1");
      assert.equal(
        b.SigningCertURL,
        "https://sns.us-west-2.amazonaws.com/SimpleNotificationService-0000000000000000000000000000000.pem",
      );
      assert.match(
        b.UnsubscribeURL,
        /^https:\/\/sns\.us-west-2\.amazonaws\.com\/\?Action=Unsubscribe&SubscriptionArn=arn:aws:sns:us-west-2:123456789012:ImageStatusTopic:[0-9a-f-]{36}$/,
      );
    }
    const imageUrl = "s3://osml-test-images-123456789012/small.tif";
    assert.equal(
      bodies[0].Message,
      `StatusMonitor update: RequestStatus.STARTED ${jobId}: Started image request`,
    );
    assert.equal(
      bodies[1].Message,
      `StatusMonitor update: RequestStatus.IN_PROGRESS ${jobId}: Processing regions`,
    );
    assert.equal(
      bodies[2].Message,
      `StatusMonitor update: RequestStatus.SUCCESS ${jobId}: Completed image processing`,
    );
    for (const b of bodies) {
      assert.equal(b.Type, "Notification");
      assert.equal(b.TopicArn, "arn:aws:sns:us-west-2:123456789012:ImageStatusTopic");
      assert.match(b.Timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      assert.equal(atob(b.Signature).length, 256);
      assert.equal(b.MessageAttributes.image_id.Value, `${jobId}:${imageUrl}`);
      assert.equal(b.MessageAttributes.job_id.Value, jobId);
      assert.equal(b.MessageAttributes.image_status.Value, b.MessageAttributes.status.Value);
    }
    assert.equal(bodies[0].MessageAttributes.processing_duration, undefined);
    // A result object went to the S3 sink.
    const sink = sim.state.s3.buckets.get("mr-bucket-sink-123456789012")!;
    assert.ok(sink.objects.has(`load-test-${jobId}/${jobId}.geojson`));
    assert.equal(sim.modelRunner!.counters.valid, 1);
    assert.equal(sim.modelRunner!.counters.final.SUCCESS, 1);
  });
});

Deno.test("model runner: processing_duration is whole seconds and present when > 0", async () => {
  await withRunner({ fixedMs: 1100 }, async (sqs, sim) => {
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: sim.seeded!.requestQueueUrl,
        MessageBody: JSON.stringify(request("slowjob", "tile.png")),
      }),
    );
    const bodies = (await readStatuses(sqs, sim, 3)).map((m) => JSON.parse(m.Body!));
    const final = bodies[2];
    assert.equal(final.MessageAttributes.status.Value, "SUCCESS");
    assert.match(final.MessageAttributes.processing_duration.Value, /^[1-9]\d*$/);
    assert.deepEqual(Object.keys(final.MessageAttributes), [
      "status",
      "image_status",
      "job_id",
      "image_id",
      "processing_duration",
    ]);
  });
});

Deno.test("model runner: invalid requests go to the DLQ with no status", async () => {
  await withRunner({}, async (sqs, sim) => {
    const bad = [
      "this is not JSON",
      JSON.stringify({ ...request("a", "small.tif"), imageProcessorTileOverlap: 512 }),
      JSON.stringify({
        ...request("b", "small.tif"),
        outputs: [{ type: "s3", bucket: "x", prefix: "y" }],
      }),
      JSON.stringify({ ...request("c", "small.tif"), jobId: "" }),
      JSON.stringify({ ...request("d", "small.tif"), imageProcessorTileFormat: "TIFF" }),
    ];
    for (const body of bad) {
      await sqs.send(
        new SendMessageCommand({ QueueUrl: sim.seeded!.requestQueueUrl, MessageBody: body }),
      );
    }
    const dead: string[] = [];
    for (let i = 0; i < 20 && dead.length < bad.length; i++) {
      const r = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: sim.seeded!.deadLetterQueueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
        }),
      );
      dead.push(...(r.Messages ?? []).map((m) => m.Body!));
    }
    assert.deepEqual(dead.sort(), [...bad].sort());
    assert.equal(sim.modelRunner!.counters.invalid, bad.length);
    assert.equal(sim.modelRunner!.counters.published, 0);
    assert.equal(sim.state.queue("ImageStatusQueue").counts().visible, 0);
    assert.equal(sim.state.queue("ImageRequestQueue").counts().inflight, 0);
  });
});

Deno.test("model runner: a missing image, an unreadable image and an unknown endpoint end FAILED", async () => {
  await withRunner({}, async (sqs, sim) => {
    const cases = [
      request("missing", "no/such/image.tif"),
      request("truncated", "truncated.tif"),
      request("notimage", "notes.txt"),
      request("noendpoint", "small.tif", "no-such-model"),
    ];
    for (const c of cases) {
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: sim.seeded!.requestQueueUrl,
          MessageBody: JSON.stringify(c),
        }),
      );
    }
    const bodies = (await readStatuses(sqs, sim, 8)).map((m) => JSON.parse(m.Body!));
    const byJob = new Map<string, string[]>();
    for (const b of bodies) {
      const id = b.MessageAttributes.job_id.Value;
      byJob.set(id, [...byJob.get(id) ?? [], b.MessageAttributes.status.Value]);
    }
    for (const c of cases) {
      assert.deepEqual(byJob.get(c.jobId as string), ["STARTED", "FAILED"], String(c.jobId));
    }
    assert.equal(sim.modelRunner!.counters.final.FAILED, 4);
  });
});

Deno.test("model runner: failure and partial rates and runtime option changes", async () => {
  await withRunner({ failureRate: 1 }, async (sqs, sim) => {
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: sim.seeded!.requestQueueUrl,
        MessageBody: JSON.stringify(request("doomed", "tile.tif")),
      }),
    );
    let bodies = (await readStatuses(sqs, sim, 3)).map((m) => JSON.parse(m.Body!));
    assert.equal(bodies[2].MessageAttributes.status.Value, "FAILED");
    sim.modelRunner!.setOptions({ failureRate: 0, partialRate: 1, workers: 1 });
    assert.equal(sim.modelRunner!.options.workers, 1);
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: sim.seeded!.requestQueueUrl,
        MessageBody: JSON.stringify(request("halfway", "tile.tif")),
      }),
    );
    bodies = (await readStatuses(sqs, sim, 3)).map((m) => JSON.parse(m.Body!));
    assert.equal(bodies[2].MessageAttributes.status.Value, "PARTIAL");
    assert.throws(() => sim.modelRunner!.setOptions({ failureRate: 2 }), /between 0 and 1/);
    assert.deepEqual(sim.modelRunner!.counters.final, { SUCCESS: 0, PARTIAL: 1, FAILED: 1 });
  });
});
