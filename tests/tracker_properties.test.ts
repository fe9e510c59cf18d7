/**
 * Property test of the job tracker: random interleavings of registrations and status events
 * (seeded PRNG) with duplicates, reordering, statuses before their job's registration, lost
 * statuses, late IN_PROGRESS after a terminal status, conflicting terminal statuses, unknown
 * statuses, unknown jobs, and waiting users' PARTIAL retries. After every event and at the end
 * the invariants of mod/tracker/job_invariants.ts hold, a terminal status is never taken back
 * (except by a new attempt), latency is never negative, and every status event is accounted
 * for exactly once.
 */
import assert from "node:assert/strict";
import { Prng } from "../mod/sim/aws/prng.ts";
import { JobTracker, type JobTransition } from "../mod/tracker/job_tracker.ts";
import { jobInvariantViolations } from "../mod/tracker/job_invariants.ts";
import type { JobRegistration } from "../mod/model/job_registration.ts";
import type { StatusEvent } from "../mod/model/status_event.ts";
import { writeJobStatus } from "../mod/tracker/job_files.ts";
import { FileJobJournal } from "../mod/tracker/file_job_journal.ts";
import { parseJournalLine } from "../mod/tracker/journal_line.ts";
import type { JobStatusRecord } from "../mod/model/job_record.ts";

type Planned =
  | { at: number; kind: "register"; reg: JobRegistration }
  | { at: number; kind: "event"; event: StatusEvent }
  | { at: number; kind: "expire" };
type Action = Planned & { seq: number };

/** Actions by time (ties in insertion order). */
class Agenda {
  #items: Action[] = [];
  #seq = 0;
  push(action: Planned): void {
    const item: Action = { ...action, seq: this.#seq++ };
    let lo = 0;
    let hi = this.#items.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const m = this.#items[mid]!;
      if (m.at < item.at || (m.at === item.at && m.seq < item.seq)) lo = mid + 1;
      else hi = mid;
    }
    this.#items.splice(lo, 0, item);
  }
  shift(): Action | undefined {
    return this.#items.shift();
  }
}

interface Features {
  duplicates: number;
  refused: number;
  retried: number;
  beforeRegistration: number;
  foreign: number;
  timedOut: number;
  unknownStatus: number;
  pixelsUnknown: number;
}

const JOBS = 40;
const GRACE_MS = 300;
const MAX_ATTEMPTS = 3;
const TERMINAL = new Set(["SUCCESS", "FAILED", "PARTIAL"]);

/** How the tracker under test keeps finished jobs. */
interface Mode {
  /** A file journal in this folder (default: in memory). */
  journalDir?: string;
  /** Forget finished jobs after this long (default: the tracker's 10 minutes). */
  finishedRetentionMs?: number;
}

/** Every record with its attempt: the journal's entries, then the jobs in memory. */
function allEntries(
  tracker: JobTracker,
): Map<string, { attempt: number; record: JobStatusRecord }> {
  const out = new Map<string, { attempt: number; record: JobStatusRecord }>();
  for (const line of tracker.journal.linesSync(0, tracker.journal.count)) {
    const entry = parseJournalLine(line);
    assert.ok(!out.has(entry.imageId), `${entry.imageId} is in the journal twice`);
    out.set(entry.imageId, { attempt: entry.attempt, record: entry.record });
  }
  for (const [id, record] of Object.entries(tracker.statusRecords())) {
    if (out.has(id)) continue;
    out.set(id, { attempt: tracker.get(id)!.attempt, record });
  }
  return out;
}

/** What a scenario ends with, to compare modes. */
interface Outcome {
  features: Features;
  stats: ReturnType<JobTracker["statistics"]>;
  counts: ReturnType<JobTracker["counts"]>;
  records: Record<string, JobStatusRecord>;
}

