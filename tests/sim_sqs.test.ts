// The simulator's SQS, through the real @aws-sdk/client-sqs over HTTP.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { simClientConfig } from "../mod/sim/aws/client_config.ts";
import { type Simulator, startSimulator } from "../mod/sim/simulator.ts";
import { errorOf } from "./sim_test_support.ts";

async function withSqs(
  fn: (sqs: SQSClient, sim: Simulator) => Promise<void>,
): Promise<void> {
  const sim = await startSimulator({ port: 0, seed: false, modelRunner: false });
  const sqs = new SQSClient({ ...simClientConfig(sim), maxAttempts: 1 });
  try {
    await fn(sqs, sim);
  } finally {
    sqs.destroy();
    await sim.close();
  }
}

Deno.test("sqs: CreateQueue, GetQueueUrl and ListQueues with prefix and pagination", async () => {
  await withSqs(async (sqs, sim) => {
    for (const name of ["alpha", "beta-1", "beta-2", "beta-3"]) {
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
      assert.equal(QueueUrl, `${sim.endpoint}/${sim.account}/${name}`);
    }
    const { QueueUrl } = await sqs.send(
      new GetQueueUrlCommand({ QueueName: "alpha", QueueOwnerAWSAccountId: sim.account }),
    );
    assert.equal(QueueUrl, `${sim.endpoint}/${sim.account}/alpha`);

    const all = await sqs.send(new ListQueuesCommand({}));
    assert.equal(all.QueueUrls?.length, 4);
    assert.equal(all.NextToken, undefined);

    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await sqs.send(
        new ListQueuesCommand({ QueueNamePrefix: "beta", MaxResults: 2, NextToken: token }),
      );
      seen.push(...page.QueueUrls ?? []);
      token = page.NextToken;
      pages++;
    } while (token);
    assert.equal(pages, 2);
    assert.deepEqual(seen.map((u) => u.split("/").pop()), ["beta-1", "beta-2", "beta-3"]);

    // Same attributes: idempotent. Different: QueueNameExists.
    await sqs.send(new CreateQueueCommand({ QueueName: "alpha" }));
    await sqs.send(
      new CreateQueueCommand({ QueueName: "gamma", Attributes: { VisibilityTimeout: "5" } }),
    );
    const clash = await errorOf(
      sqs.send(
        new CreateQueueCommand({ QueueName: "gamma", Attributes: { VisibilityTimeout: "6" } }),
      ),
    );
    assert.equal(clash.name, "QueueNameExists");
  });
});

Deno.test("sqs: unknown queues give QueueDoesNotExist; bad parameters InvalidParameterValue", async () => {
  await withSqs(async (sqs, sim) => {
    const e1 = await errorOf(sqs.send(new GetQueueUrlCommand({ QueueName: "nope" })));
    assert.equal(e1.name, "QueueDoesNotExist");
    assert.equal(e1.$metadata?.httpStatusCode, 400);
    const e2 = await errorOf(
      sqs.send(
        new SendMessageCommand({
          QueueUrl: `${sim.endpoint}/${sim.account}/nope`,
          MessageBody: "x",
        }),
      ),
    );
    assert.equal(e2.name, "QueueDoesNotExist");
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "q" }));
    const e3 = await errorOf(
      sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 11 })),
    );
    assert.equal(e3.name, "InvalidParameterValue");
    const e4 = await errorOf(
      sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: "garbage" })),
    );
    assert.equal(e4.name, "ReceiptHandleIsInvalid");
    const e5 = await errorOf(
      sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: [] })),
    );
    assert.equal(e5.name, "EmptyBatchRequest");
    const e6 = await errorOf(
      sqs.send(
        new SendMessageBatchCommand({
          QueueUrl,
          Entries: [{ Id: "a", MessageBody: "1" }, { Id: "a", MessageBody: "2" }],
        }),
      ),
    );
    assert.equal(e6.name, "BatchEntryIdsNotDistinct");
    const e7 = await errorOf(
      sqs.send(
        new CreateQueueCommand({ QueueName: "bad", Attributes: { VisibilityTimeout: "-1" } }),
      ),
    );
    assert.equal(e7.name, "InvalidAttributeValue");
  });
});

