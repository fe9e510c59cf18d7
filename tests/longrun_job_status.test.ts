/**
 * `job_status.json` at any size (issue 18): 1.5 million job records are streamed from the
 * journal and memory into the file, with memory for a batch (the file is about 700 MB; built
 * as one string it failed past about a million jobs), and the file parses record by record
 * with upstream's keys; a snapshot taken while jobs finish and register holds each job of its
 * instant exactly once; the periodic rewrites are paced by their cost and the final write
 * stops one in flight; the journal's lines are complete JSON as soon as they are flushed.
 */
import assert from "node:assert/strict";
import { JobTracker } from "../mod/tracker/job_tracker.ts";
import { FileJobJournal } from "../mod/tracker/file_job_journal.ts";
import { writeJobStatus } from "../mod/tracker/job_files.ts";
import { JobFilesWriter, REWRITE_DUTY } from "../mod/tracker/job_files_writer.ts";
import { readLineBatches } from "../mod/fs/read_lines.ts";
import { stringifyPythonJson } from "../mod/tracker/python_json.ts";
import type { JobRegistration } from "../mod/model/job_registration.ts";
import type { StatusEvent } from "../mod/model/status_event.ts";
import type { JobStatusRecord } from "../mod/model/job_record.ts";

const KEYS = [
  "job_id",
  "image_url",
  "message_id",
  "status",
  "completed",
  "size",
  "pixels",
  "start_time",
  "processing_duration",
];
const T0 = new Date(2025, 11, 9, 10, 44, 51, 0).getTime();
const jobIdOf = (i: number) => i.toString(16).padStart(32, "0");
const urlOf = (i: number) => `s3://osml-test-images-123456789012/image${i % 5}.tif`;
const reg = (i: number, over: Partial<JobRegistration> = {}): JobRegistration => ({
  imageId: `${jobIdOf(i)}:${urlOf(i)}`,
  jobId: jobIdOf(i),
  imageUrl: urlOf(i),
  messageId: `${jobIdOf(i).slice(0, 8)}-0000-4000-8000-${jobIdOf(i).slice(20)}`,
  size: 1_000_000 + (i % 5),
  pixels: i % 5 === 4 ? null : 4096 * 4096,
  submittedAt: T0 + i,
  name: `image${i % 5}.tif:centerpoint`,
  awaited: false,
  ...over,
});
const status = (
  i: number,
  s: string,
  at: number,
  durationS: number | null = null,
): StatusEvent => ({
  imageId: `${jobIdOf(i)}:${urlOf(i)}`,
  jobId: jobIdOf(i),
  status: s,
  durationS,
  receivedAt: at,
});

