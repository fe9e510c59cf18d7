import assert from "node:assert/strict";
import { parseShapeSettings } from "../mod/config/shape_settings.ts";
import { buildShape } from "../mod/shapes/build_shape.ts";
import { parseRate } from "../mod/config/rate.ts";
import { burstUsers } from "../mod/shapes/burst_shape.ts";
import { ArrivalScheduler } from "../mod/engine/arrival_scheduler.ts";
import { capacityShape } from "../mod/shapes/capacity_shape.ts";
import { UsageError } from "../mod/usage_error.ts";
import type { ShapeObservation } from "../mod/shapes/load_shape.ts";

const run = { users: 5, spawnRate: 2, windowS: 60 };

Deno.test("window shape holds the users for the window, then stops", () => {
  const shape = buildShape(parseShapeSettings({}, 60), run);
  assert.equal(shape.name, "window");
  assert.deepEqual(shape.tick(0), { users: 5, spawnRate: 2 });
  assert.deepEqual(shape.tick(59.9), { users: 5, spawnRate: 2 });
  assert.equal(shape.tick(60), null);
  assert.deepEqual(shape.plan().map((r) => [r.atS, r.users]), [[0, 5], [60, 0]]);
});

Deno.test("stages shape ramps users linearly between targets, like k6", () => {
  const shape = buildShape(
    parseShapeSettings({ shape: "stages", stages: "10s:10,20s:50,10s:0" }, 60),
    run,
  );
  assert.equal(shape.durationS, 40);
  const users = (t: number) => {
    const target = shape.tick(t);
    return target && "users" in target ? target.users : null;
  };
  assert.equal(users(0), 0);
  assert.equal(users(5), 5);
  assert.equal(users(10), 10);
  assert.equal(users(20), 30);
  assert.equal(users(35), 25);
  assert.equal(users(40), null);
  assert.deepEqual(shape.plan().map((r) => [r.atS, r.users]), [
    [0, 0],
    [10, 10],
    [30, 50],
    [40, 0],
    [40, 0],
  ]);
  assert.throws(() => parseShapeSettings({ shape: "stages" }, 60), /--stages/);
  assert.throws(
    () => parseShapeSettings({ shape: "stages", stages: "10s" }, 60),
    /DURATION:TARGET/,
  );
});

Deno.test("burst shape follows (peak − min)·e^(−π z²) + min", () => {
  const o = { periodS: 600, min: 5, peak: 40, stdS: 60, meanS: 300, windowS: 1200 };
  assert.equal(burstUsers(o, 300), 40);
  assert.equal(burstUsers(o, 900), 40, "periodic");
  assert.equal(burstUsers(o, 0), 5);
  const z = (360 - 300) / 60;
  assert.equal(burstUsers(o, 360), Math.round(35 * Math.exp(-Math.PI * z * z) + 5));
  const shape = buildShape(parseShapeSettings({ shape: "burst", burstPeriod: "600" }, 1200), {
    ...run,
    windowS: 1200,
  });
  assert.deepEqual(shape.tick(300), { users: 40, spawnRate: 40 }, "spawn rate = user count");
  assert.equal(shape.tick(1200), null);
  assert.throws(
    () => parseShapeSettings({ shape: "burst", burstMin: "50", burstPeak: "10" }, 60),
    /--burst-peak/,
  );
});

Deno.test("rate shape: constant and ramped open-model rates", () => {
  assert.equal(parseRate("120/min", "--rate"), 2);
  assert.equal(parseRate("7200/h", "--rate"), 2);
  assert.equal(parseRate("2/s", "--rate"), 2);
  assert.equal(parseRate("2", "--rate"), 2);
  assert.throws(() => parseRate("fast", "--rate"), UsageError);
  const constant = buildShape(parseShapeSettings({ rate: "120/min" }, 30), { ...run, windowS: 30 });
  assert.equal(constant.name, "rate");
  assert.deepEqual(constant.tick(10), { rate: 2, users: 5 });
  assert.equal(constant.tick(30), null);
  const ramp = buildShape(
    parseShapeSettings({ rate: "60/min", rateStages: "10s:60/min,10s:240/min" }, 60),
    run,
  );
  assert.equal(ramp.durationS, 20);
  assert.deepEqual(ramp.tick(5), { rate: 1, users: 5 });
  assert.deepEqual(ramp.tick(15), { rate: 2.5, users: 5 });
  assert.equal(ramp.tick(20), null);
  assert.throws(() => parseShapeSettings({ shape: "rate" }, 60), /--rate/);
  assert.throws(() => parseShapeSettings({ shape: "spiral" }, 60), /unknown --shape "spiral"/);
});

