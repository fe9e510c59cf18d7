// A private status queue, the way `--status-source subscription` will use it, against the
// seeded simulator: the simulated Model Runner publishes through the status topic, the shared
// status queue still gets every envelope, and a tagged private queue subscribed with a job-id
// prefix filter gets only its run's. Real SNS and SQS SDK clients over HTTP.
import assert from "node:assert/strict";
import {
  ListSubscriptionsByTopicCommand,
  SNSClient,
  SubscribeCommand,
  UnsubscribeCommand,
} from "@aws-sdk/client-sns";
import {
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  ListQueueTagsCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
  TagQueueCommand,
  UntagQueueCommand,
} from "@aws-sdk/client-sqs";
import { simClientConfig } from "../mod/sim/aws/client_config.ts";
import { type Simulator, startSimulator } from "../mod/sim/simulator.ts";
import { errorOf } from "./sim_test_support.ts";

function request(jobId: string): string {
  return JSON.stringify({
    jobName: `load-test-${jobId}`,
    jobId,
    imageUrls: ["s3://osml-test-images-123456789012/small.tif"],
    outputs: [{ type: "S3", bucket: "mr-bucket-sink-123456789012", prefix: `${jobId}/` }],
    imageProcessor: { name: "centerpoint", type: "SM_ENDPOINT" },
    imageProcessorTileSize: 512,
    imageProcessorTileOverlap: 128,
    imageProcessorTileFormat: "GTIFF",
    imageProcessorTileCompression: "NONE",
  });
}

/** Receive until `count` messages arrived (a generous bound catches a hang). */
async function receive(sqs: SQSClient, url: string, count: number): Promise<Message[]> {
  const out: Message[] = [];
  for (let i = 0; i < 60 && out.length < count; i++) {
    const r = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    out.push(...r.Messages ?? []);
  }
  return out;
}

async function withSeeded(fn: (sim: Simulator, sqs: SQSClient, sns: SNSClient) => Promise<void>) {
  const sim = await startSimulator({
    port: 0,
    modelRunner: {
      workers: 2,
      fixedMs: 10,
      msPerMegapixel: 0,
      jitter: 0,
      failureRate: 0,
      partialRate: 0,
      pollWaitMs: 100,
    },
  });
  const sqs = new SQSClient({ ...simClientConfig(sim), maxAttempts: 1 });
  const sns = new SNSClient({ ...simClientConfig(sim), maxAttempts: 1 });
  try {
    await fn(sim, sqs, sns);
  } finally {
    sqs.destroy();
    sns.destroy();
    await sim.close();
  }
}

Deno.test("sns+model runner: statuses reach the shared status queue through the topic and a filtered private queue gets only its run's", async () => {
  await withSeeded(async (sim, sqs, sns) => {
    const seeded = sim.seeded!;
    assert.equal(seeded.statusTopicArn, "arn:aws:sns:us-west-2:123456789012:ImageStatusTopic");
    const subs = await sns.send(
      new ListSubscriptionsByTopicCommand({ TopicArn: seeded.statusTopicArn }),
    );
    assert.deepEqual(subs.Subscriptions?.map((s) => [s.Protocol, s.Endpoint]), [
      ["sqs", "arn:aws:sqs:us-west-2:123456789012:ImageStatusQueue"],
    ]);

    // The tool's private queue: tagged with the run id, the topic allowed to send, a prefix filter.
    const { QueueUrl } = await sqs.send(
      new CreateQueueCommand({
        QueueName: "osml-load-status-run-abc",
        tags: { "osml-load:run-id": "run-abc" },
        Attributes: { MessageRetentionPeriod: "3600" },
      }),
    );
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }),
    );
    const queueArn = Attributes!.QueueArn!;
    await sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl,
        Attributes: {
          Policy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [{
              Effect: "Allow",
              Principal: { Service: "sns.amazonaws.com" },
              Action: "sqs:SendMessage",
              Resource: queueArn,
              Condition: { ArnEquals: { "aws:SourceArn": seeded.statusTopicArn } },
            }],
          }),
        },
      }),
    );
    const { SubscriptionArn } = await sns.send(
      new SubscribeCommand({
        TopicArn: seeded.statusTopicArn,
        Protocol: "sqs",
        Endpoint: queueArn,
        Attributes: { FilterPolicy: JSON.stringify({ job_id: [{ prefix: "run-abc-" }] }) },
        ReturnSubscriptionArn: true,
      }),
    );

    for (const jobId of ["run-abc-0001", "someone-else-0001", "run-abc-0002"]) {
      await sqs.send(
        new SendMessageCommand({ QueueUrl: seeded.requestQueueUrl, MessageBody: request(jobId) }),
      );
    }
    const shared = (await receive(sqs, seeded.statusQueueUrl, 9)).map((m) => JSON.parse(m.Body!));
    const mine = (await receive(sqs, QueueUrl!, 6)).map((m) => JSON.parse(m.Body!));
    const byJob = (bodies: { MessageAttributes: Record<string, { Value: string }> }[]) => {
      const m = new Map<string, string[]>();
      for (const b of bodies) {
        const id = b.MessageAttributes.job_id!.Value;
        m.set(id, [...m.get(id) ?? [], b.MessageAttributes.status!.Value]);
      }
      return Object.fromEntries([...m.entries()].sort());
    };
    const lifecycle = ["STARTED", "IN_PROGRESS", "SUCCESS"];
    assert.deepEqual(byJob(shared), {
      "run-abc-0001": lifecycle,
      "run-abc-0002": lifecycle,
      "someone-else-0001": lifecycle,
    });
    assert.deepEqual(byJob(mine), { "run-abc-0001": lifecycle, "run-abc-0002": lifecycle });
    // The same notification (one MessageId) reaches both queues, each with its own UnsubscribeURL.
    const sharedIds = new Set(shared.map((b) => b.MessageId));
    assert.ok(mine.every((b) => sharedIds.has(b.MessageId)));
    assert.ok(mine.every((b) => b.UnsubscribeURL.endsWith(`SubscriptionArn=${SubscriptionArn}`)));
    assert.ok(shared.every((b) => b.UnsubscribeURL.endsWith(seeded.statusSubscriptionArn)));
    assert.ok(shared.every((b) => b.TopicArn === seeded.statusTopicArn));
    assert.equal(sim.modelRunner!.counters.published, 9);
    assert.equal(sim.state.sns.counters.published, 9);
    assert.equal(sim.state.sns.counters.filteredOut, 3);

    // Cleanup as the tool does it; afterwards the shared queue still gets everything.
    await sns.send(new UnsubscribeCommand({ SubscriptionArn }));
    await sqs.send(new DeleteQueueCommand({ QueueUrl }));
    const gone = await errorOf(
      sqs.send(new GetQueueUrlCommand({ QueueName: "osml-load-status-run-abc" })),
    );
    assert.equal(gone.name, "QueueDoesNotExist");
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: seeded.requestQueueUrl,
        MessageBody: request("run-abc-0003"),
      }),
    );
    assert.equal((await receive(sqs, seeded.statusQueueUrl, 3)).length, 3);
    assert.equal(sim.state.sns.counters.failed, 0);
  });
});

