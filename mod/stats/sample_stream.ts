/**
 * A recorded sample stream: JSON lines in time order, the format of the Locust
 * golden files (`tests/fixtures/locust-golden/README.md`), replayed by
 * `scripts/replay_stats.ts`:
 *
 * - `{"t": 1796000000.33, "kind": "request", "type": "Submit Image", "name": "a.tif:m",
 *   "ms": 12.3, "bytes": 1234, "error": null}`: one sample. An `ms` written
 *   without a decimal point or exponent is a Python int, and stays one
 *   (`Sample.responseTimeIsInt`); `null` is a request without a response time.
 * - `{"t": ..., "kind": "history", "users": 6}`: one `_stats_history.csv` tick.
 * - `{"t": ..., "kind": "end"}`: the final files are written.
 *
 * `t` is Unix seconds as a float (Python's `time.time()`). Samples carry it
 * exactly (`Sample.atSeconds`), so rates are the ones Locust computed from
 * `t`; the millisecond times (`at`) are as close to `t` as a float of
 * milliseconds can be.
 *
 * @example
 * ```ts
 * import { parseSampleStream } from "./sample_stream.ts";
 * const [event] = parseSampleStream(
 *   '{"t": 1796000000.5, "kind": "request", "type": "Process Image", "name": "a.tif:m", "ms": 3868, "bytes": 7, "error": null}\n',
 * );
 * if (event?.kind !== "request" || event.sample.responseTimeIsInt !== true) throw new Error("an int");
 * if (event.sample.atSeconds !== 1796000000.5) throw new Error("the stream's clock, exactly");
 * ```
 * @module
 */

import type { Sample } from "../model/sample.ts";
import { UsageError } from "../usage_error.ts";

/** One event of a sample stream: `t` in Unix seconds as written, `at` in ms since the epoch. */
export type StreamEvent =
  | { kind: "request"; t: number; at: number; sample: Sample }
  | { kind: "history"; t: number; at: number; users: number }
  | { kind: "end"; t: number; at: number };

const f64 = new Float64Array(1);
const i64 = new BigInt64Array(f64.buffer);

/** The next double after `x` towards +∞ (`up`) or −∞; `x` is finite and positive. */
function nextDouble(x: number, up: boolean): number {
  f64[0] = x;
  i64[0] = (i64[0] as bigint) + (up ? 1n : -1n);
  return f64[0] as number;
}

/**
 * Milliseconds for Unix seconds `t`: a value whose `/ 1000` is `t` when one
 * exists, else `t * 1000`. (Near today's epoch seconds, consecutive
 * millisecond doubles step by 1.024 ulps of the seconds, so about one `t` in
 * 60 has no exact millisecond double; that is why samples also carry `t`.)
 *
 * @example
 * ```ts
 * import { msForSeconds } from "./sample_stream.ts";
 * if (msForSeconds(1796000000.5) !== 1796000000500) throw new Error("exact when it can be");
 * ```
 */
export function msForSeconds(t: number): number {
  const guess = t * 1000;
  if (guess / 1000 === t || !Number.isFinite(guess) || guess <= 0) return guess;
  let down = guess;
  let up = guess;
  for (let i = 0; i < 8; i++) {
    down = nextDouble(down, false);
    if (down / 1000 === t) return down;
    up = nextDouble(up, true);
    if (up / 1000 === t) return up;
  }
  return guess;
}

function fail(line: number, what: string): never {
  throw new UsageError(
    `sample stream line ${line}: ${what}; each line must be one JSON object of kind ` +
      `"request", "history" or "end" (see tests/fixtures/locust-golden/README.md)`,
  );
}

/**
 * Parse a sample stream (JSON lines; blank lines are skipped).
 *
 * @throws {UsageError} naming the line when a line is not a valid event.
 * @example
 * ```ts
 * import { parseSampleStream } from "./sample_stream.ts";
 * const events = parseSampleStream('{"t": 1.5, "kind": "history", "users": 2}\n{"t": 2, "kind": "end"}\n');
 * if (events.length !== 2 || events[0]?.kind !== "history") throw new Error("two events");
 * ```
 */
export function parseSampleStream(text: string): StreamEvent[] {
  const events: StreamEvent[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const raw = (lines[i] as string).trim();
    if (raw === "") continue;
    const n = i + 1;
    let value: unknown;
    // JSON.parse forgets how a number was written; the reviver's source text keeps it.
    const msSource = new WeakMap<object, string>();
    try {
      value = JSON.parse(
        raw,
        function (this: object, key, v, context?: { source?: string }) {
          if (key === "ms" && context?.source !== undefined) msSource.set(this, context.source);
          return v;
        } as (this: unknown, key: string, value: unknown) => unknown,
      );
    } catch (e) {
      fail(n, `not JSON (${e instanceof Error ? e.message : e})`);
    }
    if (typeof value !== "object" || value === null) fail(n, "not a JSON object");
    const o = value as Record<string, unknown>;
    if (typeof o.t !== "number" || !Number.isFinite(o.t)) fail(n, `"t" is not a number`);
    const at = msForSeconds(o.t);
    switch (o.kind) {
      case "request": {
        if (typeof o.type !== "string" || typeof o.name !== "string") {
          fail(n, `"type" and "name" must be strings`);
        }
        if (typeof o.bytes !== "number" || !Number.isInteger(o.bytes)) {
          fail(n, `"bytes" must be an integer`);
        }
        if (o.error !== null && o.error !== undefined && typeof o.error !== "string") {
          fail(n, `"error" must be null or a string`);
        }
        if (o.ms !== null && (typeof o.ms !== "number" || !Number.isFinite(o.ms))) {
          fail(n, `"ms" must be a number or null`);
        }
        const written = msSource.get(o);
        const sample: Sample = {
          type: o.type,
          name: o.name,
          responseTimeMs: o.ms === null ? NaN : o.ms as number,
          length: o.bytes,
          at,
          atSeconds: o.t,
        };
        if (written !== undefined && /^-?[0-9]+$/.test(written)) sample.responseTimeIsInt = true;
        if (typeof o.error === "string") sample.error = o.error;
        events.push({ kind: "request", t: o.t, at, sample });
        break;
      }
      case "history":
        if (typeof o.users !== "number" || !Number.isInteger(o.users)) {
          fail(n, `"users" must be an integer`);
        }
        events.push({ kind: "history", t: o.t, at, users: o.users });
        break;
      case "end":
        events.push({ kind: "end", t: o.t, at });
        break;
      default:
        fail(n, `unknown "kind" ${JSON.stringify(o.kind)}`);
    }
  }
  return events;
}
