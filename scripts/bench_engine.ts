/**
 * Benchmark of the load generator, with the simulator in a separate process:
 *
 * 1. generator RSS (peak) and CPU per submission at 50, 200 and 1000 users
 *    with upstream's 1–3 s waits (`DURATION` seconds each, default 60);
 * 2. the highest submission rate one process sustains with no wait;
 * 3. the status messages per second the monitor drains;
 * 4. the open model: the highest arrival rate held within 1 % and the
 *    scheduling-lateness p99 at that rate.
 *
 * 5. `--only=full`: 5, 50 and 1000 users with the simulator's Model Runner completing every
 *    job: peak RSS, CPU per submission with all status handling, start-up CPU, and the steady
 *    CPU of each thread (user workers, status monitor, main) over the middle of the run.
 * 6. `--only=idle`: the cost between submissions. 5 users that submit once and then wait an hour
 *    (their jobs complete within seconds); the CPU of each thread from 60 s after the start, once
 *    start-up's after-effects (V8 compiling and its memory reducer collecting in each isolate)
 *    have passed, to 10 s before the end of the run (DURATION, at least 120 s).
 *
 * Run: `deno run -A scripts/bench_engine.ts [DURATION] [--only=users|open|drain|full|idle]
 * [--users=5,50] [--waits=20,20] [--tool-v8-flags=...] [--tool-args=...]` (V8 flags
 * comma-separated). (Linux: reads /proc). `full` and `idle` are not part of the default set; the
 * issue's numbers use 120 s (`full`) and 180 s (`idle`).
 * @module
 */
import { SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import { procStats, sampleProcess, threadCpu, toolRunArgs, waitForEndpoint } from "./proc_stats.ts";
import { withoutAwsVariables } from "../mod/aws/client_config.ts";
import { RUNTIME_V8_FLAGS } from "../mod/runtime_flags.ts";
import { StatusMonitor } from "../mod/engine/status_monitor.ts";

const DURATION = Number(Deno.args.find((a) => /^\d+$/.test(a)) ?? "60");
/** `--only=users|open|drain` runs one part. */
const ONLY = Deno.args.find((a) => a.startsWith("--only="))?.slice(7);
if (Deno.args.includes("--help") || Deno.args.includes("-h")) {
  console.log(
    "deno run -A scripts/bench_engine.ts [SECONDS] [--only=users|open|drain|full|idle] [--users=5,50]\n" +
      "  [--waits=MIN,MAX] [--tool-v8-flags=FLAGS] [--tool-args=A,B]   (see the module doc)",
  );
  Deno.exit(0);
}
if (ONLY !== undefined && !["users", "open", "drain", "full", "idle"].includes(ONLY)) {
  console.error(`--only=${ONLY}: use one of users, open, drain, full, idle`);
  Deno.exit(2);
}
/** `--users=5,50` picks the user counts of the `full` part (default 5, 50, 1000). */
const FULL_USERS = (Deno.args.find((a) => a.startsWith("--users="))?.slice(8) ?? "5,50,1000")
  .split(",").map(Number);
/**
 * `--tool-v8-flags=...` sets the tool's V8 flags (`full`); default those every osml-load process
 * runs with (`mod/runtime_flags.ts`), `--tool-v8-flags=` for V8's defaults.
 */
const TOOL_V8_FLAGS = Deno.args.find((a) => a.startsWith("--tool-v8-flags="))?.slice(16) ??
  RUNTIME_V8_FLAGS.slice("--v8-flags=".length);
/** `--waits=20,20` sets the users' waits of the `full` part (default upstream's 1–3 s). */
const WAITS = Deno.args.find((a) => a.startsWith("--waits="))?.slice(8).split(",");
/** `--tool-args=--max-workers,1` adds arguments to the tool's `run` (`full`), comma-separated. */
const TOOL_ARGS = Deno.args.find((a) => a.startsWith("--tool-args="))?.slice(12).split(",") ?? [];
const part = (name: string) =>
  name === "full" || name === "idle" ? ONLY === name : ONLY === undefined || ONLY === name;
const PORT = 45660 + Math.floor(Math.random() * 1000);
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

function startSim(modelRunner = false): Deno.ChildProcess {
  // With Model Runner: enough fast workers that it completes every job and publishes its
  // statuses (STARTED, IN_PROGRESS, terminal) through SNS as the real service does.
  const args = modelRunner
    ? [
      `${root}main.ts`,
      "sim",
      "--port",
      String(PORT),
      "--workers",
      "256",
      "--fixed-ms",
      "100",
      "--ms-per-megapixel",
      "0.01",
    ]
    : [`${root}scripts/sim_server.ts`, String(PORT), "--no-model-runner"];
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", ...args],
    stdout: "null",
    stderr: "null",
  }).spawn();
}

