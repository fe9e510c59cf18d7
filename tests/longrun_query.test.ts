/**
 * The Jobs tab's bounded API (issue 18): every page of `JobTracker.query` — any offset, limit,
 * status, text and order — is exactly the matching slice of the one record sequence (journal
 * order, then the jobs in memory in registration order), with a file journal (read from its
 * checkpoints) and in memory; the status counts match the records; bad queries say what is
 * accepted. The `--json` stats document is streamed to exactly `JSON.stringify`'s text.
 */
import assert from "node:assert/strict";
import { Prng } from "../mod/sim/aws/prng.ts";
import { JobTracker } from "../mod/tracker/job_tracker.ts";
import { FileJobJournal } from "../mod/tracker/file_job_journal.ts";
import { MAX_PAGE_RECORDS } from "../mod/tracker/job_query.ts";
import { parseJournalLine } from "../mod/tracker/journal_line.ts";
import { JOB_STATUSES, type JobStatusRecord } from "../mod/model/job_record.ts";
import { UsageError } from "../mod/usage_error.ts";
import {
  buildJsonStats,
  createJsonStatsOutput,
  jsonStatsPieces,
} from "../mod/output/json_stats.ts";
import { StatsAggregator } from "../mod/stats/aggregator.ts";
import { evaluateThresholds, parseThreshold } from "../mod/stats/thresholds.ts";
import { aggregate, context, JOBS, START } from "./stats_fixture.ts";

/** A tracker with `n` jobs in every state (finished ones in the journal, the rest in memory). */
function populated(n: number, journal?: FileJobJournal): JobTracker {
  const rng = new Prng(3);
  const tracker = new JobTracker(journal ? { journal } : {});
  for (let i = 0; i < n; i++) {
    const jobId = i.toString(16).padStart(32, "0");
    const url = `s3://b/img${i % 4}.tif`;
    tracker.register({
      imageId: `${jobId}:${url}`,
      jobId,
      imageUrl: url,
      messageId: `m-${i}`,
      size: i,
      pixels: i % 7 ? i * 10 : null,
      submittedAt: 1_700_000_000_000 + i * 3,
      name: `img${i % 4}.tif:m`,
      awaited: false,
    }, 0);
    const roll = rng.next();
    const status = roll < 0.15
      ? undefined
      : roll < 0.3
      ? "IN_PROGRESS"
      : roll < 0.75
      ? "SUCCESS"
      : roll < 0.9
      ? "FAILED"
      : "PARTIAL";
    if (status) {
      tracker.update({
        imageId: `${jobId}:${url}`,
        jobId,
        status,
        durationS: roll < 0.5 ? 7 : null,
        receivedAt: 1_700_000_000_000 + i * 3 + 500,
      });
    }
  }
  return tracker;
}

/** The one sequence: journal entries in order, then the jobs in memory in registration order. */
function sequence(tracker: JobTracker): Array<{ imageId: string; record: JobStatusRecord }> {
  const rows = [...tracker.journal.linesSync(0, tracker.journal.count)].map((line) => {
    const e = parseJournalLine(line);
    return { imageId: e.imageId, record: e.record };
  });
  const inJournal = new Set(rows.map((r) => r.imageId));
  for (const [imageId, record] of Object.entries(tracker.statusRecords())) {
    if (!inJournal.has(imageId)) rows.push({ imageId, record });
  }
  return rows;
}

