/**
 * Long runs through the engine (issue 18), against the simulator over the real SDK: finished
 * jobs go to `job_records.jsonl` in the log folder and leave memory; `job_status.json` still
 * holds every job once with upstream's keys; the web UI's paged API and status counts agree
 * with it; and a run killed with SIGKILL leaves its finished jobs in the journal, every line
 * complete, which the next run in the folder keeps under another name.
 */
import assert from "node:assert/strict";
import { runLoadTest } from "../mod/engine/load_test.ts";
import { RunLog } from "../mod/log/run_log.ts";
import { LOCK_FILE, LOCK_STALE_MS } from "../mod/fs/log_dir_lock.ts";
import type { OutputContext } from "../mod/output/output.ts";
import type { JobRecordPage } from "../mod/tracker/job_query.ts";
import type { Simulator } from "../mod/sim/simulator.ts";
import { shortRun, withSimulator } from "./engine_test_support.ts";
import { simRunArgs, startTool, until } from "./run_test_support.ts";

const quiet = () => new RunLog({ verbose: false, console: () => {} });

Deno.test("finished jobs go to job_records.jsonl; job_status.json, pages and counts agree", async () => {
  await withSimulator({
    modelRunner: { msPerMegapixel: 0.05, fixedMs: 20, failureRate: 0.2, partialRate: 0.2 },
  }, async (sim, dir) => {
    let ctx: OutputContext | undefined;
    const settings = shortRun(sim, dir, { waitForCompletion: true, runTime: "4s" });
    const result = await runLoadTest(settings, {
      handleSignals: false,
      write: () => {},
      log: quiet(),
      onStarted: (_control, c) => (ctx = c),
    });
    assert.equal(result.reason, "window");
    const status = JSON.parse(await Deno.readTextFile(`${dir}/logs/job_status.json`)) as Record<
      string,
      { status: string; completed: boolean }
    >;
    const ids = Object.keys(status);
    assert.ok(ids.length >= 5, `${ids.length} jobs`);
    assert.equal(result.jobs.total_image_sent, ids.length);
    // Every job finished (the wait ran) and went to the journal, once.
    const journalPath = `${dir}/logs/job_records.jsonl`;
    assert.ok(result.files.includes(journalPath), "the journal is listed among the files");
    const lines = (await Deno.readTextFile(journalPath)).trimEnd().split("\n");
    const journaled = lines.map((line) => JSON.parse(line));
    assert.deepEqual(journaled.map((e) => e.image_id).sort(), [...ids].sort());
    for (const entry of journaled) {
      const { image_id, attempt: _attempt, seq: _seq, ...record } = entry;
      assert.deepEqual(record, status[image_id], image_id);
    }
    assert.ok(journaled.some((e) => e.status !== "SUCCESS"), "failed and partial jobs too");
    // The web UI's API: pages over every job, counts by status.
    const run = ctx as OutputContext | undefined;
    const queryJobs = run?.queryJobs;
    const jobStatusCounts = run?.jobStatusCounts;
    assert.ok(run && queryJobs && jobStatusCounts, "the run offers the paged API");
    const paged: string[] = [];
    for (let offset = 0;; offset += 3) {
      const page: JobRecordPage = await queryJobs({ offset, limit: 3, order: "oldest" });
      assert.equal(page.total, ids.length);
      if (page.records.length === 0) break;
      paged.push(...page.records.map((r) => r.imageId));
    }
    assert.deepEqual(paged, journaled.map((e) => e.image_id), "oldest first: journal order");
    const counts = jobStatusCounts();
    for (const s of ["SUCCESS", "FAILED", "PARTIAL", "STARTED", "IN_PROGRESS"]) {
      assert.equal(
        counts[s as keyof typeof counts],
        Object.values(status).filter((r) => r.status === s).length,
        s,
      );
    }
    const failed = await queryJobs({ status: "FAILED" });
    assert.equal(failed.matched, counts.FAILED);
    assert.ok(failed.records.every((r) => r.record.status === "FAILED"));
    // The old whole-record call still works (until the web UI switches).
    assert.deepEqual(Object.keys(run.jobRecords!()).sort(), [...ids].sort());
  });
});

function toolArgs(sim: Simulator, dir: string): string[] {
  return simRunArgs(sim, dir, [
    "--users",
    "4",
    "--spawn-rate",
    "40",
    "--wait-min",
    "0.05",
    "--wait-max",
    "0.1",
    "--run-time",
    "60s",
  ]);
}

Deno.test("a run killed with SIGKILL leaves its finished jobs in job_records.jsonl, every line complete", async () => {
  await withSimulator({
    modelRunner: { msPerMegapixel: 0.05, fixedMs: 10, failureRate: 0.1, partialRate: 0 },
  }, async (sim, dir) => {
    const path = `${dir}/logs/job_records.jsonl`;
    const child = startTool(toolArgs(sim, dir), sim.env);
    const lineCount = async () => {
      try {
        return (await Deno.readTextFile(path)).split("\n").length - 1;
      } catch {
        return 0;
      }
    };
    await until(async () => (await lineCount()) >= 30, "30 finished jobs in the journal");
    child.process.kill("SIGKILL");
    const { code } = await child.done;
    assert.notEqual(code, 0);
    const text = await Deno.readTextFile(path);
    const lines = text.split("\n");
    // Flushed whole lines only: the file ends at a line's end.
    assert.equal(lines.pop(), "", "the file ends with a complete line");
    assert.ok(lines.length >= 30);
    const ids = new Set<string>();
    for (const line of lines) {
      const entry = JSON.parse(line);
      assert.equal(entry.completed, true);
      assert.ok(["SUCCESS", "FAILED"].includes(entry.status), entry.status);
      assert.ok(!ids.has(entry.image_id), `${entry.image_id} twice`);
      ids.add(entry.image_id);
    }
    // The next run in the folder (once the killed run's lock is stale) keeps that journal
    // under another name instead of emptying it, and says where.
    const old = new Date(Date.now() - LOCK_STALE_MS - 1000);
    await Deno.utime(`${dir}/logs/${LOCK_FILE}`, old, old);
    const lines2: string[] = [];
    const log = new RunLog({ verbose: false, console: (line) => lines2.push(line) });
    await runLoadTest(shortRun(sim, dir, { runTime: "2s" }), {
      handleSignals: false,
      write: () => {},
      log,
    });
    const kept = [...Deno.readDirSync(`${dir}/logs`)].map((e) => e.name)
      .filter((n) => /^job_records\.killed-\d{8}-\d{6}\.jsonl$/.test(n));
    assert.equal(kept.length, 1, `one kept journal: ${kept}`);
    assert.equal(await Deno.readTextFile(`${dir}/logs/${kept[0]}`), text);
    assert.ok(
      lines2.some((l) => l.includes("was killed") && l.includes(kept[0]!)),
      lines2.join("\n"),
    );
    // A run after one that ended normally keeps nothing more.
    await runLoadTest(shortRun(sim, dir, { runTime: "1s" }), {
      handleSignals: false,
      write: () => {},
      log: quiet(),
    });
    assert.equal(
      [...Deno.readDirSync(`${dir}/logs`)].filter((e) => e.name.includes("killed")).length,
      1,
    );
  });
});
