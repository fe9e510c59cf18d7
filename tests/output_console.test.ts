/**
 * The console: Locust's tables at any width, the k6-style status line (load and completion wait),
 * the image-header progress bar, the closing `Outputs:` list and `--only-summary`. Terminal
 * behaviour is checked on a small terminal model that fails on any write past the last column.
 */

import assert from "node:assert/strict";
import { Command } from "commander";
import { createConsoleStatsOutput } from "../mod/output/console_stats.ts";
import {
  errorReportLines,
  percentileSummaryLines,
  statsSummaryLines,
} from "../mod/output/console_tables.ts";
import {
  createStatusLineOutput,
  formatDrainStatus,
  formatLoadStatus,
} from "../mod/output/status_line.ts";
import { ConsoleGuard } from "../mod/output/console_guard.ts";
import { formatOutputsList } from "../mod/output/outputs_list.ts";
import { LiveLine, type TextStream } from "../mod/log/live_line.ts";
import { progressBar } from "../mod/log/progress.ts";
import type { OutputContext, RunPhase } from "../mod/output/output.ts";
import type { JobStatistics } from "../mod/model/run_report.ts";
import { StatsAggregator } from "../mod/stats/aggregator.ts";
import { addTableOptions } from "../mod/commands/command_options.ts";
import { resolveRunSettings } from "../mod/config/run_settings.ts";
import { buildOutputs } from "../mod/engine/run_outputs.ts";
import { A_NAME, aggregate, C_NAME, context, JOBS, START, THROTTLED } from "./stats_fixture.ts";

/**
 * A terminal `columns` wide: carriage return, clear line (`ESC [2K`), newline and text. Throws
 * when text would run past the last column (a real terminal would wrap it).
 */
class Terminal {
  raw = "";
  readonly stream: TextStream;
  constructor(readonly columns: number) {
    this.stream = {
      write: (text) => void (this.raw += text),
      isTerminal: () => true,
      columns: () => this.columns,
    };
  }
  /** Print a whole line, as `console.log` does. */
  println = (line: string) => void (this.raw += line + "\n");
  /** What the screen shows, line by line; the last entry is the line being drawn (if any). */
  screen(): string[] {
    const lines: string[] = [];
    let row: string[] = [];
    let col = 0;
    for (let i = 0; i < this.raw.length; i++) {
      if (this.raw.startsWith("\x1b[2K", i)) {
        row = [];
        i += 3;
        continue;
      }
      const ch = this.raw[i]!;
      if (ch === "\r") col = 0;
      else if (ch === "\n") {
        lines.push(row.join(""));
        row = [];
        col = 0;
      } else {
        if (col >= this.columns) {
          throw new Error(`text runs past column ${this.columns}: ${JSON.stringify(row.join(""))}`);
        }
        row[col++] = ch;
      }
    }
    if (row.length > 0) lines.push(row.join(""));
    return lines;
  }
}

/** The rows of one part of a table: header, separator, rows, up to the next empty line. */
function parts(lines: string[]): string[][] {
  const out: string[][] = [[]];
  for (const line of lines) {
    if (line === "") out.push([]);
    else out.at(-1)!.push(line);
  }
  return out.filter((p) => p.length > 0);
}

const STATS_HEADERS = [
  "Type",
  "Name",
  "# reqs",
  "# fails",
  "Avg",
  "Min",
  "Max",
  "Med",
  "req/s",
  "failures/s",
];
const PERCENTILE_HEADERS = [
  "Type",
  "Name",
  "50%",
  "66%",
  "75%",
  "80%",
  "90%",
  "95%",
  "98%",
  "99%",
  "99.9%",
  "99.99%",
  "100%",
  "# reqs",
];

/** Every header of `lines` in order of appearance (cut at the separator's `|`), keys once. */
function headersOf(lines: string[]): string[] {
  const seen: string[] = [];
  for (const part of parts(lines)) {
    const [header, separator] = part.filter((l) => !l.startsWith("Response time"));
    if (!header?.startsWith("Type ") || !separator) continue;
    let start = 0;
    for (let i = 0; i <= separator.length; i++) {
      if (i < separator.length && separator[i] !== "|") continue;
      const h = header.slice(start, i).replaceAll("|", "").trim();
      if (h && !seen.includes(h)) seen.push(h);
      start = i + 1;
    }
  }
  return seen;
}

