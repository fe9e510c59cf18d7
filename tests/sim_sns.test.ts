// The simulator's SNS through the real @aws-sdk/client-sns (AWS Query protocol over HTTP),
// delivering to queues read with the real @aws-sdk/client-sqs.
import assert from "node:assert/strict";
import {
  CreateTopicCommand,
  DeleteTopicCommand,
  GetSubscriptionAttributesCommand,
  GetTopicAttributesCommand,
  ListSubscriptionsByTopicCommand,
  ListTagsForResourceCommand,
  ListTopicsCommand,
  paginateListSubscriptionsByTopic,
  PublishCommand,
  SetSubscriptionAttributesCommand,
  SNSClient,
  SubscribeCommand,
  TagResourceCommand,
  UnsubscribeCommand,
  UntagResourceCommand,
} from "@aws-sdk/client-sns";
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { simClientConfig } from "../mod/sim/aws/client_config.ts";
import { type Simulator, startSimulator } from "../mod/sim/simulator.ts";
import { errorOf } from "./sim_test_support.ts";

const ENVELOPE_KEYS = [
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

interface Clients {
  sns: SNSClient;
  sqs: SQSClient;
  sim: Simulator;
}

async function withClients(fn: (c: Clients) => Promise<void>): Promise<void> {
  const sim = await startSimulator({ port: 0, seed: false, modelRunner: false });
  const sns = new SNSClient({ ...simClientConfig(sim), maxAttempts: 1 });
  const sqs = new SQSClient({ ...simClientConfig(sim), maxAttempts: 1 });
  try {
    await fn({ sns, sqs, sim });
  } finally {
    sns.destroy();
    sqs.destroy();
    await sim.close();
  }
}

/** What a tool does: create a queue, let the topic send to it, subscribe it. Returns URL and subscription. */
async function subscribedQueue(
  { sns, sqs }: Clients,
  topicArn: string,
  name: string,
  attributes: Record<string, string> = {},
): Promise<{ url: string; arn: string; subscriptionArn: string }> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  const got = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }),
  );
  const arn = got.Attributes!.QueueArn!;
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
            Resource: arn,
            Condition: { ArnEquals: { "aws:SourceArn": topicArn } },
          }],
        }),
      },
    }),
  );
  const sub = await sns.send(
    new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: "sqs",
      Endpoint: arn,
      Attributes: attributes,
      ReturnSubscriptionArn: true,
    }),
  );
  return { url: QueueUrl!, arn, subscriptionArn: sub.SubscriptionArn! };
}

/** Every message on the queue now (delivery is synchronous: Publish has returned). */
async function drain(sqs: SQSClient, url: string): Promise<Message[]> {
  const out: Message[] = [];
  for (;;) {
    const r = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ["All"],
      }),
    );
    if (!r.Messages?.length) return out;
    out.push(...r.Messages);
  }
}

function jobAttrs(jobId: string) {
  return {
    status: { DataType: "String", StringValue: "SUCCESS" },
    job_id: { DataType: "String", StringValue: jobId },
  };
}

Deno.test("sns: topics are created idempotently, listed, described, tagged and deleted with their subscriptions", async () => {
  await withClients(async (c) => {
    const { sns, sim } = c;
    const a = await sns.send(
      new CreateTopicCommand({ Name: "status", Tags: [{ Key: "run", Value: "r1" }] }),
    );
    assert.equal(a.TopicArn, "arn:aws:sns:us-west-2:123456789012:status");
    const again = await sns.send(new CreateTopicCommand({ Name: "status" }));
    assert.equal(again.TopicArn, a.TopicArn);
    await sns.send(new CreateTopicCommand({ Name: "other" }));
    const list = await sns.send(new ListTopicsCommand({}));
    assert.deepEqual(list.Topics?.map((t) => t.TopicArn), [
      a.TopicArn,
      "arn:aws:sns:us-west-2:123456789012:other",
    ]);

    await sns.send(
      new TagResourceCommand({ ResourceArn: a.TopicArn, Tags: [{ Key: "owner", Value: "me" }] }),
    );
    await sns.send(new UntagResourceCommand({ ResourceArn: a.TopicArn, TagKeys: ["run"] }));
    const tags = await sns.send(new ListTagsForResourceCommand({ ResourceArn: a.TopicArn }));
    assert.deepEqual(tags.Tags, [{ Key: "owner", Value: "me" }]);

    const q = await subscribedQueue(c, a.TopicArn!, "status-copy");
    const attrs = await sns.send(new GetTopicAttributesCommand({ TopicArn: a.TopicArn }));
    assert.equal(attrs.Attributes?.SubscriptionsConfirmed, "1");
    assert.equal(attrs.Attributes?.Owner, sim.account);

    await sns.send(new DeleteTopicCommand({ TopicArn: a.TopicArn }));
    await sns.send(new DeleteTopicCommand({ TopicArn: a.TopicArn })); // idempotent, as SNS
    const gone = await errorOf(
      sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: q.subscriptionArn })),
    );
    assert.equal(gone.name, "NotFoundException");
    const noTopic = await errorOf(
      sns.send(new PublishCommand({ TopicArn: a.TopicArn, Message: "x" })),
    );
    assert.equal(noTopic.name, "NotFoundException");
    assert.match(noTopic.message, /Topic does not exist/);
    const badName = await errorOf(sns.send(new CreateTopicCommand({ Name: "bad name!" })));
    assert.equal(badName.name, "InvalidParameterException");
  });
});