/**
 * One run against the simulator with Model Runner: peak RSS, CPU, CPU per submission (all status
 * handling included), status messages handled, start-up CPU (process start to the first user),
 * and the steady-state CPU per thread over the middle of the run.
 */
async function fullRun(
  users: number,
  seconds: number,
  options: { waits?: string[]; windowS?: [number, number] } = {},
) {
  const waits = options.waits ?? WAITS;
  const dir = await Deno.makeTempDir({ prefix: "bench-full-" });
  const child = new Deno.Command(Deno.execPath(), {
    args: toolRunArgs(root, TOOL_V8_FLAGS, [
      "--only-summary",
      "--users",
      String(users),
      "--spawn-rate",
      String(users),
      "--run-time",
      `${seconds}s`,
      ...(waits ? ["--wait-min", waits[0]!, "--wait-max", waits[1] ?? waits[0]!] : []),
      ...TOOL_ARGS,
      "--csv",
      `${dir}/run`,
      "--log-dir",
      dir,
    ]),
    env: ENV,
    clearEnv: true,
    stdout: "null",
    stderr: "piped",
  }).spawn();
  let startupCpuS: number | undefined;
  let err = "";
  const reading = (async () => {
    const decoder = new TextDecoder();
    for await (const chunk of child.stderr) {
      err += decoder.decode(chunk, { stream: true });
      if (startupCpuS === undefined && err.includes("Load test start time")) {
        startupCpuS = procStats(child.pid)?.cpuS;
      }
    }
  })();
  const sampling = sampleProcess(child.pid);
  const [fromS, toS] = options.windowS ?? [seconds * 0.25 + 3, seconds * 0.75 + 3];
  const windowS = toS - fromS;
  let before = new Map<string, number>();
  let after = new Map<string, number>();
  const first = setTimeout(() => (before = threadCpu(child.pid)), fromS * 1000);
  const second = setTimeout(() => (after = threadCpu(child.pid)), toS * 1000);
  await child.status;
  await reading;
  const { peakRssKb, cpuS } = sampling.stop();
  clearTimeout(first);
  clearTimeout(second);
  const summary = JSON.parse(await Deno.readTextFile(`${dir}/job_summary.json`));
  // The send's response time (ms) from the Locust stats file: does the load fit the workers?
  const [header, ...rows] = (await Deno.readTextFile(`${dir}/run_stats.csv`)).trim().split("\n")
    .map((line) => line.split(","));
  const submit = rows.find((row) => row[0] === "Submit Image") ?? [];
  const column = (name: string) => submit[header!.indexOf(name)] ?? "?";
  const sendMs = `${column("50%")}/${column("95%")}/${column("99%")}`;
  await Deno.remove(dir, { recursive: true });
  const steady: Array<[string, number]> = [];
  for (const [name, value] of after) {
    const used = value - (before.get(name) ?? 0);
    if (used > 0.005) steady.push([name, (100 * used) / windowS]);
  }
  steady.sort((a, b) => b[1] - a[1]);
  const sent = summary.total_image_sent as number;
  return {
    users,
    sent,
    processed: summary.total_image_processed as number,
    statusMessages: summary.status_messages_received as number,
    sendMs,
    peakRssMb: peakRssKb / 1024,
    cpuS,
    cpuMsPerSubmission: (cpuS * 1000) / sent,
    startupCpuS,
    steadyPercent: steady.reduce((a, [, p]) => a + p, 0),
    steady,
  };
}

