/**
 * `osml-load cost`: read a run's summary (or `--start`/`--end`), query Cost
 * Explorer, compute upstream's cost report, print it as a table, JSON or CSV,
 * and optionally write it to a file (atomically, only on success).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { CostExplorerClient } from "@aws-sdk/client-cost-explorer";
 * import { simClientConfig } from "../sim/aws/client_config.ts";
 * import { startSimulator } from "../sim/simulator.ts";
 * import { runCost } from "./cost.ts";
 * // The simulator's Cost Explorer, with 1 million SQS requests ($0.40) on 2025-12-09.
 * const sim = await startSimulator({ port: 0, modelRunner: false });
 * sim.ledger.record("Amazon Simple Queue Service", "Requests-Tier1", 1_000_000, Date.UTC(2025, 11, 9, 10));
 * const client = new CostExplorerClient(simClientConfig(sim));
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/job_summary.json`, JSON.stringify({
 *   start_time: "2025-12-09T10:00:00Z", stop_time: "2025-12-09T12:00:00Z",
 *   total_image_sent: 10, total_image_processed: 10, total_image_succeeded: 9,
 *   total_gb_processed: 2, total_pixels_processed: 4e9,
 * }));
 * const report = await runCost(
 *   { summary: `${dir}/job_summary.json`, output: `${dir}/cost_report.json` },
 *   { client, stdout: () => {}, stderr: () => {} },
 * );
 * assert.equal(report.cost_summary.cost_per_image, 0.04);
 * const saved = JSON.parse(await Deno.readTextFile(`${dir}/cost_report.json`));
 * assert.equal(saved.cost_summary.total_cost_usd, 0.4);
 * await Deno.remove(dir, { recursive: true });
 * client.destroy();
 * await sim.close();
 * ```
 * @module
 */
import type { CostExplorerClient } from "@aws-sdk/client-cost-explorer";
import type { AwsEnv } from "../aws/aws_settings.ts";
import { UsageError } from "../usage_error.ts";
import { parseDuration } from "../config/duration.ts";
import { computeCostReport, type CostReport } from "../cost/cost_report.ts";
import { formatCostCsv } from "../cost/cost_report_csv.ts";
import { formatCostJson } from "../cost/cost_report_json.ts";
import { formatCostTable } from "../cost/cost_table.ts";
import { type JobSummary, readJobSummary } from "../cost/job_summary.ts";
import {
  COST_METRICS,
  type CostMetric,
  createCostExplorerClient,
  queryWindowCosts,
} from "../cost/query_costs.ts";
import { parseSummaryTime, type SummaryTime } from "../cost/summary_time.ts";

/** The output formats of `--format`. */
export const COST_FORMATS = ["table", "json", "csv"] as const;

/** The command's options, as commander hands them over (strings, unchecked). */
export interface CostOptions {
  /** Path of a `job_summary.json`. */
  summary?: string | undefined;
  /** ISO-8601 start, replacing the summary's `start_time`. */
  start?: string | undefined;
  /** ISO-8601 end, replacing the summary's `stop_time`. */
  end?: string | undefined;
  /** Also write the report here: JSON, or CSV when the name ends in `.csv`. */
  output?: string | undefined;
  /** HOURLY (default) or DAILY. */
  granularity?: string | undefined;
  /** A cost metric (default BlendedCost). */
  metric?: string | undefined;
  /** SERVICE values to restrict to. */
  service?: readonly string[] | undefined;
  /** `KEY=VALUE` cost-allocation tags to restrict to. */
  tag?: readonly string[] | undefined;
  /** table (default), json or csv, for standard output. */
  format?: string | undefined;
  /** Timeout of one Cost Explorer call, e.g. `15s` (default 15 s). */
  awsTimeout?: string | undefined;
}

/** Where the command talks to; tests replace these. */
export interface CostIo {
  /** The Cost Explorer client (default: a us-east-1 client from {@linkcode CostIo.env}). */
  client?: CostExplorerClient;
  /** The environment the default client reads (endpoint, static credentials); default the process's. */
  env?: AwsEnv;
  /** Receives the report text (default: standard output). */
  stdout?: (text: string) => void;
  /** Receives notes (default: standard error). */
  stderr?: (text: string) => void;
}

function writeAll(file: { writeSync(p: Uint8Array): number }, text: string): void {
  const bytes = new TextEncoder().encode(text);
  let written = 0;
  while (written < bytes.length) written += file.writeSync(bytes.subarray(written));
}

/**
 * Parse `--tag KEY=VALUE`.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { parseTag } from "./cost.ts";
 * assert.deepEqual(parseTag("Project=osml-model-runner"), { key: "Project", value: "osml-model-runner" });
 * ```
 */
export function parseTag(text: string): { key: string; value: string } {
  const at = text.indexOf("=");
  const key = at < 0 ? "" : text.slice(0, at).trim();
  if (key === "") {
    throw new UsageError(
      `bad --tag ${JSON.stringify(text)}: use KEY=VALUE with the cost-allocation tag's name ` +
        "and value, e.g. --tag Project=osml-model-runner",
    );
  }
  return { key, value: text.slice(at + 1) };
}

function parseFlagTime(text: string, flag: string): SummaryTime {
  const time = parseSummaryTime(text);
  if (!time) {
    throw new UsageError(
      `bad ${flag} ${JSON.stringify(text)}: use an ISO-8601 time such as ` +
        "2025-12-09T10:00:00Z or 2025-12-09T12:00:00+02:00 (without an offset it is local time)",
    );
  }
  return time;
}

