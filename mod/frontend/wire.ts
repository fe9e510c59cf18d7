/**
 * What the web UI's server sends its page, as types only: the live snapshot, the Jobs tab's
 * page, the Logs tab's tail, the start form's answers. The server (`dashboard_snapshot.ts`,
 * `web_session.ts`) and the browser code (`frontend/`) both import these, so the page is
 * type-checked against what the server really sends. No runtime code and no Deno API here:
 * the browser bundle's type check (DOM library) reads this file too.
 *
 * @example
 * ```ts
 * import type { StatsRow } from "./wire.ts";
 * const row: Pick<StatsRow, "type" | "name"> = { type: "Submit Image", name: "a.tif:m" };
 * if (row.name !== "a.tif:m") throw new Error("unreachable");
 * ```
 * @module
 */
import type { CapacityStep, JobStatistics, TimelinePoint } from "../model/run_report.ts";
import type { JobStatusRecord } from "../model/job_record.ts";

import type { FailureRow } from "../model/failure_row.ts";
export type { CapacityStep, FailureRow, JobStatistics, JobStatusRecord, TimelinePoint };

/** One row of the Locust-like statistics table. */
export interface StatsRow {
  type: string;
  name: string;
  requests: number;
  failures: number;
  /** Response times in ms; null when the entry has no request yet. */
  median: number | null;
  p95: number | null;
  p99: number | null;
  avg: number | null;
  min: number | null;
  max: number | null;
  /** Average content size in bytes (mean image size for `Submit Image`). */
  avgSize: number;
  currentRps: number;
  currentFailPerSec: number;
}

/** One exception group (an `_exceptions.csv` row). */
export interface ExceptionRow {
  count: number;
  message: string;
  traceback: string;
  nodes: string;
}

/** Where the web session is. */
export type RunState = "idle" | "preparing" | "running" | "stopping" | "finished";

/** How a stop was asked for: stop sending and wait for the jobs in flight, or stop now. */
export type StopMode = "wait" | "now";

/** The run's phase as the engine reports it (see `OutputContext.phase`). */
export type RunPhaseName = "load" | "drain" | "finish";

/** One user kind of the run's mix (Locust's "current ratio"). */
export interface UserMixRow {
  /** User kind, e.g. `load-test`. */
  kind: string;
  /** Weight from `--user-class` (`predefined:3,random:1`). */
  weight: number;
  /** Share of the users this kind is meant to have (0–1). */
  share: number;
  /** Users of this kind among the users running now. */
  users: number;
}

/** The load generator's own resource use (see `system_usage.ts`). */
export interface SystemUsage {
  /** Process CPU since the previous sample, % of all cores (0–100). */
  cpuPercent: number;
  /** Logical cores. */
  cores: number;
  /** Resident memory in bytes. */
  rssBytes: number;
  /** V8 heap in use, bytes. */
  heapUsedBytes: number;
  /** True when `cpuPercent` is at or above the warning level (90 %). */
  cpuWarning: boolean;
}

/** The run-independent part of a snapshot, supplied by the session. */
export interface SessionStatus {
  /** Increases with every started run; 0 before the first. */
  runId: number;
  state: RunState;
  /** The stop asked for, once one was. */
  stopMode: StopMode | null;
  /** Last error (a refused start, a failed run), for the banner. */
  error?: string;
  /** Exit code and reason of the finished run. */
  result?: { exitCode: number; reason: string };
  /** Download names available now. */
  downloads: string[];
  /** The run's user kinds by weight (empty before the first run). */
  mix: { kind: string; weight: number }[];
  /** The run's `--completion-timeout` in seconds (bounds "stop and wait"), once a run started. */
  completionTimeoutS: number | null;
}

/** The whole message of one `snapshot` event. */
export interface DashboardSnapshot extends SessionStatus {
  /** Server time of the snapshot (ms since epoch). */
  now: number;
  users: number;
  /** The user mix now: each kind's share and running users. */
  userMix: UserMixRow[];
  startedAt: number | null;
  stoppedAt: number | null;
  /** The engine's phase, when it reports one. */
  phase: RunPhaseName | null;
  /** While waiting for jobs: when the wait gives up (ms since epoch). */
  drainDeadline: number | null;
  stats: StatsRow[];
  total: StatsRow;
  /** Current submissions/s (`Submit Image` only: the header's RPS). */
  submitRps: number;
  failRatio: number;
  failures: FailureRow[];
  failureCount: number;
  exceptions: ExceptionRow[];
  exceptionCount: number;
  jobs: JobStatistics | null;
  /** Job records by status (STARTED, IN_PROGRESS, SUCCESS, PARTIAL, FAILED). */
  jobStatusCounts: Record<string, number>;
  /** Timeline points from index `timelineFrom` on (the client appends them). */
  timelineFrom: number;
  timeline: TimelinePoint[];
  system: SystemUsage;
}

/** One page of the Jobs tab (`GET /api/jobs`). */
export interface JobPage {
  /** Records tracked in all. */
  total: number;
  /** Records matching the status filter. */
  matched: number;
  /** The rows sent (at most the limit). */
  rows: JobStatusRecord[];
  /**
   * Set when the rows are sorted by a column among only this many of the matching records (the
   * newest; a long run's finished jobs are in a file, not sorted whole).
   */
  sortedAmong?: number;
}

/** The Logs tab's tail of `job_log.log` (`GET /api/logs`). */
export interface LogTail {
  /** The last lines of the file (at most the server's cap), oldest first. */
  lines: string[];
  /** True when the file has more before these lines. */
  truncated: boolean;
  /** The file's size in bytes; 0 when there is no log yet. */
  size: number;
}

/** A refused request: what was wrong and, for the start form, which field to fix. */
export interface ProblemBody {
  error: string;
  /** The start form's field name the message is about, when one is. */
  field?: string;
}

/** The start form's values, by field name (see `form_fields.ts`). */
export type FormValues = Record<string, string | boolean>;

/** How a start-form field is edited. `lines`: one value per line (a repeatable flag). */
export type FormFieldType = "number" | "text" | "select" | "checkbox" | "lines";

/** One field of the start form, as the page builds it (from the option table, see `form_fields.ts`). */
export interface FormField {
  /** The flag's key as the option table names it (camelCase), and the form's key. */
  name: string;
  /** The long flag, e.g. `--run-time`: errors that name it are shown next to this field. */
  flag: string;
  label: string;
  type: FormFieldType;
  /** One line of help under the field. */
  help?: string;
  /** Example value shown while the field is empty. */
  placeholder?: string;
  /** `select`: the values to choose from; `text`: suggestions. */
  choices?: string[];
  /** An empty value is refused. */
  required?: boolean;
  /** Shown only when the shape field has one of these values (always when absent). */
  shapes?: string[];
  /** Where the page puts it: the first group, the load shape, or checks and waiting. */
  group: "basic" | "shape" | "checks";
}

/** `GET /api/config`: the form's fields and values (the last start's, else the command line's). */
export interface ConfigBody {
  fields: FormField[];
  form: FormValues;
  state: RunState;
}

/** The data embedded in the HTML report for its charts. */
export interface ReportData {
  timeline: TimelinePoint[];
  capacity: CapacityStep[];
}