Deno.test("sqs: queue tags, ChangeMessageVisibility(Batch) to hand messages back, DeleteQueue", async () => {
  await withSeeded(async (sim, sqs) => {
    sim.modelRunner!.setOptions({ workers: 0 });
    const { QueueUrl } = await sqs.send(
      new CreateQueueCommand({ QueueName: "private", tags: { run: "r1", owner: "ci" } }),
    );
    await sqs.send(new TagQueueCommand({ QueueUrl, Tags: { stage: "load", run: "r2" } }));
    await sqs.send(new UntagQueueCommand({ QueueUrl, TagKeys: ["owner"] }));
    const tags = await sqs.send(new ListQueueTagsCommand({ QueueUrl }));
    assert.deepEqual(tags.Tags, { run: "r2", stage: "load" });
    const badTag = await errorOf(
      sqs.send(new TagQueueCommand({ QueueUrl, Tags: { "aws:reserved": "x" } })),
    );
    assert.equal(badTag.name, "InvalidParameterValue");

    for (let i = 0; i < 3; i++) {
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: `m${i}` }));
    }
    const got = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 300 }),
    );
    assert.equal(got.Messages?.length, 3);
    const [first, ...rest] = got.Messages!;
    // A consumer that leaves foreign messages alone hands them back at once.
    await sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl,
        ReceiptHandle: first!.ReceiptHandle,
        VisibilityTimeout: 0,
      }),
    );
    const batch = await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl,
        Entries: [
          ...rest.map((m, i) => ({
            Id: `e${i}`,
            ReceiptHandle: m.ReceiptHandle!,
            VisibilityTimeout: 0,
          })),
          { Id: "stale", ReceiptHandle: first!.ReceiptHandle!, VisibilityTimeout: 0 },
        ],
      }),
    );
    assert.deepEqual(batch.Successful?.map((s) => s.Id).sort(), ["e0", "e1"]);
    assert.deepEqual(batch.Failed?.map((f) => [f.Id, f.Code]), [["stale", "MessageNotInflight"]]);
    const again = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    assert.deepEqual(again.Messages?.map((m) => m.Body).sort(), ["m0", "m1", "m2"]);
    assert.ok(again.Messages!.every((m) => m.ReceiptHandle !== first!.ReceiptHandle));

    await sqs.send(new DeleteQueueCommand({ QueueUrl }));
    const list = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: "private" }));
    assert.equal(list.QueueUrls, undefined);
    const deleted = await errorOf(sqs.send(new ListQueueTagsCommand({ QueueUrl })));
    assert.equal(deleted.name, "QueueDoesNotExist");
  });
});
