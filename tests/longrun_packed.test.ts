/**
 * The tracker's compact parts (issue 18): ids packed into 16 bytes round-trip exactly; the
 * packed job table behaves like a Map under random adds, lookups and removals (hash index with
 * backward-shift deletion, slot reuse, growth, registration order); finished jobs are
 * remembered for at least their retention and then forgotten; journal lines and
 * `job_status.json` entries are exactly the text the whole-object serializer writes; and one
 * job in memory costs at most 300 bytes, measured in a separate process.
 */
import assert from "node:assert/strict";
import { Prng } from "../mod/sim/aws/prng.ts";
import { packHex32, packUuid, unpackHex32, unpackUuid } from "../mod/tracker/id_packing.ts";
import { OpenJobs, STATUS_CODE } from "../mod/tracker/open_jobs.ts";
import { JobDescriptors } from "../mod/tracker/job_descriptors.ts";
import { FinishedIndex } from "../mod/tracker/finished_index.ts";
import {
  formatJournalLine,
  journalLineStatus,
  jsonNumber,
  parseJournalLine,
} from "../mod/tracker/journal_line.ts";
import { pythonFloatRepr } from "../mod/stats/python_format.ts";
import { formatStatusEntry } from "../mod/tracker/job_status_entry.ts";
import { stringifyPythonJson } from "../mod/tracker/python_json.ts";
import type { JobStatusRecord } from "../mod/model/job_record.ts";
import type { JobRegistration } from "../mod/model/job_registration.ts";
import { ROOT } from "./run_test_support.ts";

const hex = (rng: Prng, n: number) =>
  Array.from({ length: n }, () => "0123456789abcdef"[Math.floor(rng.next() * 16)]).join("");

Deno.test("job ids and message ids pack into 16 bytes and unpack to the same text", () => {
  const rng = new Prng(7);
  const words = new Uint32Array(4);
  for (let i = 0; i < 2000; i++) {
    const id = hex(rng, 32);
    assert.ok(packHex32(id, words, 0));
    assert.equal(unpackHex32(words, 0), id);
    const uuid = crypto.randomUUID();
    assert.ok(packUuid(uuid, words, 0));
    assert.equal(unpackUuid(words, 0), uuid);
  }
  for (const text of ["", "ABCDEF0123456789abcdef0123456789", "0123", "g".repeat(32)]) {
    assert.equal(packHex32(text, words, 0), false, text);
  }
  assert.equal(packUuid("0F8FAD5B-D9CB-469F-A165-70867728950E", words, 0), false, "upper case");
  assert.equal(
    unpackHex32(new Uint32Array([0xffffffff, 0, 1, 0x80000000]), 0),
    "ffffffff0000000000000001" + "80000000",
  );
});

/** A registration with ids of every kind: packable, upper case, odd image ids. */
function registration(rng: Prng, i: number): JobRegistration {
  const kind = i % 10;
  const jobId = kind === 7 ? `Job-${i}` : hex(rng, 32);
  const imageUrl = `s3://bucket/image${i % 13}.tif`;
  return {
    imageId: kind === 8 ? `${jobId}|${imageUrl}` : `${jobId}:${imageUrl}`,
    jobId,
    imageUrl,
    messageId: kind === 9 ? `msg-${i}` : kind === 6 ? hex(rng, 32) : crypto.randomUUID(),
    size: 1000 + (i % 13),
    pixels: i % 13 === 5 ? null : 4096 * (i % 13),
    submittedAt: 1_700_000_000_000 + i,
    name: `image${i % 13}.tif:model`,
    awaited: i % 3 === 0,
    ...(i % 4 === 0 ? { scheduledAt: 1_700_000_000_000 + i - 5 } : {}),
  };
}

