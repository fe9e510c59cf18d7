/**
 * Every exit code as documented, through the real command line: 0 ok, 1 failures recorded,
 * 2 every usage or configuration error (from the option parser or later), 3 thresholds failed,
 * 4 the tool failed (tests/run_ends.test.ts), 130 interrupted (tests/run_ends.test.ts,
 * tests/run_pty.test.ts). Also: the last history rows match the final statistics.
 */
import assert from "node:assert/strict";
import { parse } from "csv-parse/sync";
import { ExitCode } from "../mod/exit_codes.ts";
import { withSimulator } from "./engine_test_support.ts";
import { simRunArgs, startTool } from "./run_test_support.ts";

const BUCKETS = ["--source-bucket", "s3://abc", "--result-bucket", "s3://bcd"];

Deno.test("every usage error exits 2 with one line, from the option parser or later", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const busy = (listener.addr as Deno.NetAddr).port;
  try {
    const cases: Array<[string[], RegExp]> = [
      [["run", "--bogus"], /unknown option '--bogus'/],
      [["demo", "--bogus"], /unknown option '--bogus'/],
      [["capacity", "--bogus"], /unknown option/],
      [["cost", "--bogus"], /unknown option/],
      [["sim", "--bogus"], /unknown option/],
      [["run", "--users"], /argument missing/],
      [["bogus-command"], /unknown command/],
      [["run", "--headless", ...BUCKETS, "-t", "99999999999h"], /longer than 366 days/],
      [["run", "--headless", ...BUCKETS, "--users", "-3"], /--users/],
      [["run", ...BUCKETS, "--web-port", String(busy)], /is in use/],
      [["run", ...BUCKETS, "--web-host", "10.255.255.1"], /cannot serve the web UI/],
      [["sim", "--port", String(busy)], /is in use/],
    ];
    for (const [args, message] of cases) {
      const { code, stderr } = await startTool(args, {
        AWS_ACCESS_KEY_ID: "test",
        AWS_SECRET_ACCESS_KEY: "test",
        AWS_REGION: "us-west-2",
        AWS_ENDPOINT_URL: "http://127.0.0.1:9",
      }, 60_000).done;
      assert.equal(code, ExitCode.UsageError, `${args.join(" ")}: ${stderr}`);
      assert.match(stderr, message, args.join(" "));
      assert.equal(stderr.trim().split("\n").filter((l) => l.startsWith("error:")).length, 1);
    }
  } finally {
    listener.close();
  }
});

Deno.test("exit 0 for a clean dry run, 3 when a threshold fails", async () => {
  await withSimulator({ modelRunner: { msPerMegapixel: 0.05, fixedMs: 10 } }, async (sim, dir) => {
    const base = simRunArgs(sim, dir);
    const dry = await startTool([...base, "--dry-run"], sim.env).done;
    assert.equal(dry.code, ExitCode.Ok, dry.stderr);
    const failing = await startTool(
      [...base, "-u", "2", "-t", "3s", "--threshold", "Submit Image:count<1"],
      sim.env,
    ).done;
    assert.equal(failing.code, ExitCode.ThresholdsFailed, failing.stderr);
    assert.match(failing.stdout, /FAIL Submit Image:count<1/);
  });
});

Deno.test("the last history rows carry the final state: timed-out jobs and their failures", async () => {
  await withSimulator({ modelRunner: false }, async (sim, dir) => {
    const result = await startTool(
      simRunArgs(sim, dir, [
        "-u",
        "2",
        "-t",
        "2s",
        "--wait-min",
        "0.1",
        "--wait-max",
        "0.2",
        "--wait-for-completion",
        "--completion-timeout",
        "1s",
        "--status-source",
        "queue",
        "--csv",
        `${dir}/x`,
      ]),
      sim.env,
    ).done;
    assert.equal(result.code, ExitCode.RunFailed, result.stderr);
    const summary = JSON.parse(await Deno.readTextFile(`${dir}/logs/job_summary.json`));
    assert.ok(summary.total_image_timed_out > 0);
    const read = async (name: string) =>
      parse(await Deno.readTextFile(`${dir}/x_${name}.csv`), { columns: true }) as Array<
        Record<string, string>
      >;
    const stats = await read("stats");
    const aggregated = stats.find((row) => row.Name === "Aggregated")!;
    const history = await read("stats_history");
    const lastHistory = history[history.length - 1]!;
    assert.equal(lastHistory["Total Failure Count"], aggregated["Failure Count"]);
    assert.equal(lastHistory["Total Request Count"], aggregated["Request Count"]);
    const seconds = history.map((row) => row.Timestamp);
    assert.equal(new Set(seconds).size, seconds.length, "at most one row a second");
    const jobs = await read("jobs_history");
    const lastJobs = jobs[jobs.length - 1]!;
    assert.equal(Number(lastJobs["Jobs Timed Out"]), summary.total_image_timed_out);
    assert.equal(Number(lastJobs["Jobs In Flight"]), 0);
  });
});