function pick<T extends string>(
  value: string | undefined,
  allowed: readonly T[],
  fallback: T,
  flag: string,
): T {
  if (value === undefined) return fallback;
  const found = allowed.find((a) => a.toLowerCase() === value.toLowerCase());
  if (found === undefined) {
    throw new UsageError(
      `bad ${flag} ${JSON.stringify(value)}: use one of ${allowed.join(", ")}`,
    );
  }
  return found;
}

async function writeAtomically(path: string, text: string): Promise<void> {
  const slash = path.lastIndexOf("/");
  const dir = slash < 0 ? "." : path.slice(0, slash) || "/";
  const temp = `${dir}/.${path.slice(slash + 1)}.${Deno.pid}.${
    Math.random().toString(36).slice(2)
  }.tmp`;
  try {
    await Deno.writeTextFile(temp, text);
    await Deno.rename(temp, path);
  } catch (error) {
    await Deno.remove(temp).catch(() => {});
    throw new UsageError(
      `cannot write --output ${path} (${
        error instanceof Error ? error.message : String(error)
      }): choose a path in a folder that exists and is writable`,
    );
  }
}

/**
 * Run the cost report. Returns the report; prints it to `io.stdout` in the
 * chosen format and notes to `io.stderr`. Throws {@linkcode UsageError} for
 * anything the user can fix (bad flags, unreadable summary, missing times,
 * access denied, data not yet available); nothing is written then.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { CostExplorerClient } from "@aws-sdk/client-cost-explorer";
 * import { simClientConfig } from "../sim/aws/client_config.ts";
 * import { startSimulator } from "../sim/simulator.ts";
 * import { runCost } from "./cost.ts";
 * // The simulator's Cost Explorer, with 1 million SQS requests ($0.40) on 2025-12-09.
 * const sim = await startSimulator({ port: 0, modelRunner: false });
 * sim.ledger.record("Amazon Simple Queue Service", "Requests-Tier1", 1_000_000, Date.UTC(2025, 11, 9, 10));
 * const client = new CostExplorerClient(simClientConfig(sim));
 * let json = "";
 * const report = await runCost(
 *   { start: "2025-12-09T10:00:00Z", end: "2025-12-09T12:00:00Z", format: "json" },
 *   { client, stdout: (text) => void (json += text), stderr: () => {} },
 * );
 * assert.equal(report.cost_summary.total_cost_usd, 0.4);
 * assert.equal(report.cost_summary.cost_per_hour, 0.2);
 * assert.equal(JSON.parse(json).cost_summary.total_cost_usd, 0.4);
 * client.destroy();
 * await sim.close();
 * ```
 */
export async function runCost(options: CostOptions, io: CostIo = {}): Promise<CostReport> {
  const stdout = io.stdout ?? ((text: string) => writeAll(Deno.stdout, text));
  const stderr = io.stderr ?? ((text: string) => writeAll(Deno.stderr, text));

  const granularity = pick(options.granularity, ["HOURLY", "DAILY"], "HOURLY", "--granularity");
  const metric: CostMetric = pick(options.metric, COST_METRICS, "BlendedCost", "--metric");
  const format = pick(options.format, COST_FORMATS, "table", "--format");
  const tags = (options.tag ?? []).map(parseTag);
  const services = [...(options.service ?? [])];
  if (services.some((s) => s.trim() === "")) {
    throw new UsageError(
      'bad --service "": name a service as Cost Explorer spells it, e.g. --service "Amazon SageMaker"',
    );
  }

  let summary: JobSummary = {
    imagesSent: 0,
    imagesProcessed: 0,
    imagesSucceeded: 0,
    gbProcessed: 0,
    pixelsProcessed: 0,
  };
  if (options.summary !== undefined) summary = await readJobSummary(options.summary);
  else if (options.start === undefined || options.end === undefined) {
    throw new UsageError(
      "no window to report on: pass a job_summary.json (e.g. osml-load cost logs/job_summary.json) " +
        "or both --start and --end",
    );
  }
  const source = options.summary ?? "";
  const start = options.start !== undefined
    ? parseFlagTime(options.start, "--start")
    : summary.start;
  const stop = options.end !== undefined ? parseFlagTime(options.end, "--end") : summary.stop;
  if (!start || !stop) {
    const missing = [!start && "start_time", !stop && "stop_time"].filter(Boolean).join(" and ");
    throw new UsageError(
      `the summary file ${source} has no ${missing}: pass the job_summary.json written at the ` +
        "end of a run, or give the window with --start and --end",
    );
  }
  if (stop.epochMs * 1000 + stop.micros < start.epochMs * 1000 + start.micros) {
    throw new UsageError(
      `the window ends (${stop.text}) before it starts (${start.text}): ` +
        "check the summary's times or --start/--end",
    );
  }

  const client = io.client ??
    createCostExplorerClient({
      ...(options.awsTimeout !== undefined
        ? { timeoutMs: parseDuration(options.awsTimeout, "--aws-timeout") * 1000 }
        : {}),
      ...(io.env ? { env: io.env } : {}),
    });
  let costs;
  try {
    costs = await queryWindowCosts(client, { start, stop, granularity, metric, services, tags });
  } finally {
    if (!io.client) client.destroy();
  }
  for (const note of costs.notes) stderr(`note: ${note}\n`);

  const report = computeCostReport({ ...summary, start, stop }, costs);
  if (options.output !== undefined) {
    const csv = options.output.toLowerCase().endsWith(".csv");
    await writeAtomically(options.output, csv ? formatCostCsv(report) : formatCostJson(report));
    stderr(`Cost report written to: ${options.output}\n`);
  }
  stdout(
    format === "json"
      ? formatCostJson(report)
      : format === "csv"
      ? formatCostCsv(report)
      : formatCostTable(report),
  );
  return report;
}
