/**
 * The golden replay: `scripts/replay_stats.ts` feeds the recorded stream of
 * `tests/fixtures/locust-golden/` through the statistics and CSV code a run
 * uses, and every cell of the four files must equal what Locust 2.46.3's own
 * `locust/stats.py` wrote for that stream (and every byte: CRLF line ends).
 */

import assert from "node:assert/strict";
import { parse } from "csv-parse/sync";
import { replayStats } from "../scripts/replay_stats.ts";
import { LOCUST_VERSION } from "../mod/stats/locust_version.ts";
import { parseSampleStream } from "../mod/stats/sample_stream.ts";
import { UsageError } from "../mod/usage_error.ts";

const FIXTURE = new URL("./fixtures/locust-golden/", import.meta.url);
/** CI keeps a copy of shared/ beside the repository. */
const SHARED = new URL("../../shared/reference/locust-golden/", import.meta.url);
const FILES = [
  "stream.jsonl",
  "README.md",
  ...["stats", "stats_history", "failures", "exceptions"]
    .map((f) => `golden_${f}.csv`),
];

async function exists(url: URL): Promise<boolean> {
  try {
    await Deno.stat(url);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}

function readCsv(text: string): string[][] {
  return parse(text, { relax_column_count: true }) as string[][];
}

/** Compare two CSV texts cell by cell, naming the first cell that differs. */
function assertSameCells(file: string, actual: string, golden: string): void {
  const a = readCsv(actual);
  const g = readCsv(golden);
  for (let row = 0; row < Math.max(a.length, g.length); row++) {
    const ar = a[row];
    const gr = g[row];
    assert.ok(ar !== undefined, `${file}: row ${row + 1} is missing (golden has ${g.length} rows)`);
    assert.ok(gr !== undefined, `${file}: extra row ${row + 1}: ${ar?.join(",")}`);
    assert.equal(
      ar.length,
      gr.length,
      `${file} row ${row + 1}: ${ar.length} cells, golden ${gr.length}`,
    );
    for (let col = 0; col < gr.length; col++) {
      assert.equal(
        ar[col],
        gr[col],
        `${file} row ${row + 1}, column ${col + 1} (${g[0]?.[col]}): got ${ar[col]}, Locust wrote ${
          gr[col]
        }`,
      );
    }
  }
}

Deno.test(`golden replay: the four CSV files equal Locust ${LOCUST_VERSION}'s, cell for cell`, async () => {
  const dir = await Deno.makeTempDir({ prefix: "osml_golden_" });
  try {
    const files = await replayStats(new URL("stream.jsonl", FIXTURE).pathname, `${dir}/replay`);
    const pairs: [string, string][] = [
      [files.stats, "golden_stats.csv"],
      [files.history, "golden_stats_history.csv"],
      [files.failures, "golden_failures.csv"],
      [files.exceptions, "golden_exceptions.csv"],
    ];
    for (const [path, golden] of pairs) {
      const actual = await Deno.readTextFile(path);
      const expected = await Deno.readTextFile(new URL(golden, FIXTURE));
      assertSameCells(golden, actual, expected);
      assert.equal(actual, expected, `${golden}: same cells, but not the same bytes`);
    }
    // The replay writes the four Locust files and nothing else (no jobs history: no jobs).
    const names = [];
    for await (const e of Deno.readDir(dir)) names.push(e.name);
    assert.deepEqual(names.sort(), [
      "replay_exceptions.csv",
      "replay_failures.csv",
      "replay_stats.csv",
      "replay_stats_history.csv",
    ]);
    // The stream really exercises what Locust 2.44+ changed: int Min/Max cells and int medians
    // above 100 ms in the golden stats file.
    const stats = readCsv(await Deno.readTextFile(files.stats));
    assert.ok(stats.some((r) => r[0] === "Process Image" && /^\d+$/.test(r[6] ?? "")));
    assert.ok(stats.some((r) => Number(r[4]) >= 100 && /^\d+$/.test(r[4] ?? "")));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

// Outside CI there may be no ../shared: then the fixture copy alone is used (test ignored).
Deno.test({
  name: "golden replay: the fixture is the same as ../shared's golden folder, when present",
  ignore: !(await exists(SHARED)),
  async fn() {
    for (const name of FILES) {
      const fixture = await Deno.readFile(new URL(name, FIXTURE));
      const shared = await Deno.readFile(new URL(name, SHARED));
      assert.deepEqual(
        fixture,
        shared,
        `${name} differs from ../shared: copy the golden folder again`,
      );
    }
  },
});

Deno.test("golden replay: rates use the stream's seconds even where milliseconds cannot hold them", async () => {
  // No float of milliseconds divides back to 1796000005.036321, so a clock kept in ms would
  // give 2 / 5.036320924758911 s = 0.3971152623511742 /s. Python, from time.time():
  // 2 / (1796000005.036321 - 1796000000.0) = 0.39711528115054345.
  const dir = await Deno.makeTempDir({ prefix: "osml_clock_" });
  try {
    const stream = [
      `{"t": 1796000000.0, "kind": "request", "type": "Submit Image", "name": "a", "ms": 5, "bytes": 1, "error": null}`,
      `{"t": 1796000005.036321, "kind": "request", "type": "Submit Image", "name": "a", "ms": 7, "bytes": 1, "error": null}`,
      `{"t": 1796000006.0, "kind": "end"}`,
    ].join("\n");
    await Deno.writeTextFile(`${dir}/stream.jsonl`, stream);
    const files = await replayStats(`${dir}/stream.jsonl`, `${dir}/out`);
    const rows = readCsv(await Deno.readTextFile(files.stats));
    assert.equal(rows[2]?.[1], "Aggregated");
    assert.equal(rows[2]?.[9], "0.39711528115054345");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("sample stream: integer samples stay ints, times come back exactly, bad lines are usage errors", () => {
  const events = parseSampleStream(
    [
      `{"t": 1796000005.036321, "kind": "request", "type": "Process Image", "name": "a", "ms": 3868, "bytes": 1, "error": null}`,
      `{"t": 1796000005.5, "kind": "request", "type": "Submit Image", "name": "a", "ms": 3868.0, "bytes": 1, "error": "Boom()"}`,
      `{"t": 1796000006, "kind": "history", "users": 4}`,
      ``,
      `{"t": 1796000007, "kind": "end"}`,
    ].join("\n"),
  );
  assert.equal(events.length, 4);
  const [a, b] = events;
  assert.ok(a?.kind === "request" && b?.kind === "request");
  assert.equal(a.sample.responseTimeIsInt, true);
  assert.equal(b.sample.responseTimeIsInt, undefined, "3868.0 is a float");
  assert.equal(b.sample.error, "Boom()");
  // No float of milliseconds divides back to 1796000005.036321: samples carry the seconds.
  assert.notEqual((1796000005.036321 * 1000) / 1000, 1796000005.036321);
  assert.equal(a.sample.atSeconds, 1796000005.036321);
  for (
    const bad of [
      `not json`,
      `{"t": 1, "kind": "nap"}`,
      `{"kind": "end"}`,
      `{"t": 1, "kind": "request", "type": "X", "name": "a", "ms": "slow", "bytes": 1, "error": null}`,
    ]
  ) {
    assert.throws(() => parseSampleStream(bad), (e: unknown) => {
      assert.ok(e instanceof UsageError, `${bad}: ${e}`);
      assert.match(e.message, /line 1/);
      return true;
    });
  }
});
