// Fault injection in the simulator, each fault observed through the real SDK clients.
import assert from "node:assert/strict";
import {
  CreateQueueCommand,
  ListQueuesCommand,
  SendMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { GetObjectCommand, HeadBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { ECSClient, ListTaskDefinitionsCommand } from "@aws-sdk/client-ecs";
import { ListEndpointsCommand, SageMakerClient } from "@aws-sdk/client-sagemaker";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { simClientConfig } from "../mod/sim/aws/client_config.ts";
import { type Simulator, startSimulator } from "../mod/sim/simulator.ts";
import { FaultInjector } from "../mod/sim/aws/faults.ts";
import { errorOf } from "./sim_test_support.ts";

async function withSim(fn: (sim: Simulator) => Promise<void>): Promise<void> {
  const sim = await startSimulator({ port: 0, seed: false, modelRunner: false });
  try {
    await fn(sim);
  } finally {
    await sim.close();
  }
}

Deno.test("faults: throttling per service and operation (RequestThrottled, SlowDown, ThrottlingException)", async () => {
  await withSim(async (sim) => {
    const cfg = { ...simClientConfig(sim), maxAttempts: 1 };
    const sqs = new SQSClient(cfg);
    const s3 = new S3Client({ ...cfg, forcePathStyle: true });
    const sm = new SageMakerClient(cfg);
    const sts = new STSClient(cfg);
    try {
      sim.state.createBucket("b-1");
      sim.faults.set({
        throttle: {
          probability: 1,
          operations: [
            "SQS.SendMessage",
            "S3.HeadBucket",
            "SageMaker.ListEndpoints",
            "STS.GetCallerIdentity",
          ],
        },
      });
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "q" }));
      const e1 = await errorOf(sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "x" })));
      assert.equal(e1.name, "RequestThrottled");
      const e2 = await errorOf(s3.send(new HeadBucketCommand({ Bucket: "b-1" })));
      assert.equal(e2.$metadata?.httpStatusCode, 503);
      await sim.state.putObject("b-1", "k", "v");
      sim.faults.set({ throttle: { probability: 1, operations: ["S3.GetObject"] } });
      const e2b = await errorOf(s3.send(new GetObjectCommand({ Bucket: "b-1", Key: "k" })));
      assert.equal(e2b.name, "SlowDown");
      sim.faults.set({
        throttle: {
          probability: 1,
          operations: ["SageMaker.ListEndpoints", "STS.GetCallerIdentity"],
        },
      });
      const e3 = await errorOf(sm.send(new ListEndpointsCommand({})));
      assert.equal(e3.name, "ThrottlingException");
      const e4 = await errorOf(sts.send(new GetCallerIdentityCommand({})));
      assert.equal(e4.name, "Throttling");
      // The SDK retries throttling: with retries and probability 0.5 it gets through.
      sim.faults.set({ throttle: { probability: 0.5, operations: ["SQS.ListQueues"] }, seed: 7 });
      const retrying = new SQSClient({
        ...simClientConfig(sim),
        maxAttempts: 10,
        retryMode: "standard",
      });
      try {
        const ok = await retrying.send(new ListQueuesCommand({}));
        assert.equal(ok.QueueUrls?.length, 1);
      } finally {
        retrying.destroy();
      }
    } finally {
      sqs.destroy();
      s3.destroy();
      sm.destroy();
      sts.destroy();
    }
  });
});

Deno.test("faults: internal errors, denial, latency and dropped connections", async () => {
  await withSim(async (sim) => {
    const cfg = { ...simClientConfig(sim), maxAttempts: 1 };
    const ecs = new ECSClient(cfg);
    const s3 = new S3Client({ ...cfg, forcePathStyle: true });
    const sqs = new SQSClient(cfg);
    try {
      sim.faults.set({
        internalError: { probability: 1, operations: ["ECS.ListTaskDefinitions"] },
      });
      const e1 = await errorOf(ecs.send(new ListTaskDefinitionsCommand({})));
      assert.equal(e1.$metadata?.httpStatusCode, 500);
      assert.equal(e1.name, "ServerException");

      sim.state.createBucket("secret");
      sim.faults.set({ deny: ["S3.HeadBucket"] });
      const e2 = await errorOf(s3.send(new HeadBucketCommand({ Bucket: "secret" })));
      assert.equal(e2.$metadata?.httpStatusCode, 403);

      sim.faults.set({ latency: { probability: 1, ms: 300, operations: ["SQS.ListQueues"] } });
      const t0 = performance.now();
      await sqs.send(new ListQueuesCommand({}));
      assert.ok(performance.now() - t0 >= 290, "the answer was delayed by the latency fault");

      sim.faults.set({ dropConnection: { probability: 1, operations: ["SQS.ListQueues"] } });
      const e3 = await errorOf(sqs.send(new ListQueuesCommand({})));
      assert.equal(e3.code, "ECONNRESET", `a network error, got ${e3.name}: ${e3.message}`);

      sim.faults.set({});
      await sqs.send(new ListQueuesCommand({}));
      assert.throws(() => sim.faults.set({ throttle: { probability: 2 } }), /between 0 and 1/);
    } finally {
      ecs.destroy();
      s3.destroy();
      sqs.destroy();
    }
  });
});

Deno.test("faults: the injector is reproducible for a seed and honours operations", () => {
  const pick = (seed: number) => {
    const f = new FaultInjector({ throttle: { probability: 0.3 }, seed });
    return Array.from({ length: 50 }, () => f.decide("SQS.SendMessage").action ?? "-").join("");
  };
  assert.equal(pick(3), pick(3));
  assert.notEqual(pick(3), pick(4));
  const f = new FaultInjector({ internalError: { probability: 1, operations: ["S3.GetObject"] } });
  assert.equal(f.decide("S3.PutObject").action, undefined);
  assert.equal(f.decide("S3.GetObject").action, "internalError");
});

Deno.test("faults: injectStatus puts malformed and foreign messages on the status queue", async () => {
  const sim = await startSimulator({ port: 0, modelRunner: false });
  try {
    const malformed = sim.faults.injectStatus("malformed", 3);
    assert.throws(() => JSON.parse(malformed[0]!));
    assert.equal(JSON.parse(malformed[1]!).MessageAttributes, undefined);
    assert.equal(JSON.parse(malformed[2]!).MessageAttributes.status.Value, "EXPLODED");
    const foreign = sim.faults.injectStatus("foreign", 4);
    for (const body of foreign) {
      const env = JSON.parse(body);
      assert.match(env.MessageAttributes.job_id.Value, /^[0-9a-f]{32}$/);
      assert.equal(env.Type, "Notification");
    }
    assert.equal(sim.state.queue("ImageStatusQueue").counts().visible, 7);
  } finally {
    await sim.close();
  }
});