Deno.test("sns: a prefix filter on job_id delivers only that run's messages; an unfiltered queue gets all", async () => {
  await withClients(async (c) => {
    const { sns, sqs } = c;
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: "ImageStatusTopic" }));
    const mine = await subscribedQueue(c, TopicArn!, "mine", {
      FilterPolicy: JSON.stringify({ job_id: [{ prefix: "run-abc-" }] }),
    });
    const all = await subscribedQueue(c, TopicArn!, "all");
    const ids = ["run-abc-1", "run-xyz-1", "run-abc-2", "other", "run-ab"];
    const published: string[] = [];
    for (const id of ids) {
      const r = await sns.send(
        new PublishCommand({ TopicArn, Message: `job ${id}`, MessageAttributes: jobAttrs(id) }),
      );
      published.push(r.MessageId!);
    }
    const mineBodies = (await drain(sqs, mine.url)).map((m) => JSON.parse(m.Body!));
    assert.deepEqual(mineBodies.map((b) => b.MessageAttributes.job_id.Value), [
      "run-abc-1",
      "run-abc-2",
    ]);
    assert.deepEqual(mineBodies.map((b) => b.MessageId), [published[0], published[2]]);
    const allBodies = (await drain(sqs, all.url)).map((m) => JSON.parse(m.Body!));
    assert.deepEqual(allBodies.map((b) => b.MessageAttributes.job_id.Value), ids);

    const attrs = await sns.send(
      new GetSubscriptionAttributesCommand({ SubscriptionArn: mine.subscriptionArn }),
    );
    assert.equal(attrs.Attributes?.FilterPolicy, '{"job_id":[{"prefix":"run-abc-"}]}');
    assert.equal(attrs.Attributes?.FilterPolicyScope, "MessageAttributes");
    assert.equal(attrs.Attributes?.RawMessageDelivery, "false");
    assert.equal(attrs.Attributes?.Endpoint, mine.arn);
    assert.equal(attrs.Attributes?.Protocol, "sqs");
    assert.equal(attrs.Attributes?.PendingConfirmation, "false");
  });
});

