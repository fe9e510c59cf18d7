/**
 * Replay a recorded sample stream through the statistics and CSV code a run
 * uses, on the stream's own clock, and write the four Locust CSV files:
 *
 * ```sh
 * deno run --allow-read --allow-write scripts/replay_stats.ts STREAM.jsonl OUTPREFIX
 * # writes OUTPREFIX_stats.csv, OUTPREFIX_stats_history.csv,
 * #        OUTPREFIX_failures.csv, OUTPREFIX_exceptions.csv
 * ```
 *
 * Each `request` goes through `StatsAggregator.record` (a `DeltaRecorder`
 * batch merged as a worker's would be), each `history` event is a tick of the
 * CSV output at that time with that user count, and `end` finishes it. The
 * statistics start at the first event's time. The stream format is described
 * in `mod/stats/sample_stream.ts` and `tests/fixtures/locust-golden/README.md`;
 * `tests/stats_golden_replay.test.ts` compares the result with what Locust
 * 2.46.3 wrote for the same stream.
 *
 * @module
 */

import { createLocustCsvOutput, locustCsvPaths } from "../mod/output/locust_csv.ts";
import type { OutputContext } from "../mod/output/output.ts";
import { StatsAggregator } from "../mod/stats/aggregator.ts";
import { parseSampleStream, type StreamEvent } from "../mod/stats/sample_stream.ts";
import { UsageError } from "../mod/usage_error.ts";

/** The files a replay wrote. */
export interface ReplayResult {
  stats: string;
  history: string;
  failures: string;
  exceptions: string;
  /** The statistics at the end, for further checks. */
  aggregator: StatsAggregator;
}

/**
 * Replay `events` and write the four CSV files under `outPrefix`.
 *
 * @example
 * ```ts ignore
 * const events = parseSampleStream(await Deno.readTextFile("stream.jsonl"));
 * const files = await replayEvents(events, "out/replay");
 * ```
 */
export async function replayEvents(
  events: readonly StreamEvent[],
  outPrefix: string,
): Promise<ReplayResult> {
  const first = events[0];
  if (first === undefined) {
    throw new UsageError("the sample stream is empty: record at least one event, then replay it");
  }
  const stats = new StatsAggregator(first.at, first.t);
  let users = 0;
  let stoppedAt: number | undefined;
  const ctx: OutputContext = {
    stats,
    userCount: () => users,
    jobs: () => {
      throw new Error("a replayed sample stream has no job statistics");
    },
    timeline: () => [],
    configuration: [],
    startedAt: first.at,
    stoppedAt: () => stoppedAt,
  };
  // Locust writes history rows on its ticks only; a replay has no jobs timeline.
  const output = createLocustCsvOutput({
    prefix: outPrefix,
    fullHistory: false,
    jobsHistory: false,
    historyAtFinish: false,
  });
  await output.start?.(ctx);
  for (const event of events) {
    if (stoppedAt !== undefined) {
      throw new UsageError(
        `the sample stream has events after its "end" event: remove them or move "end" last`,
      );
    }
    switch (event.kind) {
      case "request":
        stats.record(event.sample);
        break;
      case "history":
        users = event.users;
        await output.tick?.(ctx, event.at);
        break;
      case "end":
        stoppedAt = event.at;
        break;
    }
  }
  // A stream cut short (no "end") still gets its final files, at its last event.
  stoppedAt ??= events[events.length - 1]?.at;
  await output.finish(ctx);
  const paths = locustCsvPaths(outPrefix);
  return {
    stats: paths.stats,
    history: paths.history,
    failures: paths.failures,
    exceptions: paths.exceptions,
    aggregator: stats,
  };
}

/**
 * Read the stream file `streamPath` and replay it into `outPrefix`.
 *
 * @example
 * ```ts ignore
 * await replayStats("tests/fixtures/locust-golden/stream.jsonl", "out/golden");
 * ```
 */
export async function replayStats(streamPath: string, outPrefix: string): Promise<ReplayResult> {
  let text: string;
  try {
    text = await Deno.readTextFile(streamPath);
  } catch (e) {
    throw new UsageError(
      `cannot read the sample stream ${streamPath}: ${
        e instanceof Error ? e.message : e
      }; give the path of a .jsonl file`,
    );
  }
  return await replayEvents(parseSampleStream(text), outPrefix);
}

if (import.meta.main) {
  const [stream, prefix] = Deno.args;
  if (stream === undefined || prefix === undefined || Deno.args.length !== 2) {
    console.error(
      "usage: deno run --allow-read --allow-write scripts/replay_stats.ts STREAM.jsonl OUTPREFIX",
    );
    Deno.exit(2);
  }
  try {
    const files = await replayStats(stream, prefix);
    for (const path of [files.stats, files.history, files.failures, files.exceptions]) {
      console.log(path);
    }
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    Deno.exit(e instanceof UsageError ? 2 : 1);
  }
}