Deno.test("sqs: send, receive and delete; AWS-form queue URLs; message attributes and MD5s", async () => {
  await withSqs(async (sqs, sim) => {
    await sqs.send(new CreateQueueCommand({ QueueName: "work" }));
    const awsUrl = `https://sqs.${sim.region}.amazonaws.com/${sim.account}/work`;
    const sent = await sqs.send(
      new SendMessageCommand({
        QueueUrl: awsUrl,
        MessageBody: "héllo wörld",
        MessageAttributes: {
          kind: { DataType: "String", StringValue: "test" },
          n: { DataType: "Number", StringValue: "42" },
        },
      }),
    );
    assert.equal(
      sent.MD5OfMessageBody,
      createHash("md5").update("héllo wörld").digest("hex"),
    );
    assert.ok(sent.MessageId);
    assert.ok(sent.MD5OfMessageAttributes);

    const got = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: awsUrl,
        MaxNumberOfMessages: 10,
        MessageSystemAttributeNames: ["All"],
        MessageAttributeNames: ["All"],
      }),
    );
    assert.equal(got.Messages?.length, 1);
    const m = got.Messages![0]!;
    assert.equal(m.Body, "héllo wörld");
    assert.equal(m.MessageId, sent.MessageId);
    assert.equal(m.MD5OfBody, sent.MD5OfMessageBody);
    assert.equal(m.Attributes?.ApproximateReceiveCount, "1");
    assert.ok(Number(m.Attributes?.SentTimestamp) > 0);
    assert.ok(Number(m.Attributes?.ApproximateFirstReceiveTimestamp) > 0);
    assert.equal(m.MessageAttributes?.n?.StringValue, "42");
    assert.equal(m.MD5OfMessageAttributes, sent.MD5OfMessageAttributes);

    await sqs.send(new DeleteMessageCommand({ QueueUrl: awsUrl, ReceiptHandle: m.ReceiptHandle }));
    const empty = await sqs.send(new ReceiveMessageCommand({ QueueUrl: awsUrl }));
    assert.equal(empty.Messages, undefined);
  });
});

Deno.test("sqs: batches of 10 sent, received and deleted; attribute counts", async () => {
  await withSqs(async (sqs) => {
    const { QueueUrl } = await sqs.send(
      new CreateQueueCommand({ QueueName: "batch", Attributes: { VisibilityTimeout: "60" } }),
    );
    for (let b = 0; b < 3; b++) {
      const out = await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl,
          Entries: Array.from({ length: 10 }, (_, i) => ({
            Id: `m${i}`,
            MessageBody: `body ${b}-${i}`,
          })),
        }),
      );
      assert.equal(out.Successful?.length, 10);
      assert.equal(out.Failed?.length ?? 0, 0);
    }
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "later", DelaySeconds: 60 }));
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    assert.equal(got.Messages?.length, 10);
    const attrs = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["All"] }),
    );
    assert.equal(attrs.Attributes?.ApproximateNumberOfMessages, "20");
    assert.equal(attrs.Attributes?.ApproximateNumberOfMessagesNotVisible, "10");
    assert.equal(attrs.Attributes?.ApproximateNumberOfMessagesDelayed, "1");
    assert.equal(attrs.Attributes?.VisibilityTimeout, "60");
    assert.match(attrs.Attributes?.QueueArn ?? "", /^arn:aws:sqs:us-west-2:123456789012:batch$/);

    const del = await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl,
        Entries: got.Messages!.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle })),
      }),
    );
    assert.equal(del.Successful?.length, 10);
    const after = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl,
        AttributeNames: ["ApproximateNumberOfMessagesNotVisible"],
      }),
    );
    assert.deepEqual(after.Attributes, { ApproximateNumberOfMessagesNotVisible: "0" });

    await sqs.send(new PurgeQueueCommand({ QueueUrl }));
    const purged = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["ApproximateNumberOfMessages"] }),
    );
    assert.equal(purged.Attributes?.ApproximateNumberOfMessages, "0");
  });
});

Deno.test("sqs: a long poll returns as soon as a message arrives", async () => {
  await withSqs(async (sqs) => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "poll" }));
    const polling = sqs.send(
      new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20, MaxNumberOfMessages: 10 }),
    );
    await new Promise((r) => setTimeout(r, 100));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "wake up" }));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tooLate = new Promise<"late">((r) => timer = setTimeout(() => r("late"), 10_000));
    const winner = await Promise.race([polling, tooLate]);
    clearTimeout(timer);
    assert.notEqual(winner, "late", "the long poll did not return when the message arrived");
    const got = await polling;
    assert.equal(got.Messages?.[0]?.Body, "wake up");
  });
});