Deno.test("sns: exact lists, anything-but, exists, numeric, AND across keys, OR within a key", async () => {
  await withClients(async (c) => {
    const { sns, sqs } = c;
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: "t" }));
    const q = await subscribedQueue(c, TopicArn!, "q", {
      FilterPolicy: JSON.stringify({
        status: ["SUCCESS", "FAILED"],
        job_id: [{ "anything-but": ["skip-me"] }],
        processing_duration: [{ numeric: [">", 2, "<=", 10] }, { exists: false }],
      }),
    });
    const cases: [string, Record<string, { DataType: string; StringValue: string }>, boolean][] = [
      ["final without duration", {
        status: { DataType: "String", StringValue: "SUCCESS" },
        job_id: { DataType: "String", StringValue: "j1" },
      }, true],
      ["FAILED with duration 10", {
        status: { DataType: "String", StringValue: "FAILED" },
        job_id: { DataType: "String", StringValue: "j2" },
        processing_duration: { DataType: "Number", StringValue: "10" },
      }, true],
      ["duration 2 is not > 2", {
        status: { DataType: "String", StringValue: "FAILED" },
        job_id: { DataType: "String", StringValue: "j3" },
        processing_duration: { DataType: "Number", StringValue: "2" },
      }, false],
      ["a String duration is not a number", {
        status: { DataType: "String", StringValue: "FAILED" },
        job_id: { DataType: "String", StringValue: "j4" },
        processing_duration: { DataType: "String", StringValue: "5" },
      }, false],
      ["STARTED is not in the list", {
        status: { DataType: "String", StringValue: "STARTED" },
        job_id: { DataType: "String", StringValue: "j5" },
      }, false],
      ["anything-but excludes skip-me", {
        status: { DataType: "String", StringValue: "SUCCESS" },
        job_id: { DataType: "String", StringValue: "skip-me" },
      }, false],
      ["a missing job_id matches no anything-but", {
        status: { DataType: "String", StringValue: "SUCCESS" },
      }, false],
    ];
    for (const [label, attrs] of cases) {
      await sns.send(new PublishCommand({ TopicArn, Message: label, MessageAttributes: attrs }));
    }
    const got = (await drain(sqs, q.url)).map((m) => JSON.parse(m.Body!).Message);
    assert.deepEqual(got, cases.filter((x) => x[2]).map((x) => x[0]));

    // Changing the policy applies to the next publish; "" removes it.
    await sns.send(
      new SetSubscriptionAttributesCommand({
        SubscriptionArn: q.subscriptionArn,
        AttributeName: "FilterPolicy",
        AttributeValue: JSON.stringify({ tags: ["blue"] }),
      }),
    );
    await sns.send(
      new PublishCommand({
        TopicArn,
        Message: "array",
        MessageAttributes: { tags: { DataType: "String.Array", StringValue: '["red","blue"]' } },
      }),
    );
    await sns.send(new PublishCommand({ TopicArn, Message: "no tags" }));
    await sns.send(
      new SetSubscriptionAttributesCommand({
        SubscriptionArn: q.subscriptionArn,
        AttributeName: "FilterPolicy",
        AttributeValue: "",
      }),
    );
    await sns.send(new PublishCommand({ TopicArn, Message: "unfiltered" }));
    assert.deepEqual((await drain(sqs, q.url)).map((m) => JSON.parse(m.Body!).Message), [
      "array",
      "unfiltered",
    ]);

    for (
      const bad of [
        "not json",
        '{"a":"b"}',
        '{"a":[{"prefix":1}]}',
        '{"a":[{"numeric":[">",5,"<",1]}]}',
        '{"a":[{"regex":"x"}]}',
        '{"a":["1"],"b":["1"],"c":["1"],"d":["1"],"e":["1"],"f":["1"]}',
      ]
    ) {
      const e = await errorOf(
        sns.send(
          new SetSubscriptionAttributesCommand({
            SubscriptionArn: q.subscriptionArn,
            AttributeName: "FilterPolicy",
            AttributeValue: bad,
          }),
        ),
      );
      assert.equal(e.name, "InvalidParameterException", bad);
      assert.match(e.message, /FilterPolicy/, bad);
    }
  });
});

Deno.test("sns: FilterPolicyScope MessageBody matches the JSON body, nested keys included", async () => {
  await withClients(async (c) => {
    const { sns, sqs } = c;
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: "t" }));
    const q = await subscribedQueue(c, TopicArn!, "q", {
      FilterPolicyScope: "MessageBody",
      FilterPolicy: JSON.stringify({ job: { id: [{ prefix: "run-1-" }] }, final: [true] }),
    });
    const bodies = [
      { job: { id: "run-1-a" }, final: true },
      { job: { id: "run-2-a" }, final: true },
      { job: { id: "run-1-b" }, final: false },
      { job: [{ id: "x" }, { id: "run-1-c" }], final: true },
    ];
    for (const b of bodies) {
      await sns.send(new PublishCommand({ TopicArn, Message: JSON.stringify(b) }));
    }
    await sns.send(new PublishCommand({ TopicArn, Message: "not json" }));
    const got = (await drain(sqs, q.url)).map((m) => JSON.parse(JSON.parse(m.Body!).Message));
    assert.deepEqual(got, [bodies[0], bodies[3]]);
  });
});

