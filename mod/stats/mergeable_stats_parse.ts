/**
 * Reading an `osml-load-stats.json` someone hands to `osml-load merge`:
 * JSON, the format version, and every field the merge reads, checked; a
 * problem is one {@linkcode UsageError} naming the file, the field and what
 * to do.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { parseMergeableStats } from "./mergeable_stats_parse.ts";
 * assert.throws(() => parseMergeableStats("{", "gen0/osml-load-stats.json"), /not valid JSON/);
 * ```
 * @module
 */

import { UsageError } from "../usage_error.ts";
import {
  MERGEABLE_STATS_SCHEMA,
  type MergeableEntry,
  type MergeableHistoryRow,
  type MergeablePoint,
  type MergeableStats,
  type Pairs,
} from "./mergeable_stats.ts";

type Json = Record<string, unknown>;

class Checker {
  constructor(readonly source: string) {}

  fail(path: string, what: string): never {
    throw new UsageError(
      `${this.source}: ${path} ${what}: the file is damaged or not an osml-load statistics ` +
        "file; write it again with a run, or leave this source out",
    );
  }

  object(value: unknown, path: string): Json {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      this.fail(path, `is ${describe(value)}, not an object`);
    }
    return value as Json;
  }

  array(value: unknown, path: string): unknown[] {
    if (!Array.isArray(value)) this.fail(path, `is ${describe(value)}, not an array`);
    return value;
  }

  number(value: unknown, path: string): number {
    if (typeof value !== "number" || !Number.isFinite(value)) {
      this.fail(path, `is ${describe(value)}, not a number`);
    }
    return value;
  }

  count(value: unknown, path: string): number {
    const n = this.number(value, path);
    if (!Number.isInteger(n) || n < 0) this.fail(path, `is ${n}, not a count`);
    return n;
  }

  nullableNumber(value: unknown, path: string): number | null {
    return value === null ? null : this.number(value, path);
  }

  string(value: unknown, path: string): string {
    if (typeof value !== "string") this.fail(path, `is ${describe(value)}, not a string`);
    return value;
  }

  boolean(value: unknown, path: string): boolean {
    if (typeof value !== "boolean") this.fail(path, `is ${describe(value)}, not true or false`);
    return value;
  }

  pairs(value: unknown, path: string, counts: boolean): Pairs {
    return this.array(value, path).map((pair, i) => {
      const p = `${path}[${i}]`;
      const items = this.array(pair, p);
      if (items.length !== 2) this.fail(p, "is not a [key, value] pair");
      const key = this.number(items[0], `${p}[0]`);
      const v = counts ? this.count(items[1], `${p}[1]`) : this.number(items[1], `${p}[1]`);
      return [key, v];
    });
  }
}

