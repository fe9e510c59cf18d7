/**
 * Soak benchmark (issue 18): does the tool's memory and CPU per submission stay flat over a
 * long run, and what do the final writes cost?
 *
 * The simulator runs in a separate process (`scripts/sim_server.ts`); the tool runs as
 * `main.ts run --headless` against it, writing every output (log folder, CSV, HTML, JSON).
 * Five times a second the tool's RSS and CPU are read from /proc (a 15-second series is
 * printed; the peak during the final writes is taken from every reading);
 * the jobs tracked come from the run log's statistics block (`--stats-interval 15`).
 *
 * Closed model (default): `--users` users with upstream's 1–3 s waits for `--minutes`, the
 * simulated Model Runner slower than the load (`--mr-workers`, `--mr-fixed-ms`) so the backlog
 * of open jobs grows as in a real overload. The Model Runner's time per image is
 * `--mr-fixed-ms` plus `--mr-ms-per-megapixel` (default 0 here, so its capacity is exactly
 * `workers × 1000 / fixed-ms` images a second: the seeded samples include two 500-megapixel
 * images, which at the simulator's own 20 ms per megapixel take 10–12 s each). Open model: `--rate R` (jobs/s, `--users` users to
 * send them), simulator without Model Runner (`--no-model-runner`): every job stays open.
 *
 * Prints: RSS at 5 minutes, at the end of the load, and the peak during the final writes;
 * bytes per tracked job (RSS growth after 5 minutes over the jobs tracked since); CPU per
 * submission in the first and the last five minutes; the open model's lateness p99 and
 * dropped submissions; and checks that every output was written and parses (job_status.json
 * is counted record by record, streaming).
 *
 * ```sh
 * deno run -A scripts/bench_soak.ts --users 200 --minutes 15 --mr-workers=2 --mr-fixed-ms=250
 * deno run -A scripts/bench_soak.ts --users 64 --rate 2000 --minutes 9 --no-model-runner
 * deno run -A scripts/bench_soak.ts ... --tool-v8-flags=--max-semi-space-size=1,--optimize-for-size
 * ```
 * Linux only (reads /proc).
 * @module
 */
import { readLines } from "../mod/fs/read_lines.ts";
import { procStats, threadCpu, toolRunArgs, waitForEndpoint } from "./proc_stats.ts";
import { withoutAwsVariables } from "../mod/aws/client_config.ts";
import { RUNTIME_V8_FLAGS } from "../mod/runtime_flags.ts";

const args = Deno.args;
const KNOWN = [
  "--users",
  "--minutes",
  "--rate",
  "--no-model-runner",
  "--mr-workers",
  "--mr-fixed-ms",
  "--mr-ms-per-megapixel",
  "--keep",
  "--tool-v8-flags",
];
const USAGE = `usage: deno run -A scripts/bench_soak.ts [--users N] [--minutes T] [--rate R]
  [--no-model-runner] [--mr-workers=N] [--mr-fixed-ms=MS] [--mr-ms-per-megapixel=MS] [--keep]
  [--tool-v8-flags=FLAGS]   (defaults: 200 users, 15 minutes, closed model, 2 workers x 250 ms)`;