Deno.test("sns: raw delivery sends the bare message with SQS attributes; non-raw sends the fixture envelope", async () => {
  await withClients(async (c) => {
    const { sns, sqs } = c;
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: "ImageStatusTopic" }));
    const raw = await subscribedQueue(c, TopicArn!, "raw", { RawMessageDelivery: "true" });
    const wrapped = await subscribedQueue(c, TopicArn!, "wrapped");
    const message = "StatusMonitor update: RequestStatus.SUCCESS j1: Completed image processing";
    const { MessageId } = await sns.send(
      new PublishCommand({
        TopicArn,
        Message: message,
        MessageAttributes: {
          status: { DataType: "String", StringValue: "SUCCESS" },
          job_id: { DataType: "String", StringValue: "j1" },
          size: { DataType: "Number", StringValue: "42" },
          blob: { DataType: "Binary", BinaryValue: new Uint8Array([1, 2, 3]) },
        },
      }),
    );

    const [r] = await drain(sqs, raw.url);
    assert.equal(r?.Body, message);
    assert.equal(r?.MessageAttributes?.status?.StringValue, "SUCCESS");
    assert.equal(r?.MessageAttributes?.size?.DataType, "Number");
    assert.equal(r?.MessageAttributes?.size?.StringValue, "42");
    assert.deepEqual([...r?.MessageAttributes?.blob?.BinaryValue ?? []], [1, 2, 3]);

    const [w] = await drain(sqs, wrapped.url);
    assert.equal(w?.MessageAttributes, undefined);
    const env = JSON.parse(w!.Body!);
    assert.deepEqual(Object.keys(env), ENVELOPE_KEYS);
    assert.equal(w!.Body, JSON.stringify(env, null, 2));
    assert.equal(env.Type, "Notification");
    assert.equal(env.MessageId, MessageId);
    assert.equal(env.TopicArn, TopicArn);
    assert.equal(env.Message, message);
    assert.match(env.Timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal(env.SignatureVersion, "1");
    assert.equal(atob(env.Signature).length, 256);
    assert.equal(
      env.SigningCertURL,
      "https://sns.us-west-2.amazonaws.com/SimpleNotificationService-0000000000000000000000000000000.pem",
    );
    assert.equal(
      env.UnsubscribeURL,
      `https://sns.us-west-2.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${wrapped.subscriptionArn}`,
    );
    assert.deepEqual(env.MessageAttributes, {
      status: { Type: "String", Value: "SUCCESS" },
      job_id: { Type: "String", Value: "j1" },
      size: { Type: "Number", Value: "42" },
      blob: { Type: "Binary", Value: "AQID" },
    });

    // A Subject sits after TopicArn; no attributes, no MessageAttributes key.
    await sns.send(new PublishCommand({ TopicArn, Message: "plain", Subject: "Hello" }));
    const [s] = await drain(sqs, wrapped.url);
    const plain = JSON.parse(s!.Body!);
    assert.deepEqual(Object.keys(plain).slice(0, 5), [
      "Type",
      "MessageId",
      "TopicArn",
      "Subject",
      "Message",
    ]);
    assert.equal("MessageAttributes" in plain, false);
    assert.deepEqual((await drain(sqs, raw.url)).map((m) => m.Body), ["plain"]);

    // MessageStructure json: the sqs text goes to queues.
    await sns.send(
      new PublishCommand({
        TopicArn,
        MessageStructure: "json",
        Message: JSON.stringify({ default: "for everyone", sqs: "for queues" }),
      }),
    );
    assert.equal((await drain(sqs, raw.url))[0]?.Body, "for queues");
    await drain(sqs, wrapped.url);

    const empty = await errorOf(sns.send(new PublishCommand({ TopicArn, Message: "" })));
    assert.equal(empty.name, "InvalidParameterException");
    const badNumber = await errorOf(
      sns.send(
        new PublishCommand({
          TopicArn,
          Message: "x",
          MessageAttributes: { n: { DataType: "Number", StringValue: "many" } },
        }),
      ),
    );
    assert.equal(badNumber.name, "InvalidParameterValueException");
  });
});

Deno.test("sns: Unsubscribe stops delivery; subscribing twice returns the same subscription", async () => {
  await withClients(async (c) => {
    const { sns, sqs } = c;
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: "t" }));
    const q = await subscribedQueue(c, TopicArn!, "q", { RawMessageDelivery: "true" });
    const same = await sns.send(
      new SubscribeCommand({
        TopicArn,
        Protocol: "sqs",
        Endpoint: q.arn,
        Attributes: { RawMessageDelivery: "true" },
      }),
    );
    assert.equal(same.SubscriptionArn, q.subscriptionArn);
    const conflict = await errorOf(
      sns.send(new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: q.arn })),
    );
    assert.equal(conflict.name, "InvalidParameterException");
    assert.match(conflict.message, /already exists with different attributes/);

    await sns.send(new PublishCommand({ TopicArn, Message: "before" }));
    await sns.send(new UnsubscribeCommand({ SubscriptionArn: q.subscriptionArn }));
    await sns.send(new PublishCommand({ TopicArn, Message: "after" }));
    assert.deepEqual((await drain(sqs, q.url)).map((m) => m.Body), ["before"]);
    const subs = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }));
    assert.deepEqual(subs.Subscriptions ?? [], []);
    const again = await errorOf(
      sns.send(new UnsubscribeCommand({ SubscriptionArn: q.subscriptionArn })),
    );
    assert.equal(again.name, "NotFoundException");

    const email = await errorOf(
      sns.send(new SubscribeCommand({ TopicArn, Protocol: "email", Endpoint: "a@b.c" })),
    );
    assert.equal(email.name, "InvalidParameterException");
    const notArn = await errorOf(
      sns.send(new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: q.url })),
    );
    assert.equal(notArn.name, "InvalidParameterException");
  });
});