Deno.test("console tables: piped, every column is as wide as its content, in Locust's order and formats", () => {
  const stats = aggregate();
  const lines = statsSummaryLines(stats, { current: false, width: Infinity });
  assert.deepEqual(lines, [
    "Type         Name                  # reqs   # fails |   Avg   Min   Max   Med | req/s failures/s",
    "------------|---------------------|------|----------|------|-----|-----|------|------|----------",
    "Submit Image big.tif:flood              1  0(0.00%) |     0     0     0     0 |  0.12       0.00",
    "Job Complete small.tif:centerpoint      3 1(33.33%) | 45333 30000 61000 45000 |  0.38       0.12",
    "Submit Image small.tif:centerpoint     10 2(20.00%) |  1968    12 15500    99 |  1.25       0.25",
    "------------|---------------------|------|----------|------|-----|-----|------|------|----------",
    // Locust's numbers: avg 11120.40 → %d 11120, min 0.4 → 0, 14 / 8 s = 1.75 req/s,
    // 3 / 8 = 0.375 → %.2f "0.38".
    "             Aggregated                14 3(21.43%) | 11120     0 61000   140 |  1.75       0.38",
  ]);
  const percentiles = percentileSummaryLines(stats, { width: Infinity });
  assert.equal(percentiles[0], "Response time percentiles (approximated)");
  assert.equal(
    percentiles[1],
    "Type         Name                    50%   66%   75%   80%   90%   95%   98%   99% 99.9% 99.99%  100% # reqs",
  );
  assert.equal(
    percentiles.at(-1),
    "             Aggregated              160  2300 16000 30000 45000 61000 61000 61000 61000  61000 61000     14",
  );
});

for (const width of [40, 80, 120, 200]) {
  Deno.test(`console tables at ${width} columns: no line wider, rows aligned, every column and row kept`, () => {
    const stats = aggregate();
    const live = statsSummaryLines(stats, { current: true, width });
    const final = statsSummaryLines(stats, { current: false, width });
    const percentiles = percentileSummaryLines(stats, { width });
    const errors = errorReportLines(stats, { width });
    for (const line of [...live, ...final, ...percentiles, ...errors]) {
      assert.ok(line.length <= width, `${line.length} > ${width}: ${line}`);
    }
    assert.deepEqual(headersOf(final), STATS_HEADERS);
    assert.deepEqual(headersOf(percentiles.slice(1)), PERCENTILE_HEADERS);
    for (const part of [...parts(final), ...parts(percentiles.slice(1))]) {
      // Right-aligned last columns: a misplaced cell would make a row longer or shorter.
      assert.equal(new Set(part.map((l) => l.length)).size, 1, part.join("\n"));
      // Every part has the three entries and the Aggregated row.
      assert.equal(part.filter((l) => /^(Submit Image|Job Complete) /.test(l)).length, 3);
      assert.equal(part.filter((l) => /^ +Aggregated/.test(l)).length, 1);
    }
    // The Aggregated numbers are all there, whatever the split.
    const aggregated = final.filter((l) => /^ +Aggregated/.test(l)).join(" ");
    for (const cell of ["14", "3(21.43%)", "11120", "0", "61000", "140", "1.75", "0.38"]) {
      assert.ok(aggregated.split(/[ |]+/).includes(cell), `${cell} in ${aggregated}`);
    }
    const nameShown = final.some((l) => l.includes(A_NAME)) &&
      final.some((l) => l.includes(C_NAME));
    if (width >= 120) {
      assert.equal(parts(final).length, 1, "one stats table");
      assert.equal(parts(percentiles.slice(1)).length, 1, "one percentile table");
      assert.ok(nameShown, "names in full");
    }
    if (width === 40) {
      assert.ok(!nameShown, "names cut");
      assert.ok(final.some((l) => l.includes("small.tif…")), "cut names end with …");
    }
    // The error report keeps the whole message, wrapped in its column.
    const text = errors.slice(3, -2).map((l) => l.slice(14)).join(" ");
    assert.ok(
      text.replaceAll(" ", "").includes(
        `Submit Image small.tif:centerpoint: ${THROTTLED}`.replaceAll(" ", ""),
      ),
    );
  });
}