if (args.includes("--help") || args.includes("-h")) {
  console.log(USAGE);
  Deno.exit(0);
}
for (let i = 0; i < args.length; i++) {
  const name = args[i]!.split("=")[0]!;
  if (!KNOWN.includes(name)) {
    console.error(`bench_soak: unknown argument ${args[i]}\n${USAGE}`);
    Deno.exit(2);
  }
  const takesValue = !["--no-model-runner", "--keep"].includes(name);
  if (takesValue && !args[i]!.includes("=")) i++; // its value follows
}
const flag = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  if (i >= 0 && args[i + 1] !== undefined) return args[i + 1]!;
  const eq = args.find((a) => a.startsWith(`${name}=`));
  return eq ? eq.slice(name.length + 1) : fallback;
};
const number = (name: string, fallback: string) => {
  const value = Number(flag(name, fallback));
  if (!Number.isFinite(value) || value < 0) {
    console.error(`bench_soak: ${name} must be a number >= 0, not ${flag(name, fallback)}`);
    Deno.exit(2);
  }
  return value;
};
const USERS = number("--users", "200");
const MINUTES = number("--minutes", "15");
const RATE = args.some((a) => a.startsWith("--rate")) ? number("--rate", "0") : undefined;
const NO_MR = args.includes("--no-model-runner");
const MR_WORKERS = String(number("--mr-workers", "2"));
const MR_FIXED_MS = String(number("--mr-fixed-ms", "250"));
const MR_MS_PER_MEGAPIXEL = String(number("--mr-ms-per-megapixel", "0"));
/** Fewer added jobs than this make a per-job figure mostly the heap's own swings. */
const MIN_JOBS_PER_JOB_FIGURE = 20_000;
const KEEP = args.includes("--keep");
/** V8 flags for the tool's process (default those of every osml-load process; `=` for none). */
const TOOL_V8_FLAGS = flag("--tool-v8-flags", RUNTIME_V8_FLAGS.slice("--v8-flags=".length));
const SAMPLE_EVERY_S = 15;
const WINDOW_S = Math.min(300, (MINUTES * 60) / 3);

const PORT = 46660 + Math.floor(Math.random() * 1000);
const ENDPOINT = `http://127.0.0.1:${PORT}`;
const ENV = {
  // The machine's own AWS setup (a per-service endpoint, a session token) never comes along.
  ...withoutAwsVariables(Deno.env.toObject()) as Record<string, string>,
  AWS_ENDPOINT_URL: ENDPOINT,
  AWS_REGION: "us-west-2",
  AWS_ACCESS_KEY_ID: "test",
  AWS_SECRET_ACCESS_KEY: "test",
};
const root = new URL("..", import.meta.url).pathname;
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;
const minutes = (s: number) => `${(s / 60).toFixed(s < 600 ? 2 : 1)} min`;

function threadGroups(pid: number): Record<"main" | "workers" | "gc" | "other", number> {
  const out = { main: 0, workers: 0, gc: 0, other: 0 };
  for (const [key, cpu] of threadCpu(pid)) {
    const name = key.slice(0, key.lastIndexOf("#"));
    if (name === "deno") out.main = Math.max(out.main, cpu);
    else if (name.startsWith("worker-")) out.workers += cpu;
    else if (name.startsWith("V8 ")) out.gc += cpu;
    else out.other += cpu;
  }
  return out;
}

/** Count the records of a job_status.json without loading it: one `    "<id>": {` line each. */
async function countStatusRecords(path: string): Promise<{ records: number; complete: boolean }> {
  let records = 0;
  let last = "";
  for await (const line of readLines(path)) {
    if (line.startsWith('    "') && line.endsWith("{")) records++;
    if (line !== "") last = line;
  }
  return { records, complete: last === "}" };
}

interface Sample {
  t: number;
  rss: number;
  cpuS: number;
  sent: number;
  /** Jobs open (In-Progress) at the last statistics block. */
  open: number;
  threads?: ReturnType<typeof threadGroups>;
}

