/**
 * `osml-load merge SOURCE…`: combine several generators' results into the
 * outputs of one run that saw every sample. Each SOURCE is a local folder or
 * an `s3://bucket/prefix/`; every `osml-load-stats.json` under it is one
 * generator. The merge adds histograms as Locust's master does (merged
 * percentiles are exact), and writes into `--log-dir` (default `merged`)
 * `job_status.json` (the union), `job_summary.json` (added counters, the
 * merged window, `generators`, `partial`) and the merged
 * `osml-load-stats.json` (which can be merged again); the Locust CSV files
 * under `--output` (default `LOG_DIR/osml-load`); and on request the HTML
 * report, the JSON stats and the cost report over the merged window.
 *
 * Exit codes: 0 merged; 1 merged, but a generator is missing (`--generators`,
 * or a gap in a run's indices) or did not finish; 2 bad input (no such
 * source, an unreadable or invalid file, another format version, the same
 * generator twice).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { StatsAggregator } from "../stats/aggregator.ts";
 * import { MERGEABLE_STATS_SCHEMA, type MergeableStats, snapshotStats } from "../stats/mergeable_stats.ts";
 * import { mergeCommand } from "./merge.ts";
 * // Two generators' logs, each with one 100 ms or 200 ms sample.
 * const dir = await Deno.makeTempDir();
 * for (const index of [0, 1]) {
 *   const stats = new StatsAggregator(0);
 *   stats.record({ type: "Submit Image", name: "small.tif:m", responseTimeMs: 100 * (index + 1), length: 0, at: 500 });
 *   const doc: MergeableStats = {
 *     schema: MERGEABLE_STATS_SCHEMA, locust_version: "2.46.3", final: true,
 *     generator: { index, host: null, run_id: "r" }, started_at: 0, load_started_at: 0,
 *     stopped_at: 900, written_at: 900, user_count: 0, backlog_queue: null, configuration: [],
 *     stats: snapshotStats(stats), jobs: { total_image_sent: 1 }, history: [], final_row: null,
 *   };
 *   await Deno.mkdir(`${dir}/gen${index}/logs`, { recursive: true });
 *   await Deno.writeTextFile(`${dir}/gen${index}/logs/osml-load-stats.json`, JSON.stringify(doc));
 * }
 * const code = await mergeCommand(
 *   { sources: [`${dir}/gen0/logs`, `${dir}/gen1/logs`], logDir: `${dir}/merged`, generators: "2" },
 *   { stdout: () => {}, stderr: () => {} },
 * );
 * assert.equal(code, 0);
 * const summary = JSON.parse(await Deno.readTextFile(`${dir}/merged/job_summary.json`));
 * assert.equal(summary.total_image_sent, 2);
 * assert.equal(summary.generators, 2);
 * const csv = await Deno.readTextFile(`${dir}/merged/osml-load_stats.csv`);
 * assert.ok(csv.includes("\n,Aggregated,2,0,100,150.0,100.0,200.0,"));
 * await Deno.remove(dir, { recursive: true });
 * ```
 * @module
 */

import { stringifyPythonJson } from "../tracker/python_json.ts";
import { join, resolve } from "node:path";
import { ExitCode } from "../exit_codes.ts";
import type { AwsEnv } from "../aws/aws_settings.ts";
import { type PlannedOutput, preflightOutputs } from "../fs/preflight.ts";
import { writeTextFileAtomic } from "../fs/atomic_write.ts";
import { createConsoleStatsOutput } from "../output/console_stats.ts";
import { createHtmlReportOutput } from "../output/html_report.ts";
import { createJsonStatsOutput } from "../output/json_stats.ts";
import { locustCsvPaths } from "../output/locust_csv.ts";
import { type MergeInput, mergeMergeableStats } from "../stats/merge_stats.ts";
import { MERGEABLE_STATS_FILE, type MergedGenerator } from "../stats/mergeable_stats.ts";
import { UsageError } from "../usage_error.ts";
import {
  type GeneratorProblem,
  mergedContext,
  mergedJobSummary,
  replayDocument,
  unionJobStatus,
  writeMergedCsv,
} from "./merge_outputs.ts";
import {
  isS3Source,
  type LoadedGenerator,
  loadLocalSource,
  loadS3Source,
} from "./merge_sources.ts";

/** The command's options, as commander hands them over. */
export interface MergeOptions {
  /** Local folders or `s3://bucket/prefix/` URLs. */
  sources: readonly string[];
  /** CSV prefix (default `LOG_DIR/osml-load`). */
  output?: string | undefined;
  /** Also write the HTML report here. */
  html?: string | undefined;
  /** Also write the JSON stats here. */
  json?: string | undefined;
  /** Folder for job_status.json, job_summary.json and osml-load-stats.json (default `merged`). */
  logDir?: string | undefined;
  /** Also write the cost report over the merged window here (JSON; CSV for `.csv`). */
  cost?: string | undefined;
  /** How many generators the run had (indices 0 … N−1); the absent ones are reported. */
  generators?: string | undefined;
  /** Region of the S3 sources (default: the environment's). */
  awsRegion?: string | undefined;
  /** Timeout of one AWS call, e.g. `15s`. */
  awsTimeout?: string | undefined;
}