function describe(value: unknown): string {
  if (value === undefined) return "missing";
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function entry(c: Checker, value: unknown, path: string): MergeableEntry {
  const o = c.object(value, path);
  return {
    type: c.string(o.type, `${path}.type`),
    name: c.string(o.name, `${path}.name`),
    ...counters(c, o, path),
    response_times: c.pairs(o.response_times, `${path}.response_times`, true),
    num_reqs_per_sec: c.pairs(o.num_reqs_per_sec, `${path}.num_reqs_per_sec`, true),
    num_fail_per_sec: c.pairs(o.num_fail_per_sec, `${path}.num_fail_per_sec`, true),
    start_time: c.number(o.start_time, `${path}.start_time`),
  };
}

function counters(c: Checker, o: Json, path: string) {
  return {
    num_requests: c.count(o.num_requests, `${path}.num_requests`),
    num_none_requests: c.count(o.num_none_requests, `${path}.num_none_requests`),
    num_failures: c.count(o.num_failures, `${path}.num_failures`),
    total_response_time: c.number(o.total_response_time, `${path}.total_response_time`),
    min_response_time: c.nullableNumber(o.min_response_time, `${path}.min_response_time`),
    min_is_int: c.boolean(o.min_is_int, `${path}.min_is_int`),
    max_response_time: c.number(o.max_response_time, `${path}.max_response_time`),
    max_is_int: c.boolean(o.max_is_int, `${path}.max_is_int`),
    total_content_length: c.number(o.total_content_length, `${path}.total_content_length`),
    last_request_timestamp: c.nullableNumber(
      o.last_request_timestamp,
      `${path}.last_request_timestamp`,
    ),
  };
}

function point(c: Checker, value: unknown, path: string): MergeablePoint | null {
  if (value === null) return null;
  const o = c.object(value, path);
  const p: MergeablePoint = {
    t: c.number(o.t, `${path}.t`),
    users: c.count(o.users, `${path}.users`),
    jobs_in_flight: c.count(o.jobs_in_flight, `${path}.jobs_in_flight`),
    jobs_succeeded: c.count(o.jobs_succeeded, `${path}.jobs_succeeded`),
    jobs_failed: c.count(o.jobs_failed, `${path}.jobs_failed`),
    jobs_partial: c.count(o.jobs_partial, `${path}.jobs_partial`),
    jobs_timed_out: c.count(o.jobs_timed_out, `${path}.jobs_timed_out`),
    gb_processed: c.number(o.gb_processed, `${path}.gb_processed`),
    pixels_processed: c.number(o.pixels_processed, `${path}.pixels_processed`),
  };
  if (o.queue_depth !== undefined) {
    p.queue_depth = c.nullableNumber(o.queue_depth, `${path}.queue_depth`);
  }
  if (o.target_rate !== undefined) p.target_rate = c.number(o.target_rate, `${path}.target_rate`);
  return p;
}

function row(c: Checker, value: unknown, path: string): MergeableHistoryRow {
  const o = c.object(value, path);
  const total = c.object(o.total, `${path}.total`);
  const jobs = c.object(o.job_complete, `${path}.job_complete`);
  return {
    t: c.number(o.t, `${path}.t`),
    users: c.count(o.users, `${path}.users`),
    start_time: c.number(o.start_time, `${path}.start_time`),
    total: {
      ...counters(c, total, `${path}.total`),
      changed_response_times: c.pairs(
        total.changed_response_times,
        `${path}.total.changed_response_times`,
        true,
      ),
      changed_reqs_per_sec: c.pairs(
        total.changed_reqs_per_sec,
        `${path}.total.changed_reqs_per_sec`,
        true,
      ),
      changed_fail_per_sec: c.pairs(
        total.changed_fail_per_sec,
        `${path}.total.changed_fail_per_sec`,
        true,
      ),
    },
    job_complete: {
      num_requests: c.count(jobs.num_requests, `${path}.job_complete.num_requests`),
      num_none_requests: c.count(jobs.num_none_requests, `${path}.job_complete.num_none_requests`),
      changed_response_times: c.pairs(
        jobs.changed_response_times,
        `${path}.job_complete.changed_response_times`,
        true,
      ),
    },
    point: point(c, o.point, `${path}.point`),
  };
}

function identity(c: Checker, value: unknown, path: string) {
  const o = c.object(value, path);
  return {
    index: o.index === null ? null : c.count(o.index, `${path}.index`),
    host: o.host === null ? null : c.string(o.host, `${path}.host`),
    run_id: c.string(o.run_id, `${path}.run_id`),
  };
}

/**
 * Parse and check a document (see the module doc). `source` names it in messages.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { parseMergeableStats } from "./mergeable_stats_parse.ts";
 * assert.throws(
 *   () => parseMergeableStats('{"schema": "osml-load/mergeable-stats@9"}', "gen0"),
 *   /format "osml-load\/mergeable-stats@9"/,
 * );
 * ```
 */
export function parseMergeableStats(text: string, source: string): MergeableStats {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UsageError(
      `${source} is not valid JSON (${error instanceof Error ? error.message : String(error)}): ` +
        "the file is damaged or was cut short; write it again with a run, or leave this source out",
    );
  }
  const c = new Checker(source);
  const o = c.object(data, "the document");
  if (o.schema !== MERGEABLE_STATS_SCHEMA) {
    throw new UsageError(
      `${source} is in format ${describe(o.schema)}, but this osml-load merges ` +
        `${MERGEABLE_STATS_SCHEMA}: merge it with the osml-load version that wrote it`,
    );
  }
  const stats = c.object(o.stats, "stats");
  const jobs = c.object(o.jobs, "jobs");
  const doc: MergeableStats = {
    schema: MERGEABLE_STATS_SCHEMA,
    locust_version: c.string(o.locust_version, "locust_version"),
    final: c.boolean(o.final, "final"),
    generator: identity(c, o.generator, "generator"),
    started_at: c.number(o.started_at, "started_at"),
    load_started_at: c.nullableNumber(o.load_started_at, "load_started_at"),
    stopped_at: c.nullableNumber(o.stopped_at, "stopped_at"),
    written_at: c.number(o.written_at, "written_at"),
    user_count: c.count(o.user_count, "user_count"),
    backlog_queue: o.backlog_queue === null ? null : c.string(o.backlog_queue, "backlog_queue"),
    configuration: c.array(o.configuration, "configuration").map((pair, i) => {
      const items = c.array(pair, `configuration[${i}]`);
      return [
        c.string(items[0], `configuration[${i}][0]`),
        c.string(items[1], `configuration[${i}][1]`),
      ];
    }),
    stats: {
      start_time: c.number(stats.start_time, "stats.start_time"),
      entries: c.array(stats.entries, "stats.entries").map((e, i) =>
        entry(c, e, `stats.entries[${i}]`)
      ),
      total: entry(c, stats.total, "stats.total"),
      failures: c.array(stats.failures, "stats.failures").map((f, i) => {
        const p = `stats.failures[${i}]`;
        const x = c.object(f, p);
        return {
          method: c.string(x.method, `${p}.method`),
          name: c.string(x.name, `${p}.name`),
          error: c.string(x.error, `${p}.error`),
          occurrences: c.count(x.occurrences, `${p}.occurrences`),
          first_seen: c.number(x.first_seen, `${p}.first_seen`),
          last_seen: c.number(x.last_seen, `${p}.last_seen`),
        };
      }),
      exceptions: c.array(stats.exceptions, "stats.exceptions").map((e, i) => {
        const p = `stats.exceptions[${i}]`;
        const x = c.object(e, p);
        return {
          message: c.string(x.message, `${p}.message`),
          traceback: c.string(x.traceback, `${p}.traceback`),
          count: c.count(x.count, `${p}.count`),
          nodes: c.array(x.nodes, `${p}.nodes`).map((n, j) => c.string(n, `${p}.nodes[${j}]`)),
          first_seen: c.number(x.first_seen, `${p}.first_seen`),
          last_seen: c.number(x.last_seen, `${p}.last_seen`),
        };
      }),
    },
    jobs: Object.fromEntries(
      Object.entries(jobs).map(([key, value]) => [key, c.number(value, `jobs.${key}`)]),
    ),
    history: c.array(o.history, "history").map((r, i) => row(c, r, `history[${i}]`)),
    final_row: o.final_row === null ? null : row(c, o.final_row, "final_row"),
  };
  if (o.merged_from !== undefined) {
    doc.merged_from = c.array(o.merged_from, "merged_from").map((g, i) => {
      const p = `merged_from[${i}]`;
      const x = c.object(g, p);
      return {
        ...identity(c, g, p),
        source: c.string(x.source, `${p}.source`),
        final: c.boolean(x.final, `${p}.final`),
      };
    });
  }
  let last = -Infinity;
  doc.history.forEach((r, i) => {
    const second = Math.floor(r.t / 1000);
    if (second <= last) c.fail(`history[${i}].t`, "is not in a later second than the row before");
    last = second;
  });
  return doc;
}