Deno.test("console tables: below 40 columns nothing fails and no line is wider", () => {
  const stats = aggregate();
  for (const width of [1, 5, 12, 25, 39]) {
    const lines = [
      ...statsSummaryLines(stats, { current: true, width }),
      ...percentileSummaryLines(stats, { width }).slice(1),
      ...errorReportLines(stats, { width }),
    ];
    for (const line of lines) assert.ok(line.length <= width, `${width}: ${line}`);
  }
});

Deno.test("console: live table every interval, none with --only-summary, then the final tables", async () => {
  const lines: string[] = [];
  const output = createConsoleStatsOutput({
    write: (l) => lines.push(l),
    width: () => 120,
    intervalMs: 2000,
  });
  const ctx = context(aggregate());
  await output.tick?.(ctx, START + 1000);
  await output.tick?.(ctx, START + 2000); // under 2 s since the last table: nothing
  await output.tick?.(ctx, START + 3000);
  const live = lines.splice(0);
  assert.equal(live.filter((l) => l.startsWith("Type ")).length, 2, "two live tables");
  // Live rows use current rates: small.tif had 8 requests and 1 failure in the window slots.
  assert.ok(
    live.includes(
      "Submit Image small.tif:centerpoint     10 2(20.00%) |  1968    12 15500    99 |  1.33       0.17",
    ),
  );

  const summaryOnly = createConsoleStatsOutput({
    write: (l) => lines.push(l),
    width: () => 120,
    live: false,
  });
  await summaryOnly.tick?.(ctx, START + 1000);
  await summaryOnly.tick?.(ctx, START + 5000);
  assert.equal(lines.length, 0, "no live table with --only-summary");
  await summaryOnly.finish(ctx);
  assert.ok(lines[0]?.startsWith("Type "));
  assert.ok(lines.includes("Response time percentiles (approximated)"));
  assert.ok(lines.includes("Error report"));
});

Deno.test("console: the job statistics block follows the tables when asked for", async () => {
  const lines: string[] = [];
  const output = createConsoleStatsOutput({
    write: (l) => lines.push(l),
    width: () => 40,
    jobStatistics: true,
  });
  await output.finish(context(aggregate()));
  assert.deepEqual(lines.slice(-8), [
    "Total Images Sent: 12",
    "Total Images In-Progress: 2",
    "Total Images Processed: 10",
    "Total Images Succeeded: 7",
    "Total Images Failed: 3",
    "Total GB Processed: 1.50",
    "Total Pixels Processed: 4200000000",
    "Total Images Partial: 1",
  ]);
});

Deno.test("console: a table that cannot be printed is reported once and never stops the run", async () => {
  const reports: string[] = [];
  let attempts = 0;
  const output = createConsoleStatsOutput({
    write: () => {
      attempts++;
      throw new Error("Broken pipe (os error 32)");
    },
    width: () => 80,
    guard: new ConsoleGuard((m) => reports.push(m)),
  });
  const ctx = context(aggregate());
  await output.tick?.(ctx, START + 1000);
  await output.tick?.(ctx, START + 5000);
  await output.finish(ctx);
  assert.ok(attempts >= 4, "it kept trying at each print");
  assert.equal(reports.length, 1);
  assert.match(reports[0]!, /could not print the live stats table: Broken pipe/);
});

// --- The status line -------------------------------------------------------------------------