Deno.test("the arrival clock counts on-time, late and dropped submissions exactly", async () => {
  let now = 1_000_000;
  const clock = new ArrivalScheduler({ maxLatenessMs: 500, now: () => now });
  clock.setRate(10);
  const abort = new AbortController();
  // One user waiting: the first submission goes to it on time.
  const first = clock.next(abort.signal);
  now += 100;
  clock.tick();
  assert.equal(await first, now);
  // No user free for 1 s: 10 submissions are due, aged 0–900 ms; the 4 older than 500 ms drop.
  now += 1000;
  clock.tick();
  assert.equal(clock.backlog, 6);
  // A user frees up: it takes the oldest pending one, late.
  const late = await clock.next(abort.signal);
  assert.equal(now - late!, 500);
  const delta = clock.takeDelta()!;
  assert.equal(delta.scheduled, 11);
  assert.equal(delta.sent, 2);
  assert.equal(delta.late, 1);
  assert.equal(delta.dropped, 4);
  assert.equal(clock.backlog, 5);
  clock.dropPending();
  assert.equal(clock.takeDelta()!.dropped, 5, "pending at the end count as dropped");
  abort.abort();
});

Deno.test("capacity search steps up, finds the last sustainable rate, and confirms it", () => {
  const capacity = 10;
  const search = capacityShape({
    startRate: 4,
    step: 2,
    stepS: 10,
    maxLatencyMs: 60_000,
    maxFailRatio: 0.5,
    users: 10,
    maxSteps: 20,
  });
  // A model of the service: backlog grows by (rate − capacity) per second.
  let t = 0;
  let backlog = 0;
  let sent = 0;
  let done = 0;
  const latency = new Map<number, number>();
  while (t < 400) {
    const target = search.tick(t);
    if (target === null) break;
    assert.ok("rate" in target);
    const rate = target.rate;
    sent += rate;
    const served = Math.min(capacity, rate + backlog);
    backlog = Math.max(0, backlog + rate - served);
    done += served;
    latency.set(200, (latency.get(200) ?? 0) + served);
    t += 1;
    const observation: ShapeObservation = {
      elapsedS: t,
      backlog: Math.round(backlog),
      jobsSent: Math.round(sent),
      scheduled: Math.round(sent),
      dropped: 0,
      jobsDone: Math.round(done),
      jobsFailed: 0,
      gbDone: done * 0.5,
      pixelsDone: done * 1e8,
      latency: new Map(latency),
    };
    search.observe!(observation);
  }
  const steps = search.steps();
  assert.deepEqual(steps.map((s) => s.targetRate).slice(0, 5), [4, 6, 8, 10, 12]);
  assert.deepEqual(steps.map((s) => s.verdict).slice(0, 5), ["ok", "ok", "ok", "ok", "backlog"]);
  assert.equal(steps[5]?.verdict, "confirm");
  assert.equal(steps[5]?.targetRate, 9.5);
  const result = search.result();
  assert.equal(result.ended, "found");
  assert.equal(result.rate, 10);
  assert.equal(result.imagesPerHour, 36_000);
  assert.equal(result.gbPerHour, 18_000);
  assert.equal(result.gigapixelsPerHour, 3600);
});

Deno.test("capacity search stops when the generator, not the service, drops submissions", () => {
  const search = capacityShape({
    startRate: 10,
    step: 10,
    stepS: 5,
    maxLatencyMs: 60_000,
    maxFailRatio: 0.5,
    users: 2,
    maxSteps: 20,
  });
  const latency = new Map([[100, 1]]);
  let scheduled = 0;
  let dropped = 0;
  for (let t = 1; t <= 30; t++) {
    const target = search.tick(t - 1);
    if (target === null) break;
    assert.ok("rate" in target);
    scheduled += target.rate;
    // Two users can send 15 jobs/s; the rest is dropped.
    dropped += Math.max(0, target.rate - 15);
    search.observe!({
      elapsedS: t,
      backlog: 0,
      jobsSent: scheduled - dropped,
      scheduled,
      dropped,
      jobsDone: scheduled - dropped,
      jobsFailed: 0,
      gbDone: 0,
      pixelsDone: 0,
      latency,
    });
  }
  assert.deepEqual(search.steps().map((s) => s.verdict), ["ok", "generator"]);
  assert.equal(search.result().ended, "generator");
  assert.equal(search.result().rate, 10, "the last rate the generator really delivered");
});
