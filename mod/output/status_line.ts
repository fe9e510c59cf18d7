/**
 * A k6-style one-line status of the run. During the load:
 * `running 12s/45s, 5 users, 23 sent, 7 in flight, 16 done, 2 failures`
 * (and for the open model `1.95/s of 2.00/s target`); while waiting for the
 * jobs in flight: `Waiting for jobs: 62/69 done (89%), 41s left of 2m0s`,
 * left at its true final value (`69/69 done (100%) in 12s`, or how many
 * timed out) before anything else is printed. On a terminal the line redraws
 * in place, never wider than the terminal, with tables and log lines printed
 * above it; piped, it prints a line every interval. Drawing errors are caught
 * and reported once: the console never stops a run.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { formatLoadStatus } from "./status_line.ts";
 * assert.equal(
 *   formatLoadStatus({ elapsedS: 12, windowS: 45, users: 5, sent: 23, inFlight: 7, done: 16, failures: 2 }),
 *   "running 12s/45s, 5 users, 23 sent, 7 in flight, 16 done, 2 failures",
 * );
 * ```
 * @module
 */

import { clip, LiveLine } from "../log/live_line.ts";
import { ConsoleGuard } from "./console_guard.ts";
import type { Output, OutputContext } from "./output.ts";

/** What the status line shows during the load. */
export interface LoadStatus {
  /** Seconds since the load started. */
  elapsedS: number;
  /** The load window in seconds; undefined when the run goes until stopped. */
  windowS?: number | undefined;
  /** Users running. */
  users: number;
  /** Jobs sent. */
  sent: number;
  /** Jobs sent with no final status yet. */
  inFlight: number;
  /** Jobs with a final status. */
  done: number;
  /** Failures recorded (the Aggregated `# fails`). */
  failures: number;
  /** Open model: the target arrival rate, jobs/s. */
  targetRate?: number | undefined;
  /** Open model: the rate achieved over the last seconds, jobs/s; null until measured. */
  achievedRate?: number | null | undefined;
}

/** What the status line shows while waiting for the jobs in flight. */
export interface DrainStatus {
  /** Jobs with a final status. */
  done: number;
  /** Jobs to wait for (all jobs sent). */
  total: number;
  /** Seconds left before the wait gives up, while waiting. */
  leftS?: number | undefined;
  /** The whole wait allowed, seconds. */
  ofS?: number | undefined;
  /** How the wait ended, once it has. */
  end?:
    | { kind: "complete"; tookS: number }
    | { kind: "timed out"; timedOut: number }
    | { kind: "stopped" }
    | undefined;
}

/**
 * A duration as Go and k6 print it: `41s`, `2m0s`, `1h2m3s` (whole seconds, rounded down).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { formatDuration } from "./status_line.ts";
 * assert.deepEqual([formatDuration(41.9), formatDuration(120), formatDuration(3723)], ["41s", "2m0s", "1h2m3s"]);
 * ```
 */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  if (h > 0) return `${h}h${m}m${rest}s`;
  if (m > 0) return `${m}m${rest}s`;
  return `${rest}s`;
}

/**
 * A job rate, per second from 1/s up, else per minute; `unit` forces one.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { formatRate } from "./status_line.ts";
 * assert.deepEqual([formatRate(2), formatRate(0.5), formatRate(2, "min")], ["2.00/s", "30.0/min", "120.0/min"]);
 * ```
 */
