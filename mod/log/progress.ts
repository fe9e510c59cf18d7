/**
 * A progress bar for a long step of preparation (reading image headers), drawn
 * in place on a terminal and never wider than it. Silent when standard output
 * is not a terminal. (The wait for jobs after the load window has its own
 * labelled line in the status line output, `mod/output/status_line.ts`.)
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { progressBar } from "./progress.ts";
 * let screen = "";
 * let t = 0;
 * const stream = { write: (s: string) => void (screen += s), isTerminal: () => true, columns: () => 60 };
 * const bar = progressBar("Reading image headers", 100, 0, { stream, now: () => t, patchConsole: false });
 * t = 1000;
 * bar.update(50);
 * bar.stop();
 * assert.equal(
 *   screen.split("\r").at(-1),
 *   "\x1b[2KReading image headers [########-------] 50/100 (50%) ETA 1s\n",
 * );
 * ```
 * @module
 */

import { LiveLine, type TextStream } from "./live_line.ts";

/** A progress display for a long step. */
export interface Progress {
  /** Record `done` steps (of `total`, when it changed). */
  update(done: number, total?: number): void;
  /** Leave the bar at its last value as an ordinary line. */
  stop(): void;
}

/** Options of {@linkcode progressBar}. */
export interface ProgressOptions {
  /** Where to draw (default standard output). */
  stream?: TextStream;
  /** The clock, ms (default `performance.now`). */
  now?: () => number;
  /** Print `console` output above the bar while it is shown (default true). */
  patchConsole?: boolean;
}

/** Most redraws per second (a catalog reads hundreds of headers a second). */
const REDRAW_EVERY_MS = 100;

/**
 * The bar's text for `done` of `total` at `width` columns:
 * `Reading image headers [#####-----] 50/100 (50%) ETA 3s`; the bar shrinks and then the ETA,
 * the bar and the label go, so the text fits `width`.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { formatProgress } from "./progress.ts";
 * assert.equal(formatProgress("Reading", 5, 10, 50, 2000), "Reading [###########-----------] 5/10 (50%) ETA 2s");
 * assert.equal(formatProgress("Reading image headers", 5, 10, 20, null), "[###---] 5/10 (50%)");
 * ```
 */
export function formatProgress(
  label: string,
  done: number,
  total: number,
  width: number,
  etaMs: number | null,
): string {
  const ratio = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
  const counts = `${done}/${total} (${Math.floor(ratio * 100)}%)`;
  const eta = etaMs === null ? "" : ` ETA ${Math.ceil(etaMs / 1000)}s`;
  const bar = (room: number) => {
    const cells = Math.min(40, room - 3);
    if (cells < 5) return "";
    const full = Math.round(ratio * cells);
    return ` [${"#".repeat(full)}${"-".repeat(cells - full)}]`;
  };
  for (const [head, tail] of [[label, eta], [label, ""], ["", ""]] as const) {
    const fixed = head.length + 1 + counts.length + tail.length;
    const b = bar(width - fixed);
    const text = `${head}${b} ${counts}${tail}`.trimStart();
    if (text.length <= width) return text;
  }
  return counts.slice(0, Math.max(0, width));
}

/**
 * A progress bar on standard output for a long step. Quiet when standard output is not a
 * terminal or `total` is below `minTotal`.
 *
 * @example
 * ```ts
 * import { progressBar } from "./progress.ts";
 * // Standard output is not a terminal here (a test), so the bar draws nothing.
 * const bar = progressBar("Reading image headers", 100);
 * bar.update(50);
 * bar.stop();
 * ```
 */
export function progressBar(
  label: string,
  total: number,
  minTotal = 0,
  options: ProgressOptions = {},
): Progress {
  const line = new LiveLine(
    options.stream,
    options.patchConsole === undefined ? {} : { patchConsole: options.patchConsole },
  );
  if (!line.isTerminal || total < minTotal) return { update() {}, stop() {} };
  const now = options.now ?? (() => performance.now());
  const startedAt = now();
  let done = 0;
  let lastDraw = -Infinity;
  const eta = (): number | null => {
    if (done <= 0 || done >= total) return null;
    return ((now() - startedAt) / done) * (total - done);
  };
  line.start((width) => formatProgress(label, done, total, width, eta()));
  lastDraw = now();
  return {
    update(newDone, newTotal) {
      done = newDone;
      if (newTotal !== undefined) total = newTotal;
      const t = now();
      if (t - lastDraw < REDRAW_EVERY_MS && done < total) return;
      lastDraw = t;
      line.draw();
    },
    stop() {
      line.commit();
    },
  };
}