function packedTableBehavesLikeAMap(): void {
  const rng = new Prng(11);
  const jobs = new OpenJobs(new JobDescriptors(), 16);
  const model = new Map<string, { reg: JobRegistration; seq: number }>();
  const order: string[] = [];
  let seq = 0;
  for (let step = 0; step < 60_000; step++) {
    const roll = rng.next();
    if (roll < 0.55 || model.size === 0) {
      const reg = registration(rng, step);
      if (model.has(reg.imageId)) continue;
      const slot = jobs.add(reg, 1, step % 5, seq);
      model.set(reg.imageId, { reg, seq: seq++ });
      order.push(reg.imageId);
      assert.equal(jobs.find(reg.imageId), slot);
    } else {
      // Remove a random job (often an early one: slots are reused, probe runs shift).
      const ids = [...model.keys()];
      const id = ids[Math.floor(rng.next() ** 2 * ids.length)]!;
      const slot = jobs.find(id);
      assert.ok(slot >= 0, `${id} is found before removal`);
      jobs.remove(slot);
      model.delete(id);
      order.splice(order.indexOf(id), 1);
      assert.equal(jobs.find(id), -1, `${id} is gone`);
    }
    if (step % 5000 === 0 || step === 59_999) {
      assert.equal(jobs.size, model.size);
      // Every job is found, with every field as registered; order is registration order.
      const walked: string[] = [];
      for (let slot = jobs.first; slot >= 0; slot = jobs.next(slot)) {
        walked.push(jobs.imageId(slot));
      }
      assert.deepEqual(walked, order);
      for (const [id, { reg, seq }] of model) {
        const slot = jobs.find(id);
        assert.ok(slot >= 0, id);
        assert.equal(jobs.imageId(slot), reg.imageId);
        assert.equal(jobs.jobId(slot), reg.jobId);
        assert.equal(jobs.messageId(slot), reg.messageId);
        assert.equal(jobs.seq(slot), seq);
        assert.equal(jobs.status(slot), STATUS_CODE.STARTED);
        assert.equal(jobs.awaited(slot), reg.awaited);
        assert.equal(jobs.submittedAt(slot), reg.submittedAt);
        assert.equal(jobs.startAt(slot), Math.min(reg.scheduledAt ?? Infinity, reg.submittedAt));
      }
      // Ids never registered are not found (same URL, another job id; another URL).
      assert.equal(jobs.find(`${hex(rng, 32)}:s3://bucket/image1.tif`), -1);
      assert.equal(jobs.find("nothing"), -1);
    }
  }
  assert.ok(jobs.size > 1000, "the table grew well past its first capacity");
}

Deno.test(
  "the packed job table behaves like a Map under random adds, lookups and removals",
  packedTableBehavesLikeAMap,
);

Deno.test("the packed job table behaves like a Map also where address space cannot be reserved", () => {
  const Original = globalThis.ArrayBuffer;
  let refused = 0;
  // Refuse every resizable buffer, as a process under an address-space limit would.
  globalThis.ArrayBuffer = class extends Original {
    constructor(length: number, options?: { maxByteLength?: number }) {
      if (options?.maxByteLength !== undefined) {
        refused++;
        throw new RangeError("Array buffer allocation failed");
      }
      super(length);
    }
  } as ArrayBufferConstructor;
  try {
    packedTableBehavesLikeAMap();
  } finally {
    globalThis.ArrayBuffer = Original;
  }
  assert.ok(refused > 13 * 5, `the columns were grown by copying (${refused} refusals)`);
});

Deno.test("finished jobs are remembered for at least the retention, then forgotten", () => {
  const index = new FinishedIndex({ retentionMs: 1000 });
  for (let i = 0; i < 5000; i++) index.add(`a${i}`, 0x100 | (i % 7) + 1, 0);
  index.expire(999);
  for (let i = 0; i < 5000; i++) assert.equal(index.find(`a${i}`), 0x100 | (i % 7) + 1);
  index.expire(1000); // a new generation starts; the first is kept as the older one
  for (let i = 0; i < 100; i++) index.add(`b${i}`, 3, 1500);
  assert.equal(index.find("a4999"), 0x100 | (4999 % 7) + 1, "kept for one more generation");
  assert.equal(index.find("b99"), 3);
  index.expire(2000);
  assert.equal(index.find("a0"), -1, "forgotten after two generations");
  assert.equal(index.find("b0"), 3, "the newer jobs are still remembered");
  assert.equal(index.forgotten, 5000);
  assert.equal(index.find("never"), -1);
  // A cap on a generation bounds memory at any rate.
  const capped = new FinishedIndex({ retentionMs: 1e12, maxPerGeneration: 1000 });
  for (let i = 0; i < 10_000; i++) capped.add(`c${i}`, 1, i);
  assert.ok(capped.size <= 2000, `${capped.size} remembered`);
  assert.equal(capped.find("c9999"), 1);
});