/** Run one random scenario; returns which features it exercised. */
function runScenario(seed: number, mode: Mode = {}): Outcome {
  const rng = new Prng(seed);
  const between = (a: number, b: number) => a + Math.floor(rng.next() * (b - a + 1));
  const agenda = new Agenda();
  let delivered = 0;
  let applied = 0;
  const jobComplete = { requests: 0, failures: 0 };
  let beforeRegistration = 0;
  const registeredAt = new Map<string, number>();
  // Oracle: a fire-and-forget job's first terminal status stands, unless a rogue terminal
  // status (a different one) was injected for it.
  const truth = new Map<string, { terminal?: string; rogueTerminal: boolean; awaited: boolean }>();
  const deliver = (at: number, event: StatusEvent) => {
    agenda.push({ at, kind: "event", event: { ...event, receivedAt: at } });
  };

  const sendAttempt = (
    base: Omit<JobRegistration, "submittedAt" | "attempt">,
    attempt: number,
    sendStart: number,
  ) => {
    const reg: JobRegistration = { ...base, submittedAt: sendStart, attempt };
    agenda.push({ at: sendStart + between(0, 80), kind: "register", reg });
    const ev = (status: string): StatusEvent => ({
      imageId: base.imageId,
      jobId: base.jobId,
      status,
      durationS: rng.chance(0.5) ? between(1, 30) : null,
      receivedAt: 0,
    });
    const emit = (at: number, status: string) => {
      if (rng.chance(0.05)) return; // lost
      deliver(at + between(0, 60), ev(status)); // delivery jitter: reordering
      if (rng.chance(0.15)) deliver(at + between(0, 400), ev(status)); // duplicate
    };
    const started = sendStart + between(1, 20);
    const inProgress = started + between(0, 20);
    emit(started, "STARTED");
    emit(inProgress, "IN_PROGRESS");
    if (rng.chance(0.03)) deliver(inProgress + between(0, 50), ev("WEIRD"));
    if (rng.chance(0.1)) return; // never finishes
    const terminalAt = inProgress + between(1, 100);
    const roll = rng.next();
    const status = roll < 0.6 ? "SUCCESS" : roll < 0.8 ? "FAILED" : "PARTIAL";
    const t = truth.get(base.imageId)!;
    if (attempt === 1) t.terminal = status;
    emit(terminalAt, status);
    if (rng.chance(0.1)) deliver(terminalAt + between(0, 200), ev("IN_PROGRESS")); // finding 3
    if (rng.chance(0.05)) {
      const other = status === "SUCCESS" ? "FAILED" : "SUCCESS";
      t.rogueTerminal = true;
      deliver(terminalAt + between(0, 200), ev(other));
    }
  };

  let now = 0;
  const onTransition = (t: JobTransition) => {
    applied++;
    if (!t.completedNow) return;
    const job = t.job;
    jobComplete.requests++;
    if (job.record.status !== "SUCCESS") jobComplete.failures++;
    const latency = job.completedAt! - job.startAt;
    assert.ok(latency >= 0, `seed ${seed}: negative latency ${latency} ms`);
    // A waiting user resends a PARTIAL job (model_runner_user.ts), up to 3 attempts.
    if (job.awaited && job.record.status === "PARTIAL" && job.attempt < MAX_ATTEMPTS) {
      const { record } = job;
      sendAttempt(
        {
          imageId: `${record.job_id}:${record.image_url}`,
          jobId: record.job_id,
          imageUrl: record.image_url,
          messageId: record.message_id,
          size: record.size,
          pixels: record.pixels,
          name: job.name,
          awaited: true,
        },
        job.attempt + 1,
        now + between(1, 30),
      );
    }
  };
  const journal = mode.journalDir
    ? FileJobJournal.create(`${mode.journalDir}/job_records_${seed}.jsonl`)
    : undefined;
  const tracker = new JobTracker({
    graceMs: GRACE_MS,
    onTransition,
    ...(journal ? { journal } : {}),
    ...(mode.finishedRetentionMs !== undefined
      ? { finishedRetentionMs: mode.finishedRetentionMs }
      : {}),
  });

  for (let i = 0; i < JOBS; i++) {
    const imageId = `job${i}:s3://b/img${i}.tif`;
    const awaited = rng.chance(0.4);
    truth.set(imageId, { rogueTerminal: false, awaited });
    sendAttempt(
      {
        imageId,
        jobId: `job${i}`,
        imageUrl: `s3://b/img${i}.tif`,
        messageId: `m${i}`,
        size: between(1, 1 << 20),
        pixels: rng.chance(0.1) ? null : between(1, 1 << 24),
        name: `img${i}.tif:model`,
        awaited,
      },
      1,
      between(0, 2000),
    );
  }
  for (let i = 0; i < 10; i++) {
    deliver(between(0, 2500), {
      imageId: `stranger${i}:s3://b/x.tif`,
      jobId: `stranger${i}`,
      status: "SUCCESS",
      durationS: null,
      receivedAt: 0,
    });
  }
  for (let at = 50; at <= 3500; at += 50) agenda.push({ at, kind: "expire" });

  const snapshot = new Map<string, { attempt: number; status: string; completed: boolean }>();
  const check = (where: string) => {
    const broken = jobInvariantViolations(tracker.statistics(), jobComplete);
    assert.deepEqual(broken, [], `seed ${seed}, ${where}: ${broken.join("; ")}`);
    for (const [id, { attempt, record }] of allEntries(tracker)) {
      const job = { attempt };
      const before = snapshot.get(id);
      if (before?.completed && before.attempt === job.attempt) {
        assert.ok(
          record.completed && record.status === before.status,
          `seed ${seed}, ${where}: ${id} went from ${before.status} back to ${record.status}`,
        );
      }
      assert.equal(record.completed, TERMINAL.has(record.status), `seed ${seed}: ${id}`);
      snapshot.set(id, {
        attempt: job.attempt,
        status: record.status,
        completed: record.completed,
      });
    }
  };

  for (let action = agenda.shift(); action; action = agenda.shift()) {
    now = action.at;
    if (action.kind === "register") {
      if (!registeredAt.has(action.reg.imageId)) registeredAt.set(action.reg.imageId, now);
      tracker.register(action.reg, 0);
    } else if (action.kind === "event") {
      delivered++;
      if (!registeredAt.has(action.event.imageId)) beforeRegistration++;
      tracker.update(action.event);
    } else tracker.expirePending(now);
    check(`t=${now} ${action.kind}`);
  }

  // The end of a run: pending events expire, the completion wait gives up on open jobs.
  tracker.expirePending(Number.POSITIVE_INFINITY);
  for (const _job of tracker.markOpenJobsTimedOut()) {
    jobComplete.requests++;
    jobComplete.failures++;
  }
  check("end");
  const stats = tracker.statistics();
  const counts = tracker.counts();
  assert.equal(stats.total_image_sent, JOBS);
  assert.equal(stats.total_image_in_progress, 0);
  assert.ok(tracker.isComplete());
  // Every delivered status event was applied, a duplicate, refused, unknown, or foreign.
  assert.equal(
    applied + counts.duplicates + counts.refused + counts.unknownStatus + counts.foreign,
    delivered,
    `seed ${seed}: events not accounted for`,
  );
  assert.equal(
    counts.refused,
    Object.values(counts.refusedBy).reduce((a, b) => a + b, 0),
  );
  const entries = allEntries(tracker);
  for (const [id, t] of truth) {
    if (t.awaited || t.rogueTerminal || t.terminal === undefined) continue;
    const record = entries.get(id)!.record;
    if (record.completed) {
      assert.equal(record.status, t.terminal, `seed ${seed}: ${id} ended ${record.status}`);
    }
  }
  const records = Object.fromEntries([...entries].map(([id, e]) => [id, e.record]));
  assert.equal(Object.keys(records).length, JOBS, "one record per image id");
  journal?.close();
  return {
    features: {
      duplicates: counts.duplicates,
      refused: counts.refused,
      retried: stats.total_image_retried,
      beforeRegistration,
      foreign: counts.foreign,
      timedOut: stats.total_image_timed_out,
      unknownStatus: counts.unknownStatus,
      pixelsUnknown: stats.jobs_pixels_unknown,
    },
    stats,
    counts,
    records,
  };
}