Deno.test("sqs: visibility timeout expiry redelivers; ChangeMessageVisibility", async () => {
  await withSqs(async (sqs) => {
    const { QueueUrl } = await sqs.send(
      new CreateQueueCommand({ QueueName: "vis", Attributes: { VisibilityTimeout: "1" } }),
    );
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "again" }));
    const first = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
    const m1 = first.Messages![0]!;
    const none = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
    assert.equal(none.Messages, undefined, "in flight: not visible");
    // The long poll is woken when the visibility timeout expires.
    const second = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl,
        WaitTimeSeconds: 5,
        MessageSystemAttributeNames: ["ApproximateReceiveCount"],
      }),
    );
    const m2 = second.Messages![0]!;
    assert.equal(m2.MessageId, m1.MessageId);
    assert.notEqual(m2.ReceiptHandle, m1.ReceiptHandle);
    assert.equal(m2.Attributes?.ApproximateReceiveCount, "2");

    await sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl,
        ReceiptHandle: m2.ReceiptHandle,
        VisibilityTimeout: 0,
      }),
    );
    const third = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
    assert.equal(third.Messages?.[0]?.MessageId, m1.MessageId);
    const stale = await errorOf(
      sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl,
          ReceiptHandle: m1.ReceiptHandle,
          VisibilityTimeout: 10,
        }),
      ),
    );
    assert.equal(stale.name, "MessageNotInflight");
  });
});

Deno.test("sqs: redrive to the dead-letter queue after maxReceiveCount", async () => {
  await withSqs(async (sqs, sim) => {
    const dlq = await sqs.send(new CreateQueueCommand({ QueueName: "jobs-dlq" }));
    const { QueueUrl } = await sqs.send(
      new CreateQueueCommand({
        QueueName: "jobs",
        Attributes: {
          RedrivePolicy: JSON.stringify({
            deadLetterTargetArn: `arn:aws:sqs:${sim.region}:${sim.account}:jobs-dlq`,
            maxReceiveCount: 2,
          }),
        },
      }),
    );
    const attrs = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["RedrivePolicy"] }),
    );
    assert.deepEqual(JSON.parse(attrs.Attributes!.RedrivePolicy!), {
      deadLetterTargetArn: `arn:aws:sqs:${sim.region}:${sim.account}:jobs-dlq`,
      maxReceiveCount: 2,
    });
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "poison" }));
    for (let i = 0; i < 2; i++) {
      const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
      assert.equal(got.Messages?.length, 1);
      await sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl,
          ReceiptHandle: got.Messages![0]!.ReceiptHandle,
          VisibilityTimeout: 0,
        }),
      );
    }
    const third = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
    assert.equal(third.Messages, undefined, "moved to the DLQ instead of a 3rd delivery");
    const dead = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: dlq.QueueUrl,
        MessageSystemAttributeNames: ["All"],
      }),
    );
    assert.equal(dead.Messages?.[0]?.Body, "poison");
    assert.equal(
      dead.Messages?.[0]?.Attributes?.DeadLetterQueueSourceArn,
      `arn:aws:sqs:${sim.region}:${sim.account}:jobs`,
    );
  });
});

Deno.test("sqs: a request without Authorization is refused like AWS (403 MissingAuthenticationToken)", async () => {
  await withSqs(async (_sqs, sim) => {
    const res = await fetch(sim.endpoint, {
      method: "POST",
      headers: {
        "content-type": "application/x-amz-json-1.0",
        "x-amz-target": "AmazonSQS.ListQueues",
      },
      body: "{}",
    });
    assert.equal(res.status, 403);
    assert.match(
      res.headers.get("x-amzn-query-error") ?? "",
      /^MissingAuthenticationToken;Sender$/,
    );
    const body = await res.json();
    assert.match(body.__type, /MissingAuthenticationToken$/);
  });
});

Deno.test("sqs: in-process store receive cost does not depend on depth (deque + heap)", async () => {
  await withSqs((_sqs, sim) => {
    const q = sim.state.createQueue("deep", { visibilityTimeout: 30 });
    for (let i = 0; i < 100_000; i++) q.send(`m${i}`);
    assert.equal(q.counts().visible, 100_000);
    return (async () => {
      let received = 0;
      while (received < 1000) {
        const got = await q.receive({ max: 10, waitMs: 0 });
        for (const r of got) q.delete(r.receiptHandle);
        received += got.length;
      }
      assert.deepEqual(q.counts(), { visible: 99_000, inflight: 0, delayed: 0 });
      assert.equal(q.peekVisible()[0]?.body, "m1000", "FIFO order kept");
    })();
  });
});