Deno.test("status line: load and completion lines fit 40, 80 and 120 columns", () => {
  const load = {
    elapsedS: 754,
    windowS: 3600,
    users: 120,
    sent: 123456,
    inFlight: 789,
    done: 122667,
    failures: 12,
    targetRate: 2,
    achievedRate: 1.95,
  };
  assert.equal(
    formatLoadStatus(load),
    "running 12m34s/1h0m0s, 120 users, 123456 sent, 789 in flight, 122667 done, 12 failures, 1.95/s of 2.00/s target",
  );
  assert.equal(
    formatLoadStatus(load, 119),
    "running 12m34s/1h0m0s, 120 users, 123456 sent, 789 in flight, 122667 done, 12 failures, 1.95/s of 2.00/s target",
  );
  assert.equal(
    formatLoadStatus(load, 79),
    "12m34s/1h0m0s, 120 users, 123456 sent, 789 in flight, 122667 done, 12 failures",
  );
  assert.equal(formatLoadStatus(load, 39), "12m34s/1h0m0s, 123456 sent, 122667 done");
  for (const width of [1, 10, 20, 39, 79, 119]) {
    assert.ok(formatLoadStatus(load, width).length <= width);
    assert.ok(
      formatDrainStatus({ done: 62, total: 69, leftS: 41, ofS: 120 }, width).length <= width,
    );
  }
  // Unknown is not zero: no achieved rate before it could be measured; below 1/s per minute.
  assert.match(
    formatLoadStatus({ ...load, targetRate: 0.5, achievedRate: null }),
    /, n\/a of 30\.0\/min target$/,
  );
  // A run until stopped has no window.
  assert.match(formatLoadStatus({ ...load, windowS: undefined }), /^running 12m34s, 120 users/);
  assert.match(formatLoadStatus({ ...load, users: 1, failures: 1 }), /1 user, .* 1 failure,/);
  assert.equal(
    formatDrainStatus({ done: 62, total: 69, leftS: 41, ofS: 120 }, 79),
    "Waiting for jobs: 62/69 done (89%), 41s left of 2m0s",
  );
  assert.equal(
    formatDrainStatus({ done: 62, total: 69, end: { kind: "stopped" } }),
    "Waiting for jobs: 62/69 done (89%), stopped",
  );
  assert.equal(formatDrainStatus({ done: 0, total: 0 }), "Waiting for jobs: 0/0 done");
});

/** A run whose state a test moves by hand. */
function fakeRun() {
  const jobs: JobStatistics = {
    ...JOBS,
    total_image_sent: 0,
    total_image_in_progress: 0,
    total_image_processed: 0,
    total_image_failed: 0,
    total_image_succeeded: 0,
    total_image_partial: 0,
  };
  const state = {
    phase: "load" as RunPhase,
    users: 0,
    deadline: undefined as number | undefined,
    stoppedAt: undefined as number | undefined,
    targetRate: undefined as number | undefined,
    jobs,
  };
  const stats = new StatsAggregator(START);
  const ctx: OutputContext = {
    stats,
    userCount: () => state.users,
    jobs: () => ({ ...state.jobs }),
    timeline: () =>
      state.targetRate === undefined ? [] : [{
        t: START,
        users: 0,
        rps: 0,
        fps: 0,
        p50: null,
        p95: null,
        p99: null,
        jobsInFlight: 0,
        jobsSucceeded: 0,
        jobsFailed: 0,
        jobsPartial: 0,
        jobsTimedOut: 0,
        gbProcessed: 0,
        pixelsProcessed: 0,
        targetRate: state.targetRate,
      }],
    configuration: [],
    startedAt: START - 500,
    stoppedAt: () => state.stoppedAt,
    phase: () => state.phase,
    loadStartedAt: () => START,
    plannedDurationS: 45,
    drainDeadline: () => state.deadline,
  };
  const send = (n: number) => {
    state.jobs.total_image_sent += n;
    state.jobs.total_image_in_progress += n;
  };
  const complete = (n: number) => {
    state.jobs.total_image_in_progress -= n;
    state.jobs.total_image_processed += n;
    state.jobs.total_image_succeeded += n;
  };
  return { ctx, state, stats, send, complete };
}

/** Run `fn` with `console.log`/`error` writing whole lines to `terminal`. */
async function withConsoleOn(terminal: Terminal, fn: () => Promise<void>): Promise<void> {
  const { log, error } = console;
  console.log = (...args: unknown[]) => terminal.println(args.join(" "));
  console.error = (...args: unknown[]) => terminal.println(args.join(" "));
  try {
    await fn();
  } finally {
    console.log = log;
    console.error = error;
  }
}