const dir = await Deno.makeTempDir({ prefix: "bench-soak-" });
const load = Deno.loadavg();
console.log(
  `# bench_soak ${new Date().toISOString()}: ${USERS} users, ${MINUTES} min, ${
    RATE !== undefined ? `open model ${RATE}/s` : "closed model, 1–3 s waits"
  }, simulator ${
    NO_MR
      ? "without Model Runner"
      : `Model Runner ${MR_WORKERS} workers × ${MR_FIXED_MS} ms + ${MR_MS_PER_MEGAPIXEL} ms/MP${
        Number(MR_MS_PER_MEGAPIXEL) === 0
          ? ` (${((Number(MR_WORKERS) * 1000) / Number(MR_FIXED_MS)).toFixed(1)} images/s)`
          : ""
      }`
  }${TOOL_V8_FLAGS ? `, tool V8 flags ${TOOL_V8_FLAGS}` : ""}; load average ${
    load.map((l) => l.toFixed(2)).join(" ")
  }; ${navigator.hardwareConcurrency} cores`,
);
const sim = new Deno.Command(Deno.execPath(), {
  args: [
    "run",
    "-A",
    `${root}scripts/sim_server.ts`,
    String(PORT),
    ...(NO_MR ? ["--no-model-runner"] : [
      `--mr-workers=${MR_WORKERS}`,
      `--mr-fixed-ms=${MR_FIXED_MS}`,
      `--mr-ms-per-megapixel=${MR_MS_PER_MEGAPIXEL}`,
    ]),
  ],
  stdout: "null",
  stderr: "piped",
}).spawn();
// The simulator's own error (a bad flag) is shown if it stops early.
const simErrors = new Response(sim.stderr).text();
let child: Deno.ChildProcess | undefined;
// Ctrl-C or SIGTERM stops the tool (which writes its outputs) and the simulator, never orphans.
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  console.log("stopping: the tool writes its outputs, then the simulator stops");
  try {
    child?.kill("SIGINT");
  } catch { /* already ended */ }
};
Deno.addSignalListener("SIGINT", stop);
Deno.addSignalListener("SIGTERM", stop);
try {
  await Promise.race([
    waitForEndpoint(ENDPOINT, 20_000),
    sim.status.then(async (s) => {
      throw new Error(`the simulator exited ${s.code}: ${(await simErrors).trim()}`);
    }),
  ]);
  const tool = new Deno.Command(Deno.execPath(), {
    args: toolRunArgs(root, TOOL_V8_FLAGS, [
      "--users",
      String(USERS),
      "--spawn-rate",
      String(USERS),
      "--run-time",
      `${MINUTES}m`,
      ...(RATE !== undefined
        ? ["--rate", `${RATE}/s`, "--wait-min", "0", "--wait-max", "0"]
        : ["--wait-min", "1", "--wait-max", "3"]),
      "--log-dir",
      `${dir}/logs`,
      "--csv",
      `${dir}/csv/run`,
      "--html",
      `${dir}/report.html`,
      "--json",
      `${dir}/stats.json`,
      "--stats-interval",
      String(SAMPLE_EVERY_S),
      "--console-interval",
      "3600",
      "--stop-timeout",
      "300",
    ]),
    env: ENV,
    clearEnv: true,
    stdout: "null",
    stderr: "piped",
  }).spawn();
  child = tool;
  const started = performance.now();
  const elapsedS = () => (performance.now() - started) / 1000;
  let sent = 0;
  let open = 0;
  let loadEndedAt: number | undefined;
  let lastLines: string[] = [];
  // The run log on stderr: jobs tracked, and when the load ends.
  const reading = (async () => {
    const lines = tool.stderr.pipeThrough(new TextDecoderStream());
    let carry = "";
    for await (const chunk of lines) {
      const parts = (carry + chunk).split("\n");
      carry = parts.pop()!;
      for (const line of parts) {
        const m = /Total Images Sent: (\d+)/.exec(line);
        if (m) sent = Number(m[1]);
        const o = /Total Images In-Progress: (\d+)/.exec(line);
        if (o) open = Number(o[1]);
        if (/Time window ended|Stopping users/.test(line) && loadEndedAt === undefined) {
          loadEndedAt = elapsedS();
        }
        lastLines = [...lastLines.slice(-20), line];
      }
    }
  })();
  const series: Sample[] = [];
  let peakFinal = 0;
  let peakAll = 0;
  let nextSample = 0;
  const timer = setInterval(() => {
    const stats = procStats(tool.pid);
    if (!stats) return;
    const s = { rss: stats.rssKb * 1024, cpuS: stats.cpuS };
    const t = elapsedS();
    peakAll = Math.max(peakAll, s.rss);
    if (loadEndedAt !== undefined) {
      peakFinal = Math.max(peakFinal, s.rss);
    }
    if (t >= nextSample) {
      nextSample += SAMPLE_EVERY_S;
      const threads = threadGroups(tool.pid);
      const simCpu = procStats(sim.pid)?.cpuS ?? NaN;
      series.push({ t, ...s, sent, open, threads });
      console.log(
        `${(t / 60).toFixed(2).padStart(6)} min  RSS ${mb(s.rss).padStart(7)}  CPU ${
          s.cpuS.toFixed(1).padStart(7)
        } s (main ${threads.main.toFixed(1)}, workers ${threads.workers.toFixed(1)}, gc ${
          threads.gc.toFixed(1)
        }; simulator ${simCpu.toFixed(1)} s)  jobs tracked ${String(sent).padStart(9)}, open ${
          String(open).padStart(7)
        }${loadEndedAt !== undefined ? "  (final writes)" : ""}`,
      );
    }
  }, 200);
  const status = await tool.status;
  clearInterval(timer);
  await reading;
  const total = elapsedS();
  if (!status.success && status.code !== 1) {
    console.log(`the tool exited ${status.code}; last log lines:\n${lastLines.join("\n")}`);
  }
  const summary = JSON.parse(await Deno.readTextFile(`${dir}/logs/job_summary.json`));
  const sentFinal = summary.total_image_sent as number;
  const at = (t: number) =>
    series.reduce((best, s) => Math.abs(s.t - t) < Math.abs(best.t - t) ? s : best);
  const loadEnd = loadEndedAt ?? total;
  const lastBeforeEnd = [...series].reverse().find((s) => s.t <= loadEnd) ?? series.at(-1)!;
  const five = at(WINDOW_S);
  const startSample = series[0]!;
  const lastWindowStart = at(lastBeforeEnd.t - WINDOW_S);
  const threadsPer = (a: Sample, b: Sample) => {
    const ta = a.threads;
    const tb = b.threads;
    if (!ta || !tb || b.sent <= a.sent) return "";
    const per = (k: "main" | "workers" | "gc") =>
      ((1000 * (tb[k] - ta[k])) / (b.sent - a.sent)).toFixed(3);
    return ` (main ${per("main")}, workers ${per("workers")}, gc ${per("gc")})`;
  };
  const cpuPer = (a: Sample, b: Sample) =>
    b.sent > a.sent
      ? `${((1000 * (b.cpuS - a.cpuS)) / (b.sent - a.sent)).toFixed(3)} ms`
      : "unknown";
  const jobsSince5 = lastBeforeEnd.sent - five.sent;
  console.log("");
  console.log(
    `jobs tracked: ${sentFinal} (${summary.total_image_in_progress} still open at the end)`,
  );
  console.log(`RSS at ${minutes(five.t)}: ${mb(five.rss)}`);
  // RSS at the load's last sample (a sample after the load ended may already have the users'
  // workers gone); the final writes' spike is measured from it.
  console.log(`RSS at the end of the load (${minutes(lastBeforeEnd.t)}): ${mb(lastBeforeEnd.rss)}`);
  console.log(
    peakFinal > 0
      ? `peak RSS during the final writes: ${mb(peakFinal)} (spike ${
        mb(Math.max(0, peakFinal - lastBeforeEnd.rss))
      }; final phase ${(total - loadEnd).toFixed(1)} s); peak over the run ${mb(peakAll)}`
      : `peak RSS during the final writes: no sample (the final phase took ${
        (total - loadEnd).toFixed(1)
      } s); peak over the run ${mb(peakAll)}`,
  );
  // Single samples swing with the collector (tens of MB): compare window means too.
  const meanRss = (from: number, to: number) => {
    const inWindow = series.filter((x) => x.t >= from && x.t <= to);
    return inWindow.reduce((sum, x) => sum + x.rss, 0) / Math.max(1, inWindow.length);
  };
  const firstMean = meanRss(five.t, five.t + WINDOW_S);
  const lastMean = meanRss(lastBeforeEnd.t - WINDOW_S, lastBeforeEnd.t);
  const perJob = (bytes: number, jobs: number, what: string) =>
    jobs >= MIN_JOBS_PER_JOB_FIGURE
      ? `${(bytes / jobs).toFixed(0)} bytes per ${what}`
      : `bytes per ${what} unknown (${jobs} is too few to tell from the heap's swings)`;
  const addedOpen = lastBeforeEnd.open - five.open;
  console.log(
    `RSS growth after ${minutes(five.t)}: ${mb(lastBeforeEnd.rss - five.rss)} point to point, ${
      mb(lastMean - firstMean)
    } between window means (${mb(firstMean)} in the ${minutes(WINDOW_S)} after ${
      minutes(five.t)
    }, ${mb(lastMean)} in the last ${minutes(WINDOW_S)}); ${jobsSince5} jobs tracked since: ${
      perJob(lastBeforeEnd.rss - five.rss, jobsSince5, "tracked job")
    }; open jobs ${five.open} → ${lastBeforeEnd.open}: ${
      addedOpen > 0
        ? perJob(lastMean - firstMean, addedOpen, "added open job (window means)")
        : "the backlog did not grow"
    }`,
  );
  console.log(
    `CPU per submission: first ${minutes(five.t - startSample.t)} ${cpuPer(startSample, five)}${
      threadsPer(startSample, five)
    }, last ${minutes(lastBeforeEnd.t - lastWindowStart.t)} ${
      cpuPer(lastWindowStart, lastBeforeEnd)
    }${threadsPer(lastWindowStart, lastBeforeEnd)}`,
  );
  if (RATE !== undefined) {
    console.log(
      `open model: achieved ${summary.open_model_achieved_rate}/s of ${RATE}/s, lateness p99 ${summary.open_model_lateness_p99_ms} ms, late ${summary.open_model_late}, dropped ${summary.open_model_dropped}`,
    );
  }
  // Every output written and parseable.
  const checks: string[] = [];
  const status_ = await countStatusRecords(`${dir}/logs/job_status.json`);
  checks.push(
    `job_status.json ${
      mb((await Deno.stat(`${dir}/logs/job_status.json`)).size)
    }: ${status_.records} records${
      status_.records === sentFinal && status_.complete ? " = jobs tracked" : " MISMATCH"
    }`,
  );
  let journalLines = 0;
  for await (const _ of readLines(`${dir}/logs/job_records.jsonl`)) journalLines++;
  checks.push(`job_records.jsonl: ${journalLines} finished jobs`);
  JSON.parse(await Deno.readTextFile(`${dir}/stats.json`));
  checks.push("stats.json parses");
  const html = await Deno.readTextFile(`${dir}/report.html`);
  checks.push(`report.html ${html.trimEnd().endsWith("</html>") ? "complete" : "INCOMPLETE"}`);
  for (const name of ["stats", "stats_history", "failures", "exceptions", "jobs_history"]) {
    const text = await Deno.readTextFile(`${dir}/csv/run_${name}.csv`);
    checks.push(
      `run_${name}.csv ${text.endsWith("\r\n") || text.endsWith("\n") ? "ok" : "INCOMPLETE"}`,
    );
  }
  console.log(`outputs: ${checks.join("; ")}`);
  console.log(
    `tool exit code ${status.code}${
      status.code === 1 ? " (failures were recorded: Locust's rule, e.g. FAILED jobs)" : ""
    }; load average at end ${Deno.loadavg().map((l) => l.toFixed(2)).join(" ")}`,
  );
} finally {
  try {
    sim.kill("SIGTERM");
  } catch { /* already ended */ }
  await sim.status;
  if (KEEP) console.log(`outputs kept in ${dir}`);
  else await Deno.remove(dir, { recursive: true });
}
