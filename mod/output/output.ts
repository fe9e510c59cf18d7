import type { StatsAggregator } from "../stats/aggregator.ts";
import type { JobStatusRecord, JobStatusValue } from "../model/job_record.ts";
import type { JobRecordPage, JobRecordQuery } from "../tracker/job_query.ts";
import type { CapacityStep, JobStatistics, TimelinePoint } from "../model/run_report.ts";
import type { ThresholdResult } from "../stats/thresholds.ts";

/**
 * What every output reads: the live statistics and the run's state. The engine
 * builds one and passes it to each output's hooks.
 *
 * @example
 * ```ts
 * import type { Output, OutputContext } from "./output.ts";
 * const silent: Output = { name: "silent", finish(_ctx: OutputContext) {} };
 * ```
 */
export interface OutputContext {
  /** Merged request statistics (per entry + Aggregated, failures, exceptions). */
  readonly stats: StatsAggregator;
  /** Users running now. */
  userCount(): number;
  /** Job statistics now (tracker totals). */
  jobs(): JobStatistics;
  /** The timeline so far, one point about every second. */
  timeline(): readonly TimelinePoint[];
  /** The run's resolved configuration, as label/value pairs for reports. */
  readonly configuration: ReadonlyArray<readonly [string, string]>;
  /** When the run started (ms since epoch). */
  readonly startedAt: number;
  /** When the run stopped (ms since epoch), once it has. */
  stoppedAt(): number | undefined;
  /** Capacity-search steps, when the run is a capacity search. */
  capacity?(): readonly CapacityStep[];
  /**
   * Every `job_status.json` record, keyed by image id. Deprecated: it builds every record of the
   * run at once (reading finished jobs back from the journal file) — memory and time
   * proportional to the run. Use {@linkcode OutputContext.queryJobs} for pages and
   * {@linkcode OutputContext.jobStatusCounts} for counts.
   */
  jobRecords?(): Record<string, JobStatusRecord>;
  /**
   * One page of job records (the web UI's Jobs tab): `offset`/`limit` (at most 1000), optional
   * `status` and `text` filters, newest first unless `order: "oldest"`. Bounded cost: finished
   * jobs are read from the run's journal file (see mod/tracker/job_query.ts).
   */
  queryJobs?(query: JobRecordQuery): Promise<JobRecordPage>;
  /** Jobs by their current status (every tracked job once), from counters. */
  jobStatusCounts?(): Record<JobStatusValue, number>;
  /**
   * The `--threshold` verdicts. Evaluated by the engine before `finish` is called; empty while
   * the run goes and when no threshold was given.
   */
  thresholds?(): readonly ThresholdResult[];
  /**
   * Where the run is: `load` (users sending), `drain` (sending stopped, waiting for jobs in flight),
   * `finish` (writing outputs). Absent in contexts built outside a run (tests, replays).
   */
  phase?(): RunPhase;
  /** When the load phase started (ms since epoch), once it has. */
  loadStartedAt?(): number | undefined;
  /** The load phase's planned length in seconds; undefined when it runs until stopped. */
  readonly plannedDurationS?: number | undefined;
  /** While draining: when the completion wait gives up (ms since epoch). */
  drainDeadline?(): number | undefined;
  /** Every file the run has written so far (logs, CSV, reports), for the closing list. */
  filesWritten?(): readonly string[];
}

/** The phases of a run that outputs can see. */
export type RunPhase = "load" | "drain" | "finish";

/**
 * One output of a run (console, Locust CSV files, HTML report, JSON, web UI).
 * `tick` is called about every second while the run goes; `finish` once at the
 * end, also after Ctrl-C, and must write everything the output promises.
 */
export interface Output {
  /** Short name for messages, e.g. `csv`. */
  readonly name: string;
  /** Called once before the first user starts. */
  start?(ctx: OutputContext): void | Promise<void>;
  /** Called about every second while the run goes (`now` in ms since epoch). */
  tick?(ctx: OutputContext, now: number): void | Promise<void>;
  /** Called once at the end; writes the final state. */
  finish(ctx: OutputContext): void | Promise<void>;
}