Deno.test("1.5 million job records are streamed into job_status.json and parse with upstream's keys", async () => {
  const N = 1_500_000;
  const dir = await Deno.makeTempDir({ prefix: "osml_longrun_" });
  try {
    const tracker = new JobTracker({ journal: FileJobJournal.create(`${dir}/job_records.jsonl`) });
    const finals = ["SUCCESS", "SUCCESS", "SUCCESS", "FAILED", "PARTIAL"];
    for (let i = 0; i < N; i++) {
      tracker.register(reg(i), 0);
      // 90 % finish (SUCCESS, FAILED, PARTIAL; durations from the message or measured).
      if (i % 10 !== 9) {
        tracker.update(status(i, finals[i % 5]!, T0 + i + 2500, i % 2 ? 12 : null));
      } else if (i % 20 === 9) tracker.update(status(i, "IN_PROGRESS", T0 + i + 5));
      if (i % 100_000 === 0) tracker.expirePending(T0 + i);
    }
    const stats = tracker.statistics();
    assert.equal(stats.total_image_sent, N);
    assert.equal(tracker.inMemory, N / 10, "only the open jobs are in memory");
    const expected = tracker.statusCounts();

    // The write: RSS sampled while it runs.
    const rssBefore = Deno.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, Deno.memoryUsage().rss)), 50);
    let path: string;
    try {
      path = await writeJobStatus(dir, tracker);
    } finally {
      clearInterval(sampler);
    }
    const size = (await Deno.stat(path)).size;
    assert.ok(size > 600e6, `${size} bytes: larger than V8's longest string would allow`);
    assert.ok(
      rssPeak - rssBefore < 250e6,
      `writing ${(size / 1e6).toFixed(0)} MB grew RSS by ${
        ((rssPeak - rssBefore) / 1e6).toFixed(0)
      } MB`,
    );

    // Parse record by record: `    "<id>": {`, the nine keys, `    }`; each record as JSON.
    const seen = new Uint8Array(N);
    const counts: Record<string, number> = {};
    const keys = KEYS.join();
    let lineNo = 0;
    let entry: string[] = [];
    let last = "";
    let records = 0;
    for await (const lines of readLineBatches(path)) {
      for (const line of lines) {
        lineNo++;
        if (lineNo === 1) {
          assert.equal(line, "{");
          continue;
        }
        last = line;
        if (line === "}") continue;
        entry.push(line);
        if (!line.startsWith("    }")) continue;
        if (entry.length !== 11) {
          assert.fail(`record ending on line ${lineNo}: ${entry.join("\n")}`);
        }
        const text = entry.join("\n");
        const object = JSON.parse(`{${text.endsWith(",") ? text.slice(0, -1) : text}}`);
        const imageId = Object.keys(object)[0]!;
        const record = object[imageId] as JobStatusRecord;
        if (Object.keys(record).join() !== keys) assert.fail(`${imageId}: ${Object.keys(record)}`);
        const i = parseInt(imageId.slice(0, 32), 16);
        if (imageId !== `${jobIdOf(i)}:${urlOf(i)}` || seen[i] !== 0) {
          assert.fail(`${imageId}: unexpected or written twice`);
        }
        seen[i] = 1;
        counts[record.status] = (counts[record.status] ?? 0) + 1;
        // Python floats: a duration is written with a decimal point.
        if (record.processing_duration !== null && !/": \d+\.\d+$/.test(entry[9]!)) {
          assert.fail(`${imageId}: ${entry[9]}`);
        }
        if (i === 3 || i === 9) {
          assert.equal(
            `{\n${text.endsWith(",") ? text.slice(0, -1) : text}\n}`,
            stringifyPythonJson({ [imageId]: record }),
          );
        }
        records++;
        entry = [];
      }
    }
    assert.equal(last, "}", "the file is complete");
    assert.equal(records, N);
    assert.equal(seen.indexOf(0), -1, "every job once");
    for (const [s, n] of Object.entries(expected)) assert.equal(counts[s] ?? 0, n, s);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a snapshot read while jobs finish and register holds each job of its instant once", async () => {
  const dir = await Deno.makeTempDir({ prefix: "osml_longrun_" });
  try {
    const tracker = new JobTracker({ journal: FileJobJournal.create(`${dir}/job_records.jsonl`) });
    const N = 10_000;
    for (let i = 0; i < N; i++) {
      tracker.register(reg(i), 0);
      if (i % 2 === 0) tracker.update(status(i, "SUCCESS", T0 + i + 10, 1));
    }
    const snapshot = tracker.snapshot();
    assert.equal(snapshot.count, N);
    assert.equal(snapshot.stats.total_image_sent, N);
    // While the snapshot is read: the open jobs finish (they leave memory, their slots are
    // reused by new jobs), new jobs register.
    let next = N;
    let finishing = 1;
    const seen = new Map<string, JobStatusRecord>();
    for await (const batch of snapshot.entries()) {
      for (const [id, record] of batch) {
        assert.ok(!seen.has(id), `${id} twice`);
        seen.set(id, record);
      }
      for (let k = 0; k < 700 && finishing < N; k++, finishing += 2) {
        tracker.update(status(finishing, "FAILED", T0 + N + finishing, 2));
        tracker.register(reg(next++), 0);
      }
    }
    assert.equal(seen.size, N, "exactly the jobs of the snapshot's instant");
    for (let i = 0; i < N; i++) {
      const record = seen.get(`${jobIdOf(i)}:${urlOf(i)}`);
      assert.ok(record, `job ${i}`);
      // A job open at the instant is read as it was then, even after it finished: the records
      // agree with the snapshot's statistics (job_summary.json is written from those).
      assert.equal(record.status, i % 2 === 0 ? "SUCCESS" : "STARTED", `job ${i}`);
    }
    assert.ok(finishing >= N - 1, "every open job finished while the snapshot was read");
    const records = [...seen.values()];
    assert.equal(
      records.filter((r) => r.completed).length,
      snapshot.stats.total_image_processed,
      "the records say what the statistics of the same instant say",
    );
    assert.equal(
      records.filter((r) => !r.completed).length,
      snapshot.stats.total_image_in_progress,
    );
    // The text form of a fresh snapshot has every job, old and new.
    let text = "";
    for await (const piece of tracker.snapshot().text()) text += piece;
    assert.equal(Object.keys(JSON.parse(text)).length, next);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("rewrites are paced by their cost; the final write stops one in flight", async () => {
  const dir = await Deno.makeTempDir({ prefix: "osml_longrun_" });
  try {
    const tracker = new JobTracker({ journal: FileJobJournal.create(`${dir}/job_records.jsonl`) });
    for (let i = 0; i < 50_000; i++) tracker.register(reg(i), 0);
    let now = 0;
    const errors: unknown[] = [];
    const written: number[] = [];
    const writer = new JobFilesWriter({
      logDir: dir,
      tracker,
      intervalMs: 1,
      summary: () => ({ startedAt: T0 }),
      onError: (e) => errors.push(e),
      onWritten: (_paths, ms) => written.push(ms),
      monotonic: () => now,
    });
    assert.equal(writer.tick(), true, "the first rewrite is due at once");
    assert.equal(writer.tick(), false, "one at a time");
    // The final write stops the one in flight (no error reported for it) and writes again.
    now = 5_000;
    const paths = await writer.final();
    assert.equal(errors.length, 0, String(errors[0]));
    assert.equal(written.length, 0, "the stopped rewrite did not finish");
    assert.equal(writer.writes, 1);
    assert.equal(Object.keys(JSON.parse(await Deno.readTextFile(paths[0]!))).length, 50_000);
    // A write that took W ms: the next is due REWRITE_DUTY × W after it started.
    const started = now;
    writer.tick(); // not due: the final write just ran (its duration is measured on `now`)
    assert.equal(writer.nextDueAt, started + Math.max(1, REWRITE_DUTY * writer.lastWriteMs));
    // With a clock that advances during writes, the pacing follows the write's duration.
    const slow = new JobFilesWriter({
      logDir: dir,
      tracker,
      intervalMs: 1000,
      summary: () => ({ startedAt: T0 }),
      onError: (e) => errors.push(e),
      monotonic: () => (now += 300), // each reading: 300 ms later
    });
    await slow.final();
    assert.equal(slow.lastWriteMs, 300);
    assert.equal(slow.nextDueAt - (now - 300), REWRITE_DUTY * 300, "3 s, not the 1 s interval");
    assert.equal(slow.tick(), false, "not due yet");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the journal's lines are complete JSON once flushed: a killed run's finished jobs are recoverable", async () => {
  const dir = await Deno.makeTempDir({ prefix: "osml_longrun_" });
  try {
    const path = `${dir}/job_records.jsonl`;
    const tracker = new JobTracker({ journal: FileJobJournal.create(path) });
    for (let i = 0; i < 3000; i++) {
      tracker.register(reg(i), 0);
      if (i % 3) tracker.update(status(i, i % 3 === 1 ? "SUCCESS" : "FAILED", T0 + i + 9, 4));
    }
    // The tracker flushes every second (expirePending); the file is read without closing it.
    tracker.expirePending(T0 + 5000);
    const lines = (await Deno.readTextFile(path)).split("\n");
    assert.equal(lines.pop(), "");
    assert.equal(lines.length, 2000);
    for (const line of lines) {
      const entry = JSON.parse(line);
      assert.equal(entry.completed, true);
      assert.ok(entry.image_id.startsWith(entry.job_id));
      assert.deepEqual(Object.keys(entry), ["image_id", ...KEYS, "attempt", "seq"]);
    }
    // A write error surfaces when the job files are written (the run then stops).
    const broken = FileJobJournal.create(`${dir}/broken.jsonl`);
    const t2 = new JobTracker({ journal: broken });
    broken.close();
    t2.register(reg(1), 0);
    t2.update(status(1, "SUCCESS", T0 + 10, 1));
    t2.expirePending(T0 + 20);
    assert.throws(() => t2.snapshot(), /job journal .*closed|job journal/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a journal removed, emptied or replaced during the run fails the job files with a clear error", async () => {
  const dir = await Deno.makeTempDir({ prefix: "osml_longrun_" });
  try {
    for (
      const [what, damage] of [
        ["removed", (p: string) => Deno.remove(p)],
        ["truncated", (p: string) => Deno.truncate(p, 0)], // logrotate's copytruncate, `: >`
        ["replaced", async (p: string) => {
          await Deno.writeTextFile(`${p}.new`, "");
          await Deno.rename(`${p}.new`, p);
        }],
      ] as const
    ) {
      const path = `${dir}/${what}.jsonl`;
      const tracker = new JobTracker({ journal: FileJobJournal.create(path) });
      for (let i = 0; i < 50; i++) {
        tracker.register(reg(i), 0);
        tracker.update(status(i, "SUCCESS", T0 + i + 9, 4));
      }
      tracker.expirePending(T0 + 5000);
      const logDir = `${dir}/${what}`;
      await Deno.mkdir(logDir);
      await writeJobStatus(logDir, tracker); // fine before the damage
      await damage(path);
      for (let i = 50; i < 60; i++) {
        tracker.register(reg(i), 0);
        tracker.update(status(i, "SUCCESS", T0 + i + 9, 4));
      }
      const error = await writeJobStatus(logDir, tracker).then(() => undefined, (e: Error) => e);
      assert.ok(error, `${what}: the write failed`);
      assert.match(
        error.message,
        new RegExp(`job journal .*${what}.jsonl was ${what} during the run: .*do not rotate`),
      );
      assert.doesNotMatch(error.message, /\0/);
      // The last good job_status.json is left in place, whole.
      const kept = JSON.parse(await Deno.readTextFile(`${logDir}/job_status.json`));
      assert.equal(Object.keys(kept).length, 50);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