export function formatRate(perSecond: number, unit?: "s" | "min"): string {
  const u = unit ?? (perSecond >= 1 ? "s" : "min");
  return u === "s" ? `${perSecond.toFixed(2)}/s` : `${(perSecond * 60).toFixed(1)}/min`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

interface Field {
  long: string;
  /** A shorter form for narrow terminals (default `long`). */
  short?: string;
  /** Lower is kept longer. */
  priority: number;
}

/** The first of: every field long, every field short, then short fields dropped by priority. */
function fit(fields: readonly Field[], width: number): string {
  const join = (list: readonly Field[], short: boolean) =>
    list.map((f) => (short ? f.short ?? f.long : f.long)).join(", ");
  if (join(fields, false).length <= width) return join(fields, false);
  let kept = [...fields];
  for (;;) {
    const text = join(kept, true);
    if (text.length <= width || kept.length <= 1) return clip(text, width);
    const drop = kept.reduce((a, b) => (b.priority > a.priority ? b : a));
    kept = kept.filter((f) => f !== drop);
  }
}

/**
 * The load line at `width` columns (default unlimited): short forms first, then the least
 * important fields go (rate, users, in flight, failures), so it fits.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { formatLoadStatus } from "./status_line.ts";
 * const status = { elapsedS: 12, windowS: 45, users: 5, sent: 23, inFlight: 7, done: 16, failures: 2,
 *   targetRate: 2, achievedRate: 1.95 };
 * assert.equal(formatLoadStatus(status), "running 12s/45s, 5 users, 23 sent, 7 in flight, 16 done, 2 failures, 1.95/s of 2.00/s target");
 * assert.equal(formatLoadStatus(status, 39), "12s/45s, 23 sent, 16 done, 2 failures");
 * ```
 */
export function formatLoadStatus(status: LoadStatus, width = Infinity): string {
  const time = status.windowS === undefined
    ? formatDuration(status.elapsedS)
    : `${formatDuration(status.elapsedS)}/${formatDuration(status.windowS)}`;
  const fields: Field[] = [
    { long: `running ${time}`, short: time, priority: 0 },
    { long: plural(status.users, "user"), priority: 5 },
    { long: `${status.sent} sent`, priority: 1 },
    { long: `${status.inFlight} in flight`, priority: 4 },
    { long: `${status.done} done`, priority: 2 },
    { long: plural(status.failures, "failure"), priority: 3 },
  ];
  if (status.targetRate !== undefined) {
    const unit = status.targetRate >= 1 ? "s" : "min";
    const achieved = status.achievedRate === null || status.achievedRate === undefined
      ? "n/a"
      : formatRate(status.achievedRate, unit);
    const target = formatRate(status.targetRate, unit);
    fields.push({
      long: `${achieved} of ${target} target`,
      short: `${achieved.replace(/\/.*/, "")}/${target}`,
      priority: 6,
    });
  }
  return fit(fields, width);
}

/**
 * The completion line at `width` columns (default unlimited), e.g.
 * `Waiting for jobs: 62/69 done (89%), 41s left of 2m0s`; shorter forms when narrow.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { formatDrainStatus } from "./status_line.ts";
 * assert.equal(formatDrainStatus({ done: 62, total: 69, leftS: 41, ofS: 120 }), "Waiting for jobs: 62/69 done (89%), 41s left of 2m0s");
 * assert.equal(formatDrainStatus({ done: 62, total: 69, leftS: 41, ofS: 120 }, 39), "Jobs: 62/69 done (89%), 41s left");
 * assert.equal(formatDrainStatus({ done: 69, total: 69, end: { kind: "complete", tookS: 12 } }), "Waiting for jobs: 69/69 done (100%) in 12s");
 * assert.equal(
 *   formatDrainStatus({ done: 62, total: 69, ofS: 120, end: { kind: "timed out", timedOut: 7 } }),
 *   "Waiting for jobs: 62/69 done (89%), 7 timed out after 2m0s",
 * );
 * ```
 */
export function formatDrainStatus(status: DrainStatus, width = Infinity): string {
  const percent = status.total > 0
    ? ` (${Math.floor((Math.min(status.done, status.total) / status.total) * 100)}%)`
    : "";
  const counts = `${status.done}/${status.total} done${percent}`;
  const of = status.ofS === undefined ? "" : formatDuration(status.ofS);
  const end = status.end;
  let tails: string[];
  if (end?.kind === "complete") tails = [` in ${formatDuration(end.tookS)}`, ""];
  else if (end?.kind === "timed out") {
    tails = of
      ? [`, ${end.timedOut} timed out after ${of}`, `, ${end.timedOut} timed out`]
      : [`, ${end.timedOut} timed out`];
  } else if (end?.kind === "stopped") tails = [", stopped"];
  else if (status.leftS !== undefined) {
    const left = `${formatDuration(status.leftS)} left`;
    tails = of ? [`, ${left} of ${of}`, `, ${left}`] : [`, ${left}`];
  } else tails = [""];
  for (const head of ["Waiting for jobs: ", "Jobs: "]) {
    for (const tail of tails) {
      const text = head + counts + tail;
      if (text.length <= width) return text;
    }
  }
  return clip(counts.replace(" done", "") + (tails.at(-1) ?? ""), width);
}

/** Options of {@linkcode createStatusLineOutput}. */
export interface StatusLineOptions {
  /** Piped: milliseconds between printed lines (default 2000). On a terminal it redraws each tick. */
  intervalMs?: number;
  /** The line to draw in place (default: on standard output). Share it with the table output. */
  line?: LiveLine;
  /** Piped: where lines go (default `console.log`). */
  write?: (line: string) => void;
  /** Catches drawing errors (default: reported once on `console.error`). */
  guard?: ConsoleGuard;
  /** The wall clock for redraws between ticks (default `Date.now`). */
  now?: () => number;
}

/** Seconds over which the open model's achieved rate is measured. */
const RATE_WINDOW_MS = 10_000;

/**
 * The status line as an output: ticks redraw it (terminal) or print it every interval (piped);
 * `finish` leaves the final value.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { createStatusLineOutput } from "./status_line.ts";
 * const output = createStatusLineOutput({ intervalMs: 5000 });
 * assert.equal(output.name, "status");
 * ```
 */
export function createStatusLineOutput(options: StatusLineOptions = {}): Output {
  const intervalMs = options.intervalMs ?? 2000;
  const line = options.line ?? new LiveLine();
  const write = options.write ?? ((text: string) => console.log(text));
  const guard = options.guard ?? new ConsoleGuard();
  const clock = options.now ?? (() => Date.now());
  let mode: "load" | "drain" | "done" = "load";
  let drainSeenAt: number | undefined;
  let lastPrinted: number | undefined;
  let loadEndedAt: number | undefined;
  const sentSamples: Array<{ t: number; sent: number }> = [];

  const phaseOf = (ctx: OutputContext) =>
    ctx.phase?.() ?? (ctx.stoppedAt() === undefined ? "load" : "finish");

  const achievedRate = (): number | null => {
    const first = sentSamples[0];
    const last = sentSamples.at(-1);
    if (!first || !last || last.t - first.t < 1000) return null;
    return ((last.sent - first.sent) * 1000) / (last.t - first.t);
  };

  const loadText = (ctx: OutputContext, now: number, width: number) => {
    const jobs = ctx.jobs();
    const start = ctx.loadStartedAt?.() ?? ctx.startedAt;
    const targetRate = ctx.timeline().at(-1)?.targetRate;
    return formatLoadStatus({
      elapsedS: Math.max(0, ((loadEndedAt ?? now) - start) / 1000),
      windowS: ctx.plannedDurationS,
      users: ctx.userCount(),
      sent: jobs.total_image_sent,
      inFlight: jobs.total_image_in_progress,
      done: jobs.total_image_processed,
      failures: ctx.stats.numFailures,
      ...(targetRate !== undefined ? { targetRate, achievedRate: achievedRate() } : {}),
    }, width);
  };

  const drainText = (
    ctx: OutputContext,
    now: number,
    width: number,
    end?: DrainStatus["end"],
  ) => {
    const jobs = ctx.jobs();
    const deadline = ctx.drainDeadline?.();
    const seen = drainSeenAt ?? now;
    return formatDrainStatus({
      done: jobs.total_image_processed,
      total: jobs.total_image_sent,
      ...(deadline !== undefined
        ? {
          leftS: Math.max(0, Math.ceil((deadline - now) / 1000)),
          ofS: Math.ceil((deadline - seen) / 1000),
        }
        : {}),
      end,
    }, width);
  };

  const text = (ctx: OutputContext, now: number, width: number) =>
    guard.run(
      "draw the status line",
      () => mode === "drain" ? drainText(ctx, now, width) : loadText(ctx, now, width),
    ) ?? "";

  /** Leave `final` as an ordinary line: committed on a terminal, printed when piped. */
  const settle = (final: (width: number) => string) => {
    if (line.active) line.commit(final(line.width()));
    else write(final(line.width()));
    lastPrinted = undefined;
  };

  /** Move on when the run did: load → drain → done. */
  const advance = (ctx: OutputContext, now: number) => {
    const phase = phaseOf(ctx);
    if (mode === "load" && phase !== "load") {
      loadEndedAt = now;
      settle((w) => loadText(ctx, now, w));
      if (phase === "drain") {
        mode = "drain";
        drainSeenAt = now;
      } else mode = "done";
    }
    if (mode === "drain" && ctx.jobs().total_image_in_progress === 0) {
      const tookS = (now - (drainSeenAt ?? now)) / 1000;
      settle((w) => drainText(ctx, now, w, { kind: "complete", tookS }));
      mode = "done";
    }
  };

  const show = (ctx: OutputContext, now: number) => {
    if (mode === "done") return;
    if (line.isTerminal) {
      if (!line.active) {
        line.start((width) => text(ctx, clock(), width));
        line.beforePrint = () => {
          guard.run("draw the status line", () => advance(ctx, clock()));
        };
      } else line.draw();
      return;
    }
    if (lastPrinted === undefined || now - lastPrinted >= intervalMs) {
      lastPrinted = now;
      write(text(ctx, now, Infinity));
    }
  };

  return {
    name: "status",
    tick(ctx, now) {
      guard.run("draw the status line", () => {
        const sent = ctx.jobs().total_image_sent;
        sentSamples.push({ t: now, sent });
        while (sentSamples.length > 2 && now - sentSamples[0]!.t > RATE_WINDOW_MS) {
          sentSamples.shift();
        }
        advance(ctx, now);
        show(ctx, now);
      });
    },
    finish(ctx) {
      const now = ctx.stoppedAt() ?? clock();
      guard.run("draw the status line", () => {
        if (mode === "load") {
          loadEndedAt ??= now;
          settle((w) => loadText(ctx, now, w));
        } else if (mode === "drain") {
          const jobs = ctx.jobs();
          const end: DrainStatus["end"] = jobs.total_image_timed_out > 0
            ? { kind: "timed out", timedOut: jobs.total_image_timed_out }
            : jobs.total_image_in_progress === 0
            ? { kind: "complete", tookS: (now - (drainSeenAt ?? now)) / 1000 }
            : { kind: "stopped" };
          settle((w) => drainText(ctx, now, w, end));
        }
        mode = "done";
      });
      line.stop();
    },
  };
}