Deno.test("tracker invariants hold under random interleavings (300 seeds)", () => {
  const seen: Features = {
    duplicates: 0,
    refused: 0,
    retried: 0,
    beforeRegistration: 0,
    foreign: 0,
    timedOut: 0,
    unknownStatus: 0,
    pixelsUnknown: 0,
  };
  for (let seed = 1; seed <= 300; seed++) {
    const { features } = runScenario(seed);
    for (const key of Object.keys(seen) as (keyof Features)[]) seen[key] += features[key];
  }
  // The scenarios really exercised every hazard (a property test that never meets one proves
  // nothing about it).
  for (const [feature, count] of Object.entries(seen)) {
    assert.ok(count > 0, `no scenario exercised ${feature}`);
  }
});

Deno.test("with a file journal the same scenarios give the same totals, counts and records", async () => {
  const dir = await Deno.makeTempDir();
  try {
    for (let seed = 1; seed <= 50; seed++) {
      const inMemory = runScenario(seed);
      const onFile = runScenario(seed, { journalDir: dir });
      assert.deepEqual(onFile.stats, inMemory.stats, `seed ${seed}`);
      assert.deepEqual(onFile.counts, inMemory.counts, `seed ${seed}`);
      assert.deepEqual(onFile.records, inMemory.records, `seed ${seed}`);
      // The finished jobs really went to the file: one line each, each a complete JSON object.
      const lines = (await Deno.readTextFile(`${dir}/job_records_${seed}.jsonl`)).split("\n");
      assert.equal(lines.pop(), "", "the file ends with a newline");
      const finished = Object.values(onFile.records).filter((r) => r.completed).length;
      assert.ok(
        lines.length > 0 && lines.length <= finished,
        `seed ${seed}: ${lines.length} lines`,
      );
      for (const line of lines) assert.equal(JSON.parse(line).completed, true);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("forgetting finished jobs early keeps the invariants; their late statuses become foreign", () => {
  let forgotten = 0;
  for (let seed = 1; seed <= 150; seed++) {
    const remembered = runScenario(seed);
    // Forgotten 5 ms after the next generation starts: late duplicates and refusals are foreign.
    const forgetful = runScenario(seed, { finishedRetentionMs: 5 });
    assert.deepEqual(forgetful.stats, remembered.stats, `seed ${seed}: the totals do not change`);
    const judged = (o: Outcome) => o.counts.duplicates + o.counts.refused + o.counts.foreign;
    assert.equal(judged(forgetful), judged(remembered), `seed ${seed}: every event accounted for`);
    assert.ok(forgetful.counts.foreign >= remembered.counts.foreign);
    forgotten += forgetful.counts.foreign - remembered.counts.foreign;
  }
  assert.ok(forgotten > 0, "no scenario had a status for a forgotten job");
});

const reg = (over: Partial<JobRegistration> = {}): JobRegistration => ({
  imageId: "j:s3://b/a.tif",
  jobId: "j",
  imageUrl: "s3://b/a.tif",
  messageId: "m",
  size: 1024,
  pixels: 4096,
  submittedAt: 1_000,
  name: "a.tif:centerpoint",
  awaited: false,
  ...over,
});
const status = (s: string, receivedAt: number, durationS: number | null = null): StatusEvent => ({
  imageId: "j:s3://b/a.tif",
  jobId: "j",
  status: s,
  durationS,
  receivedAt,
});

Deno.test("IN_PROGRESS after PARTIAL leaves the job PARTIAL and completed (finding 3)", async () => {
  const tracker = new JobTracker();
  tracker.register(reg(), 0);
  tracker.update(status("STARTED", 1_010));
  // Reordered: the IN_PROGRESS arrives after the final PARTIAL (then again, redelivered).
  tracker.update(status("PARTIAL", 4_000, 3));
  tracker.update(status("IN_PROGRESS", 4_010));
  tracker.update(status("PARTIAL", 4_020, 3));
  const record = tracker.get("j:s3://b/a.tif")!.record;
  assert.equal(record.status, "PARTIAL");
  assert.equal(record.completed, true);
  const stats = tracker.statistics();
  assert.equal(stats.total_image_partial, 1);
  assert.equal(stats.total_image_failed, 1);
  assert.equal(stats.total_image_processed, 1);
  assert.equal(stats.total_image_in_progress, 0);
  assert.deepEqual(jobInvariantViolations(stats), []);
  const counts = tracker.counts();
  assert.equal(counts.refusedBy["after-terminal"], 1);
  assert.equal(counts.refused, 1);
  assert.equal(counts.duplicates, 1, "the second PARTIAL counts once");
  const dir = await Deno.makeTempDir();
  try {
    const written = JSON.parse(await Deno.readTextFile(await writeJobStatus(dir, tracker)));
    assert.equal(written["j:s3://b/a.tif"].status, "PARTIAL");
    assert.equal(written["j:s3://b/a.tif"].completed, true);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a waiting user's PARTIAL retry is a new attempt; its early statuses wait for it", () => {
  const completions: string[] = [];
  const tracker = new JobTracker({
    graceMs: 1_000,
    onTransition: (t) => {
      if (t.completedNow) completions.push(`${t.job.attempt}:${t.job.record.status}`);
    },
  });
  tracker.register(reg({ awaited: true }), 0);
  tracker.update(status("PARTIAL", 2_000, 1));
  // The retry's send began at 2_100; its statuses overtake its registration.
  tracker.update(status("IN_PROGRESS", 2_050)); // late, from the first attempt
  tracker.update(status("STARTED", 2_150));
  tracker.update(status("SUCCESS", 2_300, 1));
  assert.equal(tracker.get("j:s3://b/a.tif")!.record.status, "PARTIAL", "held, not applied");
  tracker.register(reg({ awaited: true, attempt: 2, submittedAt: 2_100 }), 0);
  const job = tracker.get("j:s3://b/a.tif")!;
  assert.equal(job.attempt, 2);
  assert.equal(job.record.status, "SUCCESS");
  assert.equal(job.startAt, 2_100);
  assert.deepEqual(completions, ["1:PARTIAL", "2:SUCCESS"]);
  const stats = tracker.statistics();
  assert.equal(stats.total_image_sent, 1);
  assert.equal(stats.total_image_succeeded, 1);
  assert.equal(stats.total_image_failed, 0);
  assert.equal(stats.total_image_retried, 1);
  assert.deepEqual(jobInvariantViolations(stats, { requests: 2, failures: 1 }), []);
  assert.equal(tracker.counts().refusedBy["after-terminal"], 1, "the first attempt's late status");
  // A repeated registration of the same attempt changes nothing.
  tracker.register(reg({ awaited: true, attempt: 2, submittedAt: 2_100 }), 0);
  assert.equal(tracker.get("j:s3://b/a.tif")!.record.status, "SUCCESS");
  assert.equal(tracker.counts().duplicateRegistrations, 1);
});

Deno.test("statuses held for a retry that never comes are judged against the PARTIAL", () => {
  const tracker = new JobTracker({ graceMs: 1_000 });
  tracker.register(reg({ awaited: true }), 0);
  tracker.update(status("PARTIAL", 2_000, 1));
  tracker.update(status("IN_PROGRESS", 2_010));
  tracker.update(status("PARTIAL", 2_020, 1));
  tracker.expirePending(2_500);
  assert.equal(tracker.counts().refused, 0, "still waiting for a retry");
  tracker.expirePending(3_010);
  const counts = tracker.counts();
  assert.equal(counts.refusedBy["after-terminal"], 1);
  assert.equal(counts.duplicates, 1);
  assert.equal(tracker.get("j:s3://b/a.tif")!.record.status, "PARTIAL");
});

Deno.test("a timed-out job is neither processed nor in progress and refuses later statuses", () => {
  const tracker = new JobTracker();
  tracker.register(reg(), 0);
  tracker.update(status("IN_PROGRESS", 1_100));
  assert.equal(tracker.isComplete(), false);
  assert.equal(tracker.markOpenJobsTimedOut().length, 1);
  assert.equal(tracker.markOpenJobsTimedOut().length, 0, "marked once");
  tracker.update(status("SUCCESS", 9_000, 8));
  const stats = tracker.statistics();
  assert.equal(stats.total_image_timed_out, 1);
  assert.equal(stats.total_image_in_progress, 0);
  assert.equal(stats.total_image_processed, 0);
  assert.equal(tracker.isComplete(), true);
  assert.equal(tracker.counts().refusedBy["after-timeout"], 1);
  assert.deepEqual(jobInvariantViolations(stats, { requests: 1, failures: 1 }), []);
});