Deno.test("status line on a terminal: redraws in place, tables and logs above it, true final value before 'All jobs completed!'", async () => {
  const terminal = new Terminal(80);
  await withConsoleOn(terminal, async () => {
    const run = fakeRun();
    let clock = START;
    const line = new LiveLine(terminal.stream);
    const guard = new ConsoleGuard((m) => {
      throw new Error(`unexpected console error: ${m}`);
    });
    const status = createStatusLineOutput({ line, guard, now: () => clock });
    const tables = createConsoleStatsOutput({
      liveLine: line,
      guard,
      width: () => 80,
      intervalMs: 5000,
    });
    const tick = async (at: number) => {
      clock = at;
      await status.tick?.(run.ctx, at);
      await tables.tick?.(run.ctx, at);
    };
    run.state.users = 5;
    run.send(3);
    await tick(START + 1000);
    run.send(4);
    run.complete(2);
    await tick(START + 2000);
    console.error("[2026-01-01 00:00:02,000] INFO/osml_load.engine: a log line");
    let screen = terminal.screen();
    assert.equal(screen.at(-1), "running 2s/45s, 5 users, 7 sent, 5 in flight, 2 done, 0 failures");
    assert.ok(screen.at(-2)?.includes("a log line"), "the log line is above the status line");
    assert.ok(screen.some((l) => l.startsWith("Type ")), "the live table is above it");
    assert.ok(
      !screen.some((l) =>
        l.includes("running") && l.length > "running".length && l.includes("Type")
      ),
    );

    // The window ends: the final load line stays, then the completion wait.
    run.state.phase = "drain";
    run.state.users = 0;
    run.state.deadline = START + 2000 + 120_000;
    await tick(START + 2000);
    run.complete(1);
    await tick(START + 3000);
    screen = terminal.screen();
    // (users stop when the window ends: the final load line shows 0 running)
    assert.equal(screen.at(-2), "running 2s/45s, 0 users, 7 sent, 5 in flight, 2 done, 0 failures");
    assert.equal(screen.at(-1), "Waiting for jobs: 3/7 done (42%), 1m59s left of 2m0s");

    // The last jobs finish between ticks; the engine then logs "All jobs completed!".
    run.complete(4);
    clock = START + 3500;
    console.error("All jobs completed!");
    screen = terminal.screen();
    assert.deepEqual(screen.slice(-2), [
      "Waiting for jobs: 7/7 done (100%) in 1s",
      "All jobs completed!",
    ]);
    run.state.phase = "finish";
    run.state.stoppedAt = START + 3600;
    await status.finish(run.ctx);
    await tables.finish(run.ctx);
    screen = terminal.screen();
    assert.equal(
      screen.filter((l) => l.startsWith("Waiting for jobs")).length,
      1,
      "one final line",
    );
    assert.ok(screen.includes("Response time percentiles (approximated)"));
    assert.equal(screen.at(-1), "", "the tables end the output; no status line below them");
    assert.ok(!line.active);
  });
});

Deno.test("status line on a terminal: the completion wait that times out says how many jobs did", async () => {
  const terminal = new Terminal(40);
  await withConsoleOn(terminal, async () => {
    const run = fakeRun();
    const status = createStatusLineOutput({
      line: new LiveLine(terminal.stream),
      now: () => START + 9000,
    });
    run.send(69);
    run.complete(62);
    await status.tick?.(run.ctx, START + 8000);
    run.state.phase = "drain";
    run.state.deadline = START + 9000 + 120_000;
    await status.tick?.(run.ctx, START + 9000);
    assert.equal(terminal.screen().at(-1), "Jobs: 62/69 done (89%), 2m0s left");
    run.state.jobs.total_image_in_progress = 0;
    run.state.jobs.total_image_timed_out = 7;
    run.state.phase = "finish";
    run.state.stoppedAt = START + 129_000;
    await status.finish(run.ctx);
    assert.equal(terminal.screen().at(-1), "Jobs: 62/69 done (89%), 7 timed out");
    assert.ok(terminal.raw.endsWith("\n"));
  });
});