/** Where the command writes; tests replace these. */
export interface MergeIo {
  /** Receives the merged tables, one line at a time (default: standard output). */
  stdout?: (line: string) => void;
  /** Receives notes and warnings, one line at a time (default: standard error). */
  stderr?: (line: string) => void;
  /** The environment the S3 client reads (region, endpoint, credentials); default the process's. */
  env?: AwsEnv;
}

function parseGeneratorCount(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text.trim()) || Number(text) < 1) {
    throw new UsageError(
      `bad --generators ${JSON.stringify(text)}: give how many generators the run had, ` +
        "e.g. --generators 3",
    );
  }
  return Number(text);
}

async function loadSources(
  options: MergeOptions,
  env: AwsEnv | undefined,
): Promise<LoadedGenerator[]> {
  const generators: LoadedGenerator[] = [];
  let s3: import("@aws-sdk/client-s3").S3Client | undefined;
  try {
    for (const source of options.sources) {
      if (isS3Source(source)) {
        if (s3 === undefined) {
          const [{ s3Client }, { resolveRegion }, { parseDuration }] = await Promise.all([
            import("../aws/s3_client.ts"),
            import("../discovery/region.ts"),
            import("../config/duration.ts"),
          ]);
          const { region } = await resolveRegion(options.awsRegion, env);
          s3 = s3Client({
            region,
            ...(env ? { env } : {}),
            ...(options.awsTimeout !== undefined
              ? { timeoutMs: parseDuration(options.awsTimeout, "--aws-timeout") * 1000 }
              : {}),
          });
        }
        generators.push(...await loadS3Source(source, s3));
      } else {
        generators.push(...await loadLocalSource(source));
      }
    }
  } finally {
    s3?.destroy();
  }
  return generators;
}

function label(g: { index: number | null; run_id: string }): string {
  return g.index === null ? `run ${g.run_id}` : `generator ${g.index} of run ${g.run_id}`;
}

/** Refuse what cannot be merged: another Locust version, a generator twice. */
function checkInputs(generators: readonly LoadedGenerator[]): void {
  const versions = new Set(generators.map((g) => g.doc.locust_version));
  if (versions.size > 1) {
    throw new UsageError(
      `the sources count as different Locust versions (${[...versions].join(", ")}): ` +
        "merge results written by one osml-load version",
    );
  }
  const seen = new Map<string, string>();
  for (const g of generators) {
    const parts: MergedGenerator[] = g.doc.merged_from ??
      [{ ...g.doc.generator, source: g.source, final: g.doc.final }];
    for (const part of parts) {
      const key = `${part.run_id}\u0000${part.index}`;
      const other = seen.get(key);
      if (other !== undefined) {
        throw new UsageError(
          `${label(part)} is in ${other} and in ${g.source}: pass each generator once ` +
            "(a merged result already holds the generators it was made of)",
        );
      }
      seen.set(key, g.source);
    }
  }
}

/** Generators missing from the result: absent indices (of `expected`, or gaps in a run's). */
function missingGenerators(
  generators: readonly MergedGenerator[],
  expected: number | undefined,
): GeneratorProblem[] {
  const byRun = new Map<string, Set<number>>();
  for (const g of generators) {
    if (g.index === null) continue;
    const set = byRun.get(g.run_id) ?? new Set();
    set.add(g.index);
    byRun.set(g.run_id, set);
  }
  const missing: GeneratorProblem[] = [];
  if (expected !== undefined) {
    const present = new Set(generators.map((g) => g.index));
    const runId = [...byRun.keys()].join("+");
    for (let i = 0; i < expected; i++) {
      if (!present.has(i)) {
        missing.push({ index: i, run_id: runId, reason: "no statistics file in the sources" });
      }
    }
    return missing;
  }
  for (const [runId, indices] of byRun) {
    for (let i = 0; i < Math.max(...indices); i++) {
      if (!indices.has(i)) {
        missing.push({ index: i, run_id: runId, reason: "no statistics file in the sources" });
      }
    }
  }
  return missing;
}

function failedGenerators(
  generators: readonly LoadedGenerator[],
): GeneratorProblem[] {
  return generators.flatMap((g) => {
    const parts: MergedGenerator[] = g.doc.merged_from ??
      [{ ...g.doc.generator, source: g.source, final: g.doc.final }];
    return parts.filter((p) => !p.final).map((p) => ({
      index: p.index,
      run_id: p.run_id,
      source: p.source,
      reason: g.doc.merged_from === undefined
        ? `did not finish: its statistics were last written at ${
          new Date(g.doc.written_at).toISOString()
        }`
        : `did not finish (in the merged result ${g.source})`,
    }));
  });
}

/**
 * Run `osml-load merge`; returns the exit code (see the module doc). Throws
 * {@linkcode UsageError} for bad input, before anything is written.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { UsageError } from "../usage_error.ts";
 * import { mergeCommand } from "./merge.ts";
 * await assert.rejects(mergeCommand({ sources: ["out/gen0/logs"], generators: "none" }), UsageError);
 * ```
 */