async function generatorRun(
  users: number,
  seconds: number,
  waitMin: number,
  waitMax: number,
  extra: string[] = [],
) {
  const dir = await Deno.makeTempDir({ prefix: "bench-engine-" });
  const child = new Deno.Command(Deno.execPath(), {
    args: toolRunArgs(root, TOOL_V8_FLAGS, [
      "--users",
      String(users),
      "--spawn-rate",
      String(Math.max(users, 1)),
      "--run-time",
      `${seconds}s`,
      "--wait-min",
      String(waitMin),
      "--wait-max",
      String(waitMax),
      "--log-dir",
      dir,
      "--console-interval",
      "3600",
      ...extra,
    ]),
    env: ENV,
    clearEnv: true,
    stdout: "null",
    stderr: "null",
  }).spawn();
  const sampling = sampleProcess(child.pid);
  await child.status;
  const { peakRssKb, cpuS } = sampling.stop();
  const summary = JSON.parse(await Deno.readTextFile(`${dir}/job_summary.json`));
  await Deno.remove(dir, { recursive: true });
  const sent = summary.total_image_sent as number;
  return {
    users,
    sent,
    peakRssMb: peakRssKb / 1024,
    cpuS,
    cpuMsPerSubmission: (cpuS * 1000) / sent,
    summary,
  };
}

async function monitorDrain(messages: number) {
  for (const [k, v] of Object.entries(ENV)) Deno.env.set(k, v);
  const sqs = new SQSClient({ region: "us-west-2", endpoint: ENDPOINT });
  const queueUrl = `${ENDPOINT}/123456789012/ImageStatusQueue`;
  const body = (i: number) =>
    JSON.stringify({
      Type: "Notification",
      Message: `StatusMonitor update: RequestStatus.SUCCESS job${i}: Completed image processing`,
      MessageAttributes: {
        status: { Type: "String", Value: "SUCCESS" },
        job_id: { Type: "String", Value: `job${i}` },
        image_id: { Type: "String", Value: `job${i}:s3://b/k.tif` },
        processing_duration: { Type: "String", Value: "3" },
      },
    });
  const batches: Promise<unknown>[] = [];
  for (let i = 0; i < messages; i += 10) {
    const Entries = Array.from(
      { length: 10 },
      (_, j) => ({ Id: String(j), MessageBody: body(i + j) }),
    );
    batches.push(sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries })));
    if (batches.length >= 32) await Promise.all(batches.splice(0));
  }
  await Promise.all(batches);
  for (const [k, v] of Object.entries(ENV)) Deno.env.set(k, v);
  let seen = 0;
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));
  const started = performance.now();
  const monitor = StatusMonitor.start({
    region: "us-west-2",
    queueUrl,
    keepForeign: false,
    awsTimeoutMs: 15_000,
    waitTimeSeconds: 1,
    onEvents: (events) => {
      seen += events.length;
      if (seen >= messages) resolveDone();
    },
    onWarning: (m) => console.error(m),
    onFatal: (m) => console.error(m),
  });
  await done;
  const seconds = (performance.now() - started) / 1000;
  await monitor.stop();
  sqs.destroy();
  return { messages, seconds, perSecond: messages / seconds };
}