Deno.test("status line piped: a line every interval, the final load line, then the completion lines", async () => {
  const lines: string[] = [];
  const run = fakeRun();
  const piped: TextStream = {
    write: () => assert.fail("nothing drawn in place"),
    isTerminal: () => false,
    columns: () => 80,
  };
  const status = createStatusLineOutput({
    line: new LiveLine(piped),
    write: (l) => lines.push(l),
    intervalMs: 5000,
    now: () => START,
  });
  run.state.targetRate = 2;
  for (let s = 1; s <= 12; s++) {
    run.send(2);
    await status.tick?.(run.ctx, START + s * 1000);
  }
  assert.deepEqual(lines, [
    "running 1s/45s, 0 users, 2 sent, 2 in flight, 0 done, 0 failures, n/a of 2.00/s target",
    "running 6s/45s, 0 users, 12 sent, 12 in flight, 0 done, 0 failures, 2.00/s of 2.00/s target",
    "running 11s/45s, 0 users, 22 sent, 22 in flight, 0 done, 0 failures, 2.00/s of 2.00/s target",
  ]);
  lines.length = 0;
  run.state.phase = "drain";
  run.state.deadline = START + 13_000 + 60_000;
  await status.tick?.(run.ctx, START + 13_000);
  run.complete(24);
  await status.tick?.(run.ctx, START + 14_000);
  await status.finish(run.ctx);
  assert.deepEqual(lines, [
    // Nothing was sent in the last second: 18 jobs over the last 10 s.
    "running 13s/45s, 0 users, 24 sent, 24 in flight, 0 done, 0 failures, 1.80/s of 2.00/s target",
    "Waiting for jobs: 0/24 done (0%), 1m0s left of 1m0s",
    "Waiting for jobs: 24/24 done (100%) in 1s",
  ]);
});

Deno.test("status line: a failure to draw is reported once and the run goes on", async () => {
  const reports: string[] = [];
  const terminal = new Terminal(80);
  const run = fakeRun();
  const ctx: OutputContext = {
    ...run.ctx,
    jobs: () => {
      throw new Error("tracker gone");
    },
  };
  const status = createStatusLineOutput({
    line: new LiveLine(terminal.stream, { patchConsole: false }),
    guard: new ConsoleGuard((m) => reports.push(m)),
  });
  await status.tick?.(ctx, START + 1000);
  await status.tick?.(ctx, START + 2000);
  await status.finish(ctx);
  assert.equal(reports.length, 1);
  assert.match(reports[0]!, /could not draw the status line: tracker gone/);
  terminal.screen(); // and nothing ran past the last column
});

Deno.test("status line: without the run's phase (an older engine) it shows the load line to the end", async () => {
  const lines: string[] = [];
  const { phase: _p, loadStartedAt: _l, plannedDurationS: _d, drainDeadline: _dd, ...ctx } =
    fakeRun().ctx;
  const status = createStatusLineOutput({
    line: new LiveLine({ write() {}, isTerminal: () => false, columns: () => undefined }),
    write: (l) => lines.push(l),
    now: () => START + 1500,
  });
  await status.tick?.(ctx, START + 1500);
  await status.finish(ctx);
  assert.deepEqual(lines, [
    "running 2s, 0 users, 0 sent, 0 in flight, 0 done, 0 failures",
    "running 2s, 0 users, 0 sent, 0 in flight, 0 done, 0 failures",
  ]);
});

Deno.test("live line: one at a time (the newest), console restored when it ends", async () => {
  const terminal = new Terminal(40);
  await withConsoleOn(terminal, () => {
    const plainLog = console.log;
    const first = new LiveLine(terminal.stream);
    const second = new LiveLine(terminal.stream);
    first.start(() => "Waiting for jobs [----] 0/15 (0%)");
    assert.notEqual(console.log, plainLog, "console output goes above the line");
    second.start(() => "running 6s, 15 sent, 12 done");
    first.draw();
    assert.equal(first.commit(), undefined, "the first line was replaced, not left behind");
    console.log("a table line");
    assert.deepEqual(terminal.screen(), ["a table line", "running 6s, 15 sent, 12 done"]);
    second.stop();
    assert.equal(console.log, plainLog, "console restored");
    assert.deepEqual(terminal.screen(), ["a table line"], "the line is erased");
    return Promise.resolve();
  });
});

