/** Locust's headless console tables, captured line by line. */

import assert from "node:assert/strict";
import { createConsoleStatsOutput } from "../mod/output/console_stats.ts";
import { aggregate, context, START } from "./stats_fixture.ts";

const pad = (s: string, n: number) => s.padEnd(n);
const padL = (s: string, n: number) => s.padStart(n);

Deno.test("console: live table every interval, then final, percentile and error tables as Locust prints them", async () => {
  const lines: string[] = [];
  const output = createConsoleStatsOutput({
    write: (l) => lines.push(l),
    nameWidth: 80,
    intervalMs: 2000,
  });
  const ctx = context(aggregate());
  await output.tick?.(ctx, START + 1000);
  await output.tick?.(ctx, START + 2000); // under 2 s since the last table: nothing
  await output.tick?.(ctx, START + 3000);
  const live = lines.splice(0);
  assert.equal(live.filter((l) => l.startsWith("Type ")).length, 2, "two live tables");

  // Header: "%-8s %-76s %7s %12s |%7s %7s %7s%7s | %7s %11s"
  const header = pad("Type", 8) + " " + pad("Name", 76) + " " + padL("# reqs", 7) + " " +
    padL("# fails", 12) +
    " |" + padL("Avg", 7) + " " + padL("Min", 7) + " " + padL("Max", 7) + padL("Med", 7) + " | " +
    padL("req/s", 7) + " " + padL("failures/s", 11);
  assert.equal(live[0], header);
  const separator = "--------|" + "-".repeat(76) +
    "|-------|-------------|-------|-------|-------|-------|--------|-----------";
  assert.equal(live[1], separator);
  // Live rows use current rates: A had 8 requests and 1 failure in the 6 window slots.
  assert.equal(
    live[4],
    // "%-8s" of "Submit Image " is not cut: the row is wider than the header.
    pad("Submit Image ", 8) + " " + pad("small.tif:centerpoint", 76) + " " + padL("10", 7) + " " +
      padL("2(20.00%)", 12) + " |" + padL("1968", 7) + " " + padL("12", 7) + " " +
      padL("15500", 7) +
      padL("99", 7) + " | " + padL("1.33", 7) + " " + padL("0.17", 11),
  );

  await output.finish(ctx);
  // Final table: total rates (count / 8 s). Aggregated: avg 11120.40 → %d 11120, min 0.4 → 0,
  // median 140, 14 / 8 = 1.75 req/s, 3 / 8 = 0.375 → %.2f "0.38" (an exact tie, to even).
  assert.equal(lines[0], header);
  assert.equal(
    lines[6],
    pad("", 8) + " " + pad("Aggregated", 76) + " " + padL("14", 7) + " " + padL("3(21.43%)", 12) +
      " |" +
      padL("11120", 7) + " " + padL("0", 7) + " " + padL("61000", 7) + padL("140", 7) + " | " +
      padL("1.75", 7) + " " + padL("0.38", 11),
  );
  assert.equal(lines[7], "");
  assert.equal(lines[8], "Response time percentiles (approximated)");
  // The percentile header has Locust's quirk: the 50% label sits in the 8-wide column.
  assert.equal(
    lines[9],
    pad("Type", 8) + " " + pad("Name", 80) + " " + padL("50%", 8) + " " +
      ["66%", "75%", "80%", "90%", "95%", "98%", "99%", "99.9%", "99.99%", "100%", "# reqs"]
        .map((h) => padL(h, 6)).join(" "),
  );
  assert.equal(
    lines[13],
    pad("Submit Image", 8) + " " + pad("small.tif:centerpoint", 80) + " " + padL("140", 8) + " " +
      ["160", "1400", "2300", "16000", "16000", "16000", "16000", "16000", "16000", "16000", "10"]
        .map((v) => padL(v, 6)).join(" "),
  );
  const report = lines.indexOf("Error report");
  assert.ok(report > 0);
  assert.equal(lines[report + 1], pad("# occurrences", 18) + " " + pad("Error", 100));
  assert.equal(lines[report + 2], "-".repeat(18) + "|" + "-".repeat(141));
  assert.equal(
    lines[report + 3],
    pad("2", 18) + " " +
      pad("Submit Image small.tif:centerpoint: ClientError('Throttled, slow down')", 100),
  );
  assert.equal(lines.at(-1), "");
});

Deno.test("console: the job statistics block follows the tables when asked for", async () => {
  const lines: string[] = [];
  const output = createConsoleStatsOutput({
    write: (l) => lines.push(l),
    nameWidth: 40,
    jobStatistics: true,
  });
  await output.finish(context(aggregate()));
  assert.deepEqual(lines.slice(-8), [
    "Total Images Sent: 12",
    "Total Images In-Progress: 2",
    "Total Images Processed: 10",
    "Total Images Succeeded: 7",
    "Total Images Failed: 3",
    "Total GB Processed: 1.50",
    "Total Pixels Processed: 4200000000",
    "Total Images Partial: 1",
  ]);
});
