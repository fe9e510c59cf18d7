// `osml-load cost` end to end: the real Cost Explorer SDK client over HTTP against the
// simulator, whose ledger holds usage at known hours; every figure checked by hand.
import assert from "node:assert/strict";
import { CostExplorerClient } from "@aws-sdk/client-cost-explorer";
import { type CostOptions, runCost } from "../mod/commands/cost.ts";
import { type Simulator, startSimulator } from "../mod/sim/simulator.ts";
import { UsageError } from "../mod/usage_error.ts";

const H = 3_600_000;
const MIN = 60_000;
const SQS = "Amazon Simple Queue Service";
const S3 = "Amazon Simple Storage Service";
const SM = "Amazon SageMaker";
const ECS = "Amazon Elastic Container Service";

/** Round half away from zero at 2/4 decimals for the hand-computed figures (no ties here). */
function r(x: number, digits: number): number {
  return Math.round(x * 10 ** digits) / 10 ** digits;
}

/** ISO time of `ms` written with a +05:30 offset (as this tool writes summaries, any offset). */
function isoWithOffset(ms: number, offsetMinutes = 330): string {
  const local = new Date(ms + offsetMinutes * MIN).toISOString().slice(0, 19);
  const sign = offsetMinutes < 0 ? "-" : "+";
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${
    String(abs % 60).padStart(2, "0")
  }`;
}

interface Fixture {
  sim: Simulator;
  dir: string;
  /** Start of the first hour of the run, 5 clock hours before the current one. */
  h0: number;
  client: CostExplorerClient;
  /** GetCostAndUsage calls the client made. */
  calls: () => number;
  out: string[];
  err: string[];
  io: { client: CostExplorerClient; stdout: (t: string) => void; stderr: (t: string) => void };
  close(): Promise<void>;
}

/**
 * A simulator (no seed, no Model Runner) whose ledger holds, relative to h0:
 * - hour 0: 2,000,000 SQS requests ($0.80); hour −2: 1,000,000 more (outside the run)
 * - hour 1: 20,000 S3 PUTs ($0.10); hour 4: 50,000 S3 GETs ($0.02)
 * - a SageMaker ml.g4dn.xlarge endpoint from 0:30 to 3:30 (3 h × $0.736 = $2.208)
 * - 4 Fargate vCPUs from 0:00 to 4:00 (16 vCPU-h × $0.04048 = $0.64768)
 * The run: 0:05 to 4:20 → HOURLY periods 0..4 (5 periods: two pages of at most 4).
 */
async function fixture(): Promise<Fixture> {
  const sim = await startSimulator({ seed: false, modelRunner: false });
  const dir = await Deno.makeTempDir({ prefix: "cost_command_" });
  const h0 = Math.floor(Date.now() / H) * H - 5 * H;
  const ledger = sim.ledger;
  ledger.record(SQS, "Requests-Tier1", 2_000_000, h0 + 10 * MIN);
  ledger.record(SQS, "Requests-Tier1", 1_000_000, h0 - 2 * H + 10 * MIN);
  ledger.record(S3, "Requests-Tier1", 20_000, h0 + H + MIN);
  ledger.record(S3, "Requests-Tier2", 50_000, h0 + 4 * H + 5 * MIN);
  const endpoint = ledger.start({
    service: SM,
    usageType: "ml.g4dn.xlarge-Hosting",
    unitsPerHour: 1,
    since: h0 + 30 * MIN,
  });
  ledger.stop(endpoint, h0 + 3 * H + 30 * MIN);
  const workers = ledger.start({
    service: ECS,
    usageType: "Fargate-vCPU-Hours:perCPU",
    unitsPerHour: 4,
    since: h0,
  });
  ledger.stop(workers, h0 + 4 * H);

  const client = new CostExplorerClient({
    region: "us-east-1",
    endpoint: sim.endpoint,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 1,
  });
  let calls = 0;
  client.middlewareStack.add((next) => (args) => {
    calls++;
    return next(args);
  }, { step: "initialize", name: "countCalls" });
  const out: string[] = [];
  const err: string[] = [];
  return {
    sim,
    dir,
    h0,
    client,
    calls: () => calls,
    out,
    err,
    io: { client, stdout: (t) => out.push(t), stderr: (t) => err.push(t) },
    async close() {
      client.destroy();
      await sim.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

async function writeSummary(f: Fixture, summary: Record<string, unknown>): Promise<string> {
  const path = `${f.dir}/job_summary.json`;
  await Deno.writeTextFile(path, JSON.stringify(summary, null, 4));
  return path;
}

function runSummary(start: string, stop: string): Record<string, unknown> {
  return {
    total_image_sent: 40,
    total_image_in_progress: 2,
    total_image_processed: 38,
    total_image_succeeded: 36,
    total_image_failed: 2,
    total_gb_processed: 3.5,
    total_pixels_processed: 2_500_000_000,
    start_time: start,
    stop_time: stop,
  };
}

const TOTAL = 0.80 + 0.10 + 0.02 + 2.208 + 0.64768; // 3.77568
const HOURS = 4.25;

Deno.test("cost report of a run: every figure, all pages read, JSON written", async () => {
  const f = await fixture();
  try {
    const start = isoWithOffset(f.h0 + 5 * MIN);
    const stop = isoWithOffset(f.h0 + 4 * H + 20 * MIN);
    const summaryPath = await writeSummary(f, runSummary(start, stop));
    const output = `${f.dir}/cost_report.json`;
    const report = await runCost({ summary: summaryPath, output }, f.io);

    assert.equal(f.calls(), 4, "two queries of two pages each");
    assert.deepEqual(report.load_test_summary, {
      start_time: start,
      stop_time: stop,
      duration_hours: HOURS,
      total_images_sent: 40,
      total_images_processed: 38,
      total_images_succeeded: 36,
      total_gb_processed: 3.5,
      total_pixels_processed: 2_500_000_000,
      gigapixels_processed: 2.5,
    });
    assert.deepEqual(report.cost_summary, {
      total_cost_usd: r(TOTAL, 2), // 3.78
      cost_per_hour: r(TOTAL / HOURS, 2), // 0.89
      cost_per_image: r(TOTAL / 38, 4), // 0.0994
      cost_per_gb: r(TOTAL / 3.5, 2), // 1.08
      cost_per_gigapixel: r(TOTAL / 2.5, 4), // 1.5103
    });
    assert.equal(report.cost_summary.total_cost_usd, 3.78);
    assert.equal(report.cost_summary.cost_per_gigapixel, 1.5103);
    assert.deepEqual(Object.entries(report.costs_by_service), [
      [SM, 2.21],
      [SQS, 0.8],
      [ECS, 0.65],
      [S3, 0.12],
    ]);
    assert.deepEqual(report.time_period, { start, end: stop });

    const written = JSON.parse(await Deno.readTextFile(output));
    assert.deepEqual(written, report);
    const table = f.out.join("");
    assert.match(table, /LOAD TEST COST REPORT/);
    assert.match(table, /\n {2}Total Cost: {12}\$3\.78\n/);
    assert.match(table, /\n {2}Amazon SageMaker {30}\$2\.21 \( 58\.5%\)\n/);
    assert.deepEqual(f.err, [`Cost report written to: ${output}\n`]);
    // Nothing but the report in the folder (the write went through a temporary file).
    const names = [];
    for await (const entry of Deno.readDir(f.dir)) names.push(entry.name);
    assert.deepEqual(names.sort(), ["cost_report.json", "job_summary.json"]);
  } finally {
    await f.close();
  }
});

Deno.test("--tag, --service, --metric and --format csv/json restrict and reshape the report", async () => {
  const f = await fixture();
  try {
    const window = {
      start: new Date(f.h0 + 5 * MIN).toISOString(),
      end: new Date(f.h0 + 4 * H + 20 * MIN).toISOString(),
    };
    const tagged = await runCost(
      { ...window, tag: ["Project=osml-model-runner"], format: "csv" },
      f.io,
    );
    // Only the deployment's tagged resources: the endpoint and the Fargate workers.
    assert.equal(tagged.cost_summary.total_cost_usd, r(2.208 + 0.64768, 2));
    assert.deepEqual(Object.keys(tagged.costs_by_service), [SM, ECS]);
    assert.equal(
      f.out.pop(),
      "service,cost_usd\nAmazon SageMaker,2.21\n" +
        "Amazon Elastic Container Service,0.65\nTotal,2.86\n",
    );

    const sqs = await runCost(
      { ...window, service: [SQS], metric: "UnblendedCost", format: "json" },
      f.io,
    );
    assert.equal(sqs.cost_summary.total_cost_usd, 0.8);
    assert.deepEqual(sqs.costs_by_service, { [SQS]: 0.8 });
    assert.deepEqual(JSON.parse(f.out.pop() ?? ""), sqs);
    // Without a summary the counters are 0, so the per-unit figures are 0.
    assert.equal(sqs.cost_summary.cost_per_image, 0);
    assert.equal(sqs.load_test_summary.start_time, window.start);

    const daily = await runCost({ ...window, granularity: "daily", format: "json" }, f.io);
    // DAILY covers the whole UTC day(s) of the window, here including the hour before.
    const days = new Set([
      new Date(f.h0).toISOString().slice(0, 10),
      new Date(f.h0 + 4 * H + 20 * MIN).toISOString().slice(0, 10),
    ]);
    const before = new Date(f.h0 - 2 * H).toISOString().slice(0, 10);
    const expected = TOTAL + (days.has(before) ? 0.40 : 0);
    assert.equal(daily.cost_summary.total_cost_usd, r(expected, 2));
  } finally {
    await f.close();
  }
});

Deno.test("HOURLY refused for a window older than 14 days falls back to DAILY with a note", async () => {
  const f = await fixture();
  try {
    const day = Math.floor(Date.now() / (24 * H)) * 24 * H - 20 * 24 * H;
    f.sim.ledger.record(SQS, "Requests-Tier1", 5_000_000, day + 12 * H); // $2.00
    f.sim.ledger.record(SQS, "Requests-Tier1", 1_000_000, day - 12 * H); // the day before
    const report = await runCost({
      start: new Date(day + 10 * H).toISOString(),
      end: new Date(day + 11 * H).toISOString(),
    }, f.io);
    assert.equal(report.cost_summary.total_cost_usd, 2);
    assert.equal(report.cost_summary.cost_per_hour, 2);
    assert.equal(f.err.length, 1);
    assert.match(f.err[0] ?? "", /^note: Cost Explorer keeps hourly data for the last 14 days/);
    assert.match(f.err[0] ?? "", /DAILY/);
  } finally {
    await f.close();
  }
});

async function assertUsageError(
  f: Fixture,
  options: CostOptions,
  pattern: RegExp,
): Promise<void> {
  const output = `${f.dir}/should_not_exist.json`;
  await assert.rejects(() => runCost({ output, ...options }, f.io), (error: unknown) => {
    assert.ok(error instanceof UsageError, `expected UsageError, got ${String(error)}`);
    assert.equal(error.exitCode, 2);
    assert.match(error.message, pattern);
    assert.ok(!error.message.includes("\n"), "one line");
    return true;
  });
  await assert.rejects(() => Deno.stat(output), Deno.errors.NotFound);
  assert.deepEqual(f.out, [], "nothing printed");
}

Deno.test("errors: access denied, data not yet available, bad summaries and flags", async () => {
  const f = await fixture();
  try {
    const start = new Date(f.h0).toISOString();
    const end = new Date(f.h0 + H).toISOString();
    f.sim.faults.set({ deny: ["CostExplorer.GetCostAndUsage"] });
    await assertUsageError(f, { start, end }, /AccessDeniedException.*ce:GetCostAndUsage/);
    f.sim.faults.set({});

    const future = new Date(Date.now() + 2 * H).toISOString();
    const later = new Date(Date.now() + 3 * H).toISOString();
    await assertUsageError(
      f,
      { start: future, end: later },
      /DataUnavailableException.*24-48 hours/,
    );

    const noTimes = await writeSummary(f, { total_image_sent: 3 });
    await assertUsageError(f, { summary: noTimes }, /has no start_time and stop_time.*--start/);
    const noStop = await writeSummary(f, { start_time: start });
    await assertUsageError(f, { summary: noStop }, /has no stop_time/);
    await assertUsageError(f, { summary: `${f.dir}/missing.json` }, /cannot read the summary/);
    const badJson = `${f.dir}/job_summary.json`;
    await Deno.writeTextFile(badJson, "{ not json");
    await assertUsageError(f, { summary: badJson }, /not valid JSON/);
    await assertUsageError(f, {}, /pass a job_summary.json .* or both --start and --end/);
    await assertUsageError(f, { start: "noon", end }, /bad --start "noon"/);
    await assertUsageError(f, { start: end, end: start }, /ends .* before it starts/);
    await assertUsageError(f, { start, end, tag: ["Project"] }, /bad --tag "Project".*KEY=VALUE/);
    await assertUsageError(f, { start, end, granularity: "WEEKLY" }, /HOURLY, DAILY/);
    await assertUsageError(f, { start, end, metric: "UsageQuantity" }, /bad --metric/);
    await assertUsageError(f, { start, end, format: "xml" }, /table, json, csv/);
    assert.equal(f.calls(), 2, "only the denied and the future queries reached Cost Explorer");
  } finally {
    await f.close();
  }
});

/** Run `osml-load cost` in a subprocess (through the real command line) with `env`. */
async function runCli(args: string[], env: Record<string, string>) {
  const script = `
    import { Command } from "commander";
    import { registerCostCommand } from "${new URL(
    "../mod/commands/cost_command.ts",
    import.meta.url,
  )}";
    import { runCli } from "${new URL("../mod/commands/run_cli.ts", import.meta.url)}";
    const program = new Command("osml-load");
    registerCostCommand(program);
    Deno.exitCode = await runCli(program, Deno.args);
  `;
  const command = new Deno.Command(Deno.execPath(), {
    args: ["eval", "--ext=ts", script, ...args],
    cwd: new URL("..", import.meta.url).pathname,
    clearEnv: true,
    env: {
      PATH: Deno.env.get("PATH") ?? "",
      HOME: Deno.env.get("HOME") ?? "",
      ...(Deno.env.get("DENO_DIR") ? { DENO_DIR: Deno.env.get("DENO_DIR") ?? "" } : {}),
      NO_COLOR: "1",
      ...env,
    },
    stdout: "piped",
    stderr: "piped",
  });
  const { code, stdout, stderr } = await command.output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code, stdout: decode(stdout), stderr: decode(stderr) };
}

Deno.test("command line: naive summary times are LOCAL time (TZ=Asia/Kolkata); errors exit 2", async () => {
  const f = await fixture();
  try {
    // The original suite's summary: naive local times, here in UTC+05:30.
    const naive = (ms: number) => new Date(ms + 330 * MIN).toISOString().slice(0, 23) + "456";
    const path = await writeSummary(
      f,
      runSummary(naive(f.h0 + 5 * MIN), naive(f.h0 + 4 * H + 20 * MIN)),
    );
    const env = {
      TZ: "Asia/Kolkata",
      AWS_ENDPOINT_URL: f.sim.endpoint,
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
    };
    const ok = await runCli(["cost", path, "--format", "json"], env);
    assert.equal(ok.code, 0, ok.stderr);
    const report = JSON.parse(ok.stdout);
    assert.equal(report.cost_summary.total_cost_usd, 3.78);
    assert.equal(report.load_test_summary.duration_hours, HOURS);
    assert.match(report.time_period.start, /\+05:30$/);

    const table = await runCli(["cost", path], env);
    assert.equal(table.code, 0, table.stderr);
    assert.ok(table.stdout.startsWith("\n" + "=".repeat(80) + "\nLOAD TEST COST REPORT\n"));

    f.sim.faults.set({ deny: ["CostExplorer.GetCostAndUsage"] });
    const denied = await runCli(["cost", path], env);
    assert.equal(denied.code, 2);
    assert.match(denied.stderr, /^error: Cost Explorer refused access .*ce:GetCostAndUsage/);
    assert.equal(denied.stderr.trim().split("\n").length, 1);
    const missing = await runCli(["cost", `${f.dir}/nope.json`], env);
    assert.equal(missing.code, 2);
    const help = await runCli(["cost", "--help"], env);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--tag <key=value>/);
    assert.match(help.stdout, /Examples:/);
  } finally {
    await f.close();
  }
});