// --- Progress bar, Outputs list, --only-summary ------------------------------------------------

Deno.test("progress bar: fits the terminal, ends at its true final value, quiet when piped", () => {
  for (const columns of [40, 80]) {
    const terminal = new Terminal(columns);
    let t = 0;
    const bar = progressBar("Reading image headers", 500, 20, {
      stream: terminal.stream,
      now: () => t,
      patchConsole: false,
    });
    for (let done = 1; done <= 500; done++) {
      t += 7;
      bar.update(done);
    }
    bar.stop();
    const screen = terminal.screen();
    assert.equal(screen.length, 1);
    assert.match(screen[0]!, /500\/500 \(100%\)$/);
    assert.ok(screen[0]!.length < columns);
  }
  let written = false;
  const piped: TextStream = {
    write: () => void (written = true),
    isTerminal: () => false,
    columns: () => 80,
  };
  const quiet = progressBar("Reading image headers", 500, 20, { stream: piped });
  quiet.update(250);
  quiet.stop();
  assert.equal(written, false);
});

Deno.test("Outputs: lists every file once, sorted, described when the width allows", () => {
  const files = [
    "out/logs/job_log.log",
    "out/run_stats.csv",
    "out/run_stats_history.csv",
    "out/run_failures.csv",
    "out/run_exceptions.csv",
    "out/report.html",
    "out/stats.json",
    "out/logs/job_status.json",
    "out/logs/job_summary.json",
    "out/run_stats.csv",
  ];
  assert.deepEqual(formatOutputsList(files, { kinds: { "out/stats.json": "statistics (JSON)" } }), [
    "Outputs:",
    "  out/logs/job_log.log       run log",
    "  out/logs/job_status.json   job status",
    "  out/logs/job_summary.json  job summary",
    "  out/report.html            HTML report",
    "  out/run_exceptions.csv     Locust exceptions (CSV)",
    "  out/run_failures.csv       Locust failures (CSV)",
    "  out/run_stats.csv          Locust stats (CSV)",
    "  out/run_stats_history.csv  Locust stats history (CSV)",
    "  out/stats.json             statistics (JSON)",
  ]);
  const narrow = formatOutputsList(files, { width: 40 });
  assert.equal(narrow.length, 10);
  assert.ok(narrow.every((l) => l.length <= 40));
  const ctx = { ...context(aggregate()), filesWritten: () => ["b.csv", "a.log"] };
  assert.deepEqual(formatOutputsList(ctx), ["Outputs:", "  a.log", "  b.csv"]);
});

Deno.test("--only-summary: Locust's flag turns the live tables off; the status line stays", async () => {
  const flags = addTableOptions(new Command("run"), "run").parse(["--only-summary"], {
    from: "user",
  })
    .opts();
  assert.equal(flags.onlySummary, true);
  const settings = resolveRunSettings({
    ...flags,
    headless: true,
    sourceBucket: "s3://images",
    resultBucket: "s3://results",
  }, {});
  assert.equal(settings.onlySummary, true);
  assert.equal(
    resolveRunSettings({ sourceBucket: "s3://images", resultBucket: "s3://results" }, {})
      .onlySummary,
    false,
  );
  const lines: string[] = [];
  const outputs = buildOutputs(settings, (l) => lines.push(l));
  assert.deepEqual(outputs.map((o) => o.name), ["status", "console", "mergeable-stats"]);
  const ctx = context(aggregate());
  for (const output of outputs) await output.tick?.(ctx, START + 1000);
  assert.ok(!lines.some((l) => l.startsWith("Type ")), "no live table");
  assert.ok(lines.some((l) => l.startsWith("running ")), "the status line");
});