export async function mergeCommand(options: MergeOptions, io: MergeIo = {}): Promise<number> {
  const stdout = io.stdout ?? ((line: string) => console.log(line));
  const stderr = io.stderr ?? ((line: string) => console.error(line));
  if (options.sources.length === 0) {
    throw new UsageError(
      "no SOURCE given: pass the generators' --log-dir folders or s3://bucket/prefix/ URLs, " +
        "e.g. osml-load merge out/gen0/logs out/gen1/logs",
    );
  }
  const expected = parseGeneratorCount(options.generators);
  const logDir = options.logDir ?? "merged";
  const csvPrefix = options.output ?? join(logDir, "osml-load");

  const generators = await loadSources(options, io.env);
  checkInputs(generators);
  for (const g of generators) {
    if (g.localDir !== undefined && resolve(g.localDir) === resolve(logDir)) {
      throw new UsageError(
        `--log-dir ${logDir} is the folder of the source ${g.source}: the merge would overwrite ` +
          "its files; choose another --log-dir",
      );
    }
  }

  const planned: PlannedOutput[] = [
    { flag: "--log-dir", path: logDir, kind: "dir" },
    ...["job_status.json", "job_summary.json", MERGEABLE_STATS_FILE].map((name) => ({
      flag: "--log-dir",
      path: join(logDir, name),
      kind: "file" as const,
    })),
    ...Object.values(locustCsvPaths(csvPrefix)).map((path) => ({
      flag: "--output",
      path,
      kind: "file" as const,
    })),
  ];
  if (options.html) planned.push({ flag: "--html", path: options.html, kind: "file" });
  if (options.json) planned.push({ flag: "--json", path: options.json, kind: "file" });
  if (options.cost) planned.push({ flag: "--cost", path: options.cost, kind: "file" });
  await preflightOutputs(planned);

  const inputs: MergeInput[] = generators.map((g) => ({ doc: g.doc, source: g.source }));
  const merged = mergeMergeableStats(inputs);
  const parts = merged.merged_from ?? [];
  const missing = missingGenerators(parts, expected);
  const failed = failedGenerators(generators);

  const files: string[] = [];
  const statusParts = generators.flatMap((g) => (g.jobStatus ? [g.jobStatus] : []));
  if (statusParts.length > 0) {
    const { records, conflicts } = unionJobStatus(statusParts);
    const path = join(logDir, "job_status.json");
    await writeTextFileAtomic(path, stringifyPythonJson(records) + "\n");
    files.push(path);
    if (conflicts > 0) {
      stderr(`warning: ${conflicts} job id(s) came with different records; the first was kept`);
    }
    if (statusParts.length < generators.length) {
      stderr(
        `note: ${generators.length - statusParts.length} generator(s) had no job_status.json`,
      );
    }
  }
  const summaryPath = join(logDir, "job_summary.json");
  await writeTextFileAtomic(
    summaryPath,
    stringifyPythonJson(mergedJobSummary(merged, generators, missing, failed)) + "\n",
  );
  files.push(summaryPath);
  const statsPath = join(logDir, MERGEABLE_STATS_FILE);
  await writeTextFileAtomic(statsPath, JSON.stringify(merged) + "\n");
  files.push(statsPath);

  const run = replayDocument(merged);
  files.push(...await writeMergedCsv(csvPrefix, run));
  const ctx = mergedContext(merged, run, () => files);
  if (options.json) {
    await createJsonStatsOutput({ path: options.json }).finish(ctx);
    files.push(options.json);
  }
  if (options.html) {
    await createHtmlReportOutput({ path: options.html }).finish(ctx);
    files.push(options.html);
  }
  await createConsoleStatsOutput({ write: stdout, jobStatistics: true }).finish(ctx);

  const runs = [...new Set(parts.map((p) => p.run_id))];
  stderr(
    `Merged ${parts.length} generator(s) of ${runs.length} run(s) from ${
      options.sources.join(", ")
    }`,
  );
  for (const m of missing) stderr(`warning: ${label(m)} is missing: ${m.reason}`);
  for (const f of failed) stderr(`warning: ${label(f)} (${f.source}) ${f.reason}`);

  if (options.cost) {
    const [{ runCost }] = await Promise.all([import("./cost.ts")]);
    await runCost({
      summary: summaryPath,
      output: options.cost,
      ...(options.awsTimeout !== undefined ? { awsTimeout: options.awsTimeout } : {}),
    }, {
      stdout: (text) => stdout(text.replace(/\n$/, "")),
      stderr: (text) => stderr(text.replace(/\n$/, "")),
      ...(io.env ? { env: io.env } : {}),
    });
    files.push(options.cost);
  }
  stderr(`Outputs: ${files.join(", ")}`);
  if (missing.length > 0 || failed.length > 0) {
    stderr(
      "warning: the merged result is partial (job_summary.json: partial, missing_generators, " +
        "failed_generators)",
    );
    return ExitCode.RunFailed;
  }
  return ExitCode.Ok;
}
