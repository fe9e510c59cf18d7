/**
 * The journal of finished jobs (`job_records.jsonl`, issue 18) is one of the run's planned
 * outputs: a log folder where it cannot be written is refused before any load, with exit 2,
 * one line naming it, and nothing written.
 */
import assert from "node:assert/strict";
import { startSimulator } from "../mod/sim/simulator.ts";
import { simRunArgs, startTool } from "./run_test_support.ts";

Deno.test("a log folder whose job_records.jsonl cannot be written is refused before any load", async () => {
  const sim = await startSimulator({ port: 0 });
  const dir = await Deno.makeTempDir({ prefix: "osml_journal_preflight_" });
  try {
    await Deno.mkdir(`${dir}/logs/job_records.jsonl`, { recursive: true });
    const { code, stderr } = await startTool(simRunArgs(sim, dir, ["-t", "3s"]), sim.env).done;
    assert.equal(code, 2, stderr);
    const errorLines = stderr.trim().split("\n").filter((line) => /error/i.test(line));
    assert.equal(errorLines.length, 1, stderr);
    assert.match(errorLines[0]!, /job_records\.jsonl/);
    assert.doesNotMatch(stderr, /Load test start time/, "no load started");
    const left = [];
    for await (const entry of Deno.readDir(`${dir}/logs`)) left.push(entry.name);
    assert.deepEqual(left, ["job_records.jsonl"], "nothing else was written");
  } finally {
    await sim.close();
    await Deno.remove(dir, { recursive: true });
  }
});
