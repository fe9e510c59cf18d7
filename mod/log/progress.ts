import process from "node:process";
import cliProgress from "cli-progress";

/** A progress display for a long step; silent when stderr is not a terminal. */
export interface Progress {
  update(done: number, total?: number): void;
  stop(): void;
}

/**
 * A progress bar on stderr for a long step (reading image headers, waiting
 * for completion). Quiet when stderr is not a terminal or `total` is below
 * `minTotal`.
 *
 * @example
 * ```ts
 * import { progressBar } from "./progress.ts";
 * const bar = progressBar("Reading image headers", 100);
 * bar.update(50);
 * bar.stop();
 * ```
 */
export function progressBar(label: string, total: number, minTotal = 0): Progress {
  if (!Deno.stderr.isTerminal() || total < minTotal) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {value}/{total} ({percentage}%) {eta_formatted}`,
      stream: process.stderr,
      hideCursor: false,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return {
    update(done, newTotal) {
      if (newTotal !== undefined) bar.setTotal(newTotal);
      bar.update(done);
    },
    stop() {
      bar.stop();
    },
  };
}