Deno.test("every page is the matching slice of the record sequence (file journal and in memory)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "osml_query_" });
  try {
    for (const onFile of [true, false]) {
      const n = 3000;
      const tracker = populated(
        n,
        onFile ? FileJobJournal.create(`${dir}/job_records.jsonl`) : undefined,
      );
      assert.ok(tracker.journal.count > 1000, "a journal past several checkpoints");
      assert.ok(tracker.inMemory > 300, "and jobs in memory");
      const all = sequence(tracker);
      assert.equal(all.length, n);
      const counts = tracker.statusCounts();
      for (const s of JOB_STATUSES) {
        assert.equal(counts[s], all.filter((r) => r.record.status === s).length, s);
      }
      const rng = new Prng(onFile ? 1 : 2);
      for (let q = 0; q < 250; q++) {
        const status = rng.chance(0.5)
          ? JOB_STATUSES[Math.floor(rng.next() * JOB_STATUSES.length)]
          : undefined;
        const text = rng.chance(0.25) ? ["img1", "0001", "m-12", "nothing"][q % 4] : undefined;
        const newest = rng.chance(0.5);
        const limit = [1, 7, 100, 256, 1000][q % 5]!;
        const matching = all.filter((r) =>
          (status === undefined || r.record.status === status) &&
          (text === undefined || r.imageId.includes(text) || r.record.message_id.includes(text))
        );
        const offset = Math.floor(rng.next() * (matching.length + 20));
        const page = await tracker.query({
          offset,
          limit,
          ...(status ? { status } : {}),
          ...(text ? { text } : {}),
          order: newest ? "newest" : "oldest",
        });
        const ordered = newest ? [...matching].reverse() : matching;
        assert.equal(page.total, n);
        assert.equal(page.matched, matching.length, JSON.stringify({ status, text }));
        assert.deepEqual(
          page.records.map((r) => r.imageId),
          ordered.slice(offset, offset + limit).map((r) => r.imageId),
          JSON.stringify({ onFile, offset, limit, status, text, newest }),
        );
        for (const row of page.records) {
          assert.deepEqual(row.record, all.find((r) => r.imageId === row.imageId)!.record);
        }
      }
      // The default page: the newest 100.
      const first = await tracker.query();
      assert.deepEqual(
        first.records.map((r) => r.imageId),
        [...all].reverse().slice(0, 100).map((r) => r.imageId),
      );
      tracker.journal.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("bad job queries say what is accepted; a page has at most 1000 records", async () => {
  const tracker = populated(1200);
  await assert.rejects(() => tracker.query({ status: "DONE" }), (e: Error) => {
    assert.ok(e instanceof UsageError);
    assert.match(e.message, /unknown status "DONE"; use one of STARTED, IN_PROGRESS/);
    return true;
  });
  await assert.rejects(() => tracker.query({ offset: -1 }), /offset must be a whole number >= 0/);
  await assert.rejects(() => tracker.query({ limit: 1.5 }), /limit must be a whole number >= 0/);
  const page = await tracker.query({ limit: 5000 });
  assert.equal(page.records.length, MAX_PAGE_RECORDS);
});

Deno.test("--json is streamed to exactly JSON.stringify's document", async () => {
  const dir = await Deno.makeTempDir({ prefix: "osml_query_" });
  try {
    const stats = aggregate();
    // Many distinct failures (a submit-and-wait user's messages name each job).
    for (let i = 0; i < 5000; i++) {
      stats.record({
        type: "Process Image",
        name: "a.tif:m",
        responseTimeMs: i,
        length: 0,
        error: `Job Unsuccessful\nStatus: FAILED\nRequest ID: ${i}`,
        at: START + i,
      });
    }
    const results = evaluateThresholds(
      ["Submit Image:p95<500", "jobs_failed<=3"].map(parseThreshold),
      stats,
      JOBS,
    );
    const contexts = [
      { ...context(stats), thresholds: () => results },
      context(new StatsAggregator(START), { configuration: [] }),
    ];
    for (const ctx of contexts) {
      const expected = JSON.stringify(buildJsonStats(ctx), null, 2) + "\n";
      assert.equal([...jsonStatsPieces(ctx)].join(""), expected);
      await createJsonStatsOutput({ path: `${dir}/s.json` }).finish(ctx);
      assert.equal(await Deno.readTextFile(`${dir}/s.json`), expected);
    }
    assert.ok([...jsonStatsPieces(contexts[0]!)].length > 5000, "written a failure at a time");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