/** Random records, with the strings JSON must escape. */
function randomRecord(rng: Prng): JobStatusRecord {
  const pick = <T>(items: readonly T[]) => items[Math.floor(rng.next() * items.length)]!;
  const status = pick(["STARTED", "IN_PROGRESS", "SUCCESS", "FAILED", "PARTIAL"] as const);
  const text = () =>
    pick(["plain", 'quo"te', "back\\slash", "new\nline", "ünï", "\u0001", "\ud83d\ude00"]);
  return {
    job_id: hex(rng, 32),
    image_url: `s3://b/${text()}.tif`,
    message_id: text(),
    status,
    completed: status !== "STARTED" && status !== "IN_PROGRESS",
    size: pick([0, 1, 1024 ** 3, 123456789]),
    pixels: pick([null, 0, 4096, 1e12]),
    start_time: "12/09/2025/10:44:51",
    processing_duration: pick([null, 0, 12, 12.5, 1e-5, 1e16, 0.1 + 0.2, 3600.125]),
  };
}

Deno.test("journal lines and job_status.json entries are exactly the whole-object serializer's text", () => {
  const rng = new Prng(5);
  for (let i = 0; i < 3000; i++) {
    const record = randomRecord(rng);
    const imageId = `${record.job_id}:${record.image_url}`;
    assert.equal(
      `{\n${formatStatusEntry(imageId, record)}\n}`,
      stringifyPythonJson({ [imageId]: record }),
    );
    const line = formatJournalLine({ imageId, record, attempt: 1 + (i % 3), seq: i });
    assert.ok(!line.includes("\n"), "one line");
    assert.deepEqual(parseJournalLine(line), { imageId, record, attempt: 1 + (i % 3), seq: i });
    assert.equal(journalLineStatus(line), record.status);
  }
});

Deno.test("floats are written as Python's repr, also on the fast path", () => {
  const rng = new Prng(9);
  const values = [1e-4, 9.999999999999999e15, 1e16, 0.1 + 0.2, 5e-324, 1.7976931348623157e308, 0];
  for (let i = 0; i < 200_000; i++) {
    const exponent = Math.floor(rng.next() * 44) - 22;
    values.push(
      (rng.next() - 0.5) * 10 ** exponent,
      Math.round(rng.next() * 10 ** (exponent & 15)),
    );
  }
  for (const v of values) assert.equal(jsonNumber(v, true), pythonFloatRepr(v), String(v));
  assert.equal(jsonNumber(12, false), "12");
  assert.equal(jsonNumber(Number.NaN, true), "null");
});

Deno.test("one job in memory costs at most 300 bytes (heap and typed arrays, 300,000 jobs)", async () => {
  const script = `
    import { JobTracker } from "${ROOT}mod/tracker/job_tracker.ts";
    import { FileJobJournal } from "${ROOT}mod/tracker/file_job_journal.ts";
    const dir = Deno.makeTempDirSync();
    const mem = () => { gc(); gc(); const m = Deno.memoryUsage(); return m.heapUsed + m.external; };
    const tracker = new JobTracker({ journal: FileJobJournal.create(dir + "/j.jsonl") });
    const before = mem();
    const N = 300000;
    for (let i = 0; i < N; i++) {
      const jobId = crypto.randomUUID().replaceAll("-", "");
      const url = "s3://osml-test-images-123456789012/image" + (i % 7) + ".tif";
      tracker.register({ imageId: jobId + ":" + url, jobId, imageUrl: url,
        messageId: crypto.randomUUID(), size: 1234567, pixels: 16777216, submittedAt: 1e12 + i,
        name: "image" + (i % 7) + ".tif:centerpoint", awaited: i % 2 === 0 }, i % 3);
      tracker.update({ imageId: jobId + ":" + url, jobId, status: "IN_PROGRESS", durationS: null,
        receivedAt: 1e12 + i + 5 });
    }
    const after = mem();
    console.log(JSON.stringify({ inMemory: tracker.inMemory, perJob: (after - before) / N }));
    Deno.removeSync(dir, { recursive: true });
  `;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--v8-flags=--expose-gc", script],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert.ok(out.success, stderr);
  const result = JSON.parse(new TextDecoder().decode(out.stdout));
  assert.equal(result.inMemory, 300_000, "every job is open and in memory");
  assert.ok(result.perJob <= 300, `${result.perJob.toFixed(0)} bytes per job in memory`);
  assert.ok(result.perJob > 40, `${result.perJob} bytes: the measurement saw the jobs`);
});
