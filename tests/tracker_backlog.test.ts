/**
 * Backlog: unknown is not zero (finding 2 of issue 13). A GetQueueAttributes answer without
 * `Attributes` was read as a backlog of 0 while the queue held 1,587 messages, and the
 * capacity search decided on that number.
 */
import assert from "node:assert/strict";
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { BacklogSampler } from "../mod/engine/backlog_sampler.ts";
import { simClientConfig } from "../mod/sim/aws/client_config.ts";
import { setSqsQuirks } from "../mod/sim/aws/sqs_api.ts";
import { startSimulator } from "../mod/sim/simulator.ts";
import { capacityShape } from "../mod/shapes/capacity_shape.ts";
import { formatCapacityReport } from "../mod/shapes/capacity_report.ts";
import type { ShapeObservation } from "../mod/shapes/load_shape.ts";
import { timelinePoint } from "../mod/engine/timeline_point.ts";
import { StatsAggregator } from "../mod/stats/aggregator.ts";
import { JobTracker } from "../mod/tracker/job_tracker.ts";

Deno.test("a GetQueueAttributes answer without Attributes is an unknown backlog, warned once", async () => {
  const sim = await startSimulator({ port: 0, modelRunner: false });
  const sqs = new SQSClient({ ...simClientConfig(sim), maxAttempts: 1 });
  try {
    const queueUrl = sim.state.queue("ImageRequestQueue").url;
    for (let i = 0; i < 3; i++) {
      await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: `job ${i}` }));
    }
    const errors: string[] = [];
    const warnings: string[] = [];
    const backlog = new BacklogSampler(
      sqs,
      queueUrl,
      (m) => errors.push(m),
      (m) => warnings.push(m),
    );
    assert.equal(backlog.depth, null, "unknown before the first sample");
    setSqsQuirks(sim.state.sqs, { attributesMissingFor: ["ImageRequestQueue"] });
    await backlog.sample();
    await backlog.sample();
    assert.equal(backlog.depth, null);
    assert.equal(backlog.max, null, "no backlog was ever read");
    assert.match(backlog.unknownReason ?? "", /without Attributes/);
    assert.equal(errors.length, 2);
    assert.equal(warnings.length, 1, "warned once");
    assert.match(warnings[0]!, /backlog is unknown .*not 0/);

    setSqsQuirks(sim.state.sqs, {});
    await backlog.sample();
    assert.equal(backlog.depth, 3);
    assert.equal(backlog.max, 3);
    assert.equal(backlog.unknownReason, undefined);

    sim.faults.set({ deny: ["SQS.GetQueueAttributes"] });
    await backlog.sample();
    assert.equal(backlog.depth, null, "a failed call is unknown too, not the last value");
    assert.equal(backlog.max, 3);
    assert.match(backlog.unknownReason ?? "", /GetQueueAttributes failed/);
    assert.equal(warnings.length, 1, "still warned only once");
    assert.equal(backlog.unknownSamples, 3);
    assert.equal(backlog.samples, 4);

    // The timeline keeps the gap: null, not 0.
    const point = timelinePoint(Date.now(), {
      stats: new StatsAggregator(),
      jobs: new JobTracker().statistics(),
      users: 0,
      queueDepth: backlog.depth,
      targetRate: undefined,
    });
    assert.equal(point.queueDepth, null);
  } finally {
    sqs.destroy();
    await sim.close();
  }
});

/** Drive a capacity search for one 10 s step with the given backlog and finished jobs. */
function oneStep(backlog: number | null, latencyMs: number | null) {
  const search = capacityShape({
    startRate: 5,
    step: 5,
    stepS: 10,
    maxLatencyMs: 60_000,
    maxFailRatio: 0.5,
    users: 10,
    maxSteps: 5,
  });
  for (let t = 0; t <= 10; t++) {
    const done = latencyMs === null ? 0 : t * 5;
    const observation: ShapeObservation = {
      elapsedS: t,
      backlog,
      jobsSent: t * 5,
      scheduled: t * 5,
      dropped: 0,
      jobsDone: done,
      jobsFailed: 0,
      gbDone: 0,
      pixelsDone: 0,
      latency: new Map(latencyMs === null || done === 0 ? [] : [[latencyMs, done]]),
    };
    search.observe!(observation);
  }
  return search;
}

Deno.test("the capacity search decides on latency alone when the backlog is unknown", () => {
  const fine = oneStep(null, 2_000).steps()[0]!;
  assert.equal(fine.verdict, "ok");
  assert.equal(fine.decidedOn, "latency");
  assert.equal(fine.backlogUnknown, true);
  assert.equal(fine.backlogStart, null);
  assert.equal(fine.backlogEnd, null);

  const slow = oneStep(null, 120_000).steps()[0]!;
  assert.equal(slow.verdict, "latency");

  // Neither the backlog nor a latency: the step cannot pass (it used to pass on "0").
  const blind = oneStep(null, null);
  assert.equal(blind.steps()[0]!.verdict, "unmeasured");
  assert.equal(blind.result().ended, "below-start");

  const known = oneStep(2, null).steps()[0]!;
  assert.equal(known.verdict, "ok", "a known, flat backlog still passes a step");
  assert.equal(known.decidedOn, "backlog+latency");
  assert.equal(known.backlogUnknown, false);

  const lines = formatCapacityReport(blind.steps(), blind.result());
  assert.ok(lines.some((l) => l.includes("?→?") && l.includes("unmeasured (latency only)")));
  assert.ok(lines.some((l) => /backlog unknown \(\?\) in step\(s\) 1: .*latency alone/.test(l)));
});
