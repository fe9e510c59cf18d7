/**
 * What the benchmarks read about a process from Linux's /proc: its RSS and CPU
 * seconds, the CPU seconds of each of its threads (Deno names them: `deno` for
 * the main thread, `worker-N` for Web Workers, `V8 …` for V8's helpers), and a
 * wait for a local endpoint to answer.
 *
 * @example
 * ```ts
 * import { procStats, threadCpu } from "./proc_stats.ts";
 * const self = procStats(Deno.pid);
 * if (!self || self.rssKb <= 0) throw new Error("this process has an RSS");
 * if (threadCpu(Deno.pid).size === 0) throw new Error("and threads");
 * ```
 * @module
 */

/** Clock ticks a second (`getconf CLK_TCK` on Linux). */
const CLK_TCK = 100;

/** CPU seconds (user + system) of a /proc `stat` line. */
export function cpuSecondsOfStat(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

/** RSS (KiB) and CPU seconds of `pid`; undefined once it has ended. */
export function procStats(pid: number): { rssKb: number; cpuS: number } | undefined {
  try {
    const status = Deno.readTextFileSync(`/proc/${pid}/status`);
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
    const cpuS = cpuSecondsOfStat(Deno.readTextFileSync(`/proc/${pid}/stat`));
    return Number.isFinite(rssKb) ? { rssKb, cpuS } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * CPU seconds of one task (thread): the scheduler's exact run time from `schedstat` (ns) where
 * the kernel has it, else `stat`'s clock ticks. Ticks are sampled 100 times a second, and a thread
 * that wakes briefly on timer boundaries (an idle run's timers) is charged a whole tick when the
 * sample lands on it: on an idle virtual machine that overstated an idle run's CPU fivefold.
 */
function taskCpuSeconds(dir: string): number {
  try {
    const ns = Number(Deno.readTextFileSync(`${dir}/schedstat`).split(" ")[0]);
    if (Number.isFinite(ns)) return ns / 1e9;
  } catch {
    // no schedstat: fall back to ticks
  }
  return cpuSecondsOfStat(Deno.readTextFileSync(`${dir}/stat`));
}

/** CPU seconds of each thread of `pid`, keyed `name#tid`. */
export function threadCpu(pid: number): Map<string, number> {
  const cpu = new Map<string, number>();
  try {
    for (const task of Deno.readDirSync(`/proc/${pid}/task`)) {
      try {
        const name = Deno.readTextFileSync(`/proc/${pid}/task/${task.name}/comm`).trim();
        cpu.set(`${name}#${task.name}`, taskCpuSeconds(`/proc/${pid}/task/${task.name}`));
      } catch {
        // the thread ended
      }
    }
  } catch {
    // the process ended
  }
  return cpu;
}

/** Wait until `endpoint` answers HTTP (up to `timeoutMs`). */
export async function waitForEndpoint(endpoint: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      await fetch(endpoint, { method: "HEAD" }).then((r) => r.body?.cancel());
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`the simulator did not start on ${endpoint}`);
}

/**
 * The arguments of `deno` for a headless `osml-load run` against the seeded simulator: the
 * permissions, `v8Flags` (none when empty), the program in `root`, and the stock buckets, then
 * `extra` (users, times, outputs).
 */
export function toolRunArgs(root: string, v8Flags: string, extra: string[]): string[] {
  return [
    "run",
    "--allow-net",
    "--allow-env",
    "--allow-read",
    "--allow-write",
    "--allow-sys",
    ...(v8Flags ? [`--v8-flags=${v8Flags}`] : []),
    `${root}main.ts`,
    "run",
    "--headless",
    "--source-bucket",
    "s3://osml-test-images-123456789012",
    "--result-bucket",
    "s3://mr-bucket-sink-123456789012",
    ...extra,
  ];
}

/**
 * Sample `pid` every 250 ms until `stop()`: its peak RSS (KiB) and its last CPU seconds.
 */
export function sampleProcess(pid: number): { stop(): { peakRssKb: number; cpuS: number } } {
  let peakRssKb = 0;
  let cpuS = 0;
  const timer = setInterval(() => {
    const s = procStats(pid);
    if (s) {
      peakRssKb = Math.max(peakRssKb, s.rssKb);
      cpuS = s.cpuS;
    }
  }, 250);
  return {
    stop() {
      clearInterval(timer);
      return { peakRssKb, cpuS };
    },
  };
}