Deno.test("sns: a queue whose policy does not let the topic send gets nothing, as in AWS", async () => {
  await withClients(async (c) => {
    const { sns, sqs, sim } = c;
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: "t" }));
    const { TopicArn: otherTopic } = await sns.send(new CreateTopicCommand({ Name: "other" }));
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "no-policy" }));
    const arn = sim.state.queue("no-policy").arn;
    const { SubscriptionArn } = await sns.send(
      new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: arn }),
    );
    await sns.send(new PublishCommand({ TopicArn, Message: "lost" }));
    assert.equal((await drain(sqs, QueueUrl!)).length, 0);
    const sub = sim.state.sns.subscription(SubscriptionArn!);
    assert.equal(sub.failed, 1);
    assert.match(sub.lastDeliveryFailure ?? "", /does not allow sns\.amazonaws\.com/);

    // A policy for another topic does not help; one for this topic does.
    const policy = (topic: string) =>
      JSON.stringify({
        Statement: [{
          Effect: "Allow",
          Principal: { Service: "sns.amazonaws.com" },
          Action: "sqs:SendMessage",
          Resource: arn,
          Condition: { ArnEquals: { "aws:SourceArn": topic } },
        }],
      });
    await sqs.send(
      new SetQueueAttributesCommand({ QueueUrl, Attributes: { Policy: policy(otherTopic!) } }),
    );
    await sns.send(new PublishCommand({ TopicArn, Message: "lost too" }));
    await sqs.send(
      new SetQueueAttributesCommand({ QueueUrl, Attributes: { Policy: policy(TopicArn!) } }),
    );
    await sns.send(new PublishCommand({ TopicArn, Message: "arrives" }));
    assert.deepEqual(
      (await drain(sqs, QueueUrl!)).map((m) => JSON.parse(m.Body!).Message),
      ["arrives"],
    );
    const attrs = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["Policy", "QueueArn"] }),
    );
    assert.equal(attrs.Attributes?.Policy, policy(TopicArn!));
    assert.equal(attrs.Attributes?.QueueArn, arn);
    const bad = await errorOf(
      sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { Policy: "{nope" } })),
    );
    assert.equal(bad.name, "InvalidAttributeValue");
  });
});

Deno.test("sns: ListSubscriptionsByTopic pages by 100", async () => {
  await withClients(async ({ sns, sim }) => {
    sim.state.createTopic("t");
    for (let i = 0; i < 105; i++) {
      sim.state.createQueue(`q${i}`);
      sim.state.subscribeQueue("t", `q${i}`);
    }
    const endpoints: string[] = [];
    let pages = 0;
    for await (
      const page of paginateListSubscriptionsByTopic({ client: sns }, {
        TopicArn: sim.state.sns.topicArn("t"),
      })
    ) {
      pages++;
      endpoints.push(...(page.Subscriptions ?? []).map((s) => s.Endpoint!));
    }
    assert.equal(pages, 2);
    assert.equal(new Set(endpoints).size, 105);
  });
});

Deno.test("sns: unsigned requests are refused; faults apply to SNS operations", async () => {
  await withClients(async ({ sns, sim }) => {
    const res = await fetch(sim.endpoint, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "Action=ListTopics&Version=2010-03-31",
    });
    assert.equal(res.status, 403);
    assert.match(await res.text(), /<Code>MissingAuthenticationToken<\/Code>/);
    sim.faults.set({ deny: ["SNS.CreateTopic"] });
    const denied = await errorOf(sns.send(new CreateTopicCommand({ Name: "t" })));
    assert.equal(denied.name, "AuthorizationErrorException");
    sim.faults.set({ throttle: { probability: 1, operations: ["SNS.ListTopics"] } });
    const throttled = await errorOf(sns.send(new ListTopicsCommand({})));
    assert.equal(throttled.name, "Throttling");
    assert.equal(throttled.$metadata?.httpStatusCode, 400);
  });
});
