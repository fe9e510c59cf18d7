// The status monitor's polling against a second SQS implementation: a minimal JSON-protocol server
// written here (not the simulator), which answers receives as the test scripts them and records
// what the real @aws-sdk/client-sqs in the monitor worker asked for.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { StatusMonitor } from "../mod/engine/status_monitor.ts";
import type { StatusEvent } from "../mod/engine/worker_messages.ts";

const ENVELOPE = JSON.stringify({
  Type: "Notification",
  MessageId: "m-1",
  Message: "StatusMonitor update: RequestStatus.SUCCESS job1: done",
  Timestamp: new Date().toISOString(),
  MessageAttributes: {
    status: { Type: "String", Value: "SUCCESS" },
    image_id: { Type: "String", Value: "job1:s3://b/k.tif" },
    job_id: { Type: "String", Value: "job1" },
    processing_duration: { Type: "String", Value: "3" },
  },
});

Deno.test("a quiet status queue is long-polled for 20 s at a time; a receive that brings statuses, or fails, goes back to 5 s", async () => {
  /** What each receive answers, in order: empty, one status, empty, an error, then hold. */
  const script: ("empty" | "status" | "fail" | "hold")[] = [
    "empty",
    "status",
    "empty",
    "fail",
    "hold",
  ];
  const waits: number[] = [];
  const deletes: string[][] = [];
  let held: (() => void) | undefined;
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    async (request) => {
      const target = request.headers.get("x-amz-target") ?? "";
      const body = await request.json();
      const reply = (payload: unknown) =>
        new Response(JSON.stringify(payload), {
          headers: { "content-type": "application/x-amz-json-1.0" },
        });
      if (target.endsWith(".DeleteMessageBatch")) {
        deletes.push(body.Entries.map((e: { ReceiptHandle: string }) => e.ReceiptHandle));
        return reply({ Successful: body.Entries.map((e: { Id: string }) => ({ Id: e.Id })) });
      }
      assert.ok(target.endsWith(".ReceiveMessage"), `unexpected call ${target}`);
      waits.push(body.WaitTimeSeconds);
      const step = script.shift() ?? "hold";
      if (step === "status") {
        return reply({
          Messages: [{
            MessageId: "m-1",
            ReceiptHandle: "rh-1",
            Body: ENVELOPE,
            MD5OfBody: createHash("md5").update(ENVELOPE).digest("hex"),
          }],
        });
      }
      if (step === "fail") {
        // Not retried by the SDK: the monitor sees the failure at once.
        return new Response(
          JSON.stringify({ __type: "com.amazonaws.sqs#QueueDoesNotExist", message: "gone" }),
          { status: 400, headers: { "content-type": "application/x-amz-json-1.0" } },
        );
      }
      if (step === "hold") {
        // As SQS does while the queue stays empty: no answer within the wait (the stop aborts it).
        await new Promise<void>((resolve) => (held = resolve));
      }
      return reply({});
    },
  );
  const events: StatusEvent[] = [];
  const warnings: string[] = [];
  const monitor = StatusMonitor.start({
    region: "us-west-2",
    queueUrl: `http://127.0.0.1:${server.addr.port}/000000000000/status`,
    keepForeign: false,
    awsTimeoutMs: 5_000,
    awsEnv: {
      AWS_ENDPOINT_URL_SQS: `http://127.0.0.1:${server.addr.port}`,
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
    },
    onEvents: (e) => events.push(...e),
    onWarning: (w) => warnings.push(w),
    onFatal: (message) => assert.fail(message),
  });
  try {
    const deadline = Date.now() + 30_000;
    while (waits.length < 5) {
      if (Date.now() > deadline) assert.fail(`only ${waits.length} receive(s) arrived`);
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    await monitor.stop(10_000);
    held?.();
    await server.shutdown();
  }
  assert.deepEqual(
    waits,
    [5, 20, 5, 20, 5],
    "5 s (upstream's wait), 20 s once the queue was quiet, 5 s again after a failure",
  );
  assert.deepEqual(events.map((e) => [e.imageId, e.status]), [["job1:s3://b/k.tif", "SUCCESS"]]);
  assert.deepEqual(deletes, [["rh-1"]], "the status was deleted");
  assert.equal(warnings.length, 1, warnings.join("; "));
  assert.match(warnings[0]!, /status queue receive failed .*retrying/);
});