const load = Deno.loadavg();
console.log(
  `# bench_engine: ${DURATION}s runs; load average at start ${
    load.map((l) => l.toFixed(2)).join(" ")
  }; ${navigator.hardwareConcurrency} cores`,
);
const sim = startSim(part("full") || part("idle"));
try {
  await waitForEndpoint(ENDPOINT);
  if (part("full")) {
    console.log(
      "\nwith Model Runner completing every job (1–3 s waits, " + DURATION + " s a run):",
    );
    console.log(
      "users  submissions  processed  status msgs  peak RSS (MB)  CPU (s)  CPU/submission (ms)  start-up CPU (s)  steady CPU (% of a core)",
    );
  }
  for (const users of part("full") ? FULL_USERS : []) {
    console.log(`load average before: ${Deno.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
    const r = await fullRun(users, DURATION);
    console.log(
      `${String(r.users).padStart(5)}  ${String(r.sent).padStart(11)}  ${
        String(r.processed).padStart(9)
      }  ${String(r.statusMessages).padStart(11)}  ${r.peakRssMb.toFixed(1).padStart(13)}  ${
        r.cpuS.toFixed(2).padStart(7)
      }  ${r.cpuMsPerSubmission.toFixed(2).padStart(19)}  ${
        (r.startupCpuS ?? NaN).toFixed(2).padStart(16)
      }  ${r.steadyPercent.toFixed(2).padStart(8)}`,
    );
    console.log(
      `       by thread: ${
        r.steady.map(([n, p]) => `${n} ${p.toFixed(2)}%`).join(", ")
      }; send p50/p95/p99 ${r.sendMs} ms`,
    );
  }
  if (part("idle")) {
    const seconds = Math.max(120, DURATION);
    if (seconds > DURATION) console.log(`(idle needs at least 120 s: running ${seconds} s)`);
    const r = await fullRun(5, seconds, { waits: ["3600", "3600"], windowS: [60, seconds - 10] });
    console.log(
      `\nidle, 5 users that submitted once (${r.sent} jobs, ${r.processed} processed), ${
        seconds - 70
      } s from 60 s: ${r.steadyPercent.toFixed(2)} % of a core (${
        (r.steadyPercent * 10).toFixed(2)
      } ms/s); peak RSS ${r.peakRssMb.toFixed(1)} MB`,
    );
    console.log(
      `       by thread: ${r.steady.map(([n, p]) => `${n} ${p.toFixed(2)}%`).join(", ")}`,
    );
    console.log(
      "       (deno: the main thread; worker-1: the status monitor (it starts first); worker-2…:\n" +
        "       the user workers; V8 DefaultWorker: V8's helpers; tokio-runtime-w: Deno's I/O\n" +
        "       threads; threads below 0.005 CPU-s in the window are left out)",
    );
  }
  if (part("users")) {
    console.log("\nusers  submissions  peak RSS (MB)  CPU (s)  CPU/submission (ms)");
  }
  for (const users of part("users") ? [50, 200, 1000] : []) {
    const r = await generatorRun(users, DURATION, 1, 3);
    console.log(
      `${String(r.users).padStart(5)}  ${String(r.sent).padStart(11)}  ${
        r.peakRssMb.toFixed(1).padStart(13)
      }  ${r.cpuS.toFixed(1).padStart(7)}  ${r.cpuMsPerSubmission.toFixed(3).padStart(19)}`,
    );
  }
  const noWaitSeconds = Math.min(DURATION, 20);
  const fast = part("users") ? await generatorRun(64, noWaitSeconds, 0, 0) : undefined;
  if (fast) {
    console.log(
      `\nno wait, 64 users, ${noWaitSeconds}s: ${
        (fast.sent / noWaitSeconds).toFixed(0)
      } submissions/s, ` +
        `${fast.cpuS.toFixed(1)} CPU s (${
          (fast.sent / fast.cpuS).toFixed(0)
        } submissions per CPU-second), ` +
        `peak RSS ${fast.peakRssMb.toFixed(1)} MB`,
    );
  }
  if (part("open")) {
    console.log(
      "\nopen model (64 users, 15 s a rate): target/s  achieved/s  within 1 %  lateness p99 (ms)  dropped",
    );
  }
  let best: { rate: number; p99: number } | undefined;
  for (const rate of part("open") ? [250, 500, 1000, 1500, 2000] : []) {
    const r = await generatorRun(64, 15, 0, 0, ["--rate", `${rate}/s`]);
    const s = r.summary;
    const achieved = s.open_model_achieved_rate as number;
    const ok = Math.abs(achieved - rate) / rate <= 0.01;
    if (ok) best = { rate, p99: s.open_model_lateness_p99_ms };
    console.log(
      `${String(rate).padStart(44)}  ${achieved.toFixed(1).padStart(10)}  ${
        (ok ? "yes" : "no").padStart(10)
      }  ${String(s.open_model_lateness_p99_ms).padStart(17)}  ${s.open_model_dropped}`,
    );
    if (!ok) break;
  }
  if (part("open")) {
    console.log(
      `highest rate held within 1 %: ${
        best ? `${best.rate}/s (lateness p99 ${best.p99} ms)` : "none"
      }`,
    );
  }
  const drain = part("drain") ? await monitorDrain(20_000) : undefined;
  if (drain) {
    console.log(
      `monitor drain: ${drain.messages} status messages in ${drain.seconds.toFixed(2)} s = ${
        drain.perSecond.toFixed(0)
      }/s`,
    );
  }
  console.log(`load average at end ${Deno.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
} finally {
  sim.kill("SIGTERM");
  await sim.status;
}
