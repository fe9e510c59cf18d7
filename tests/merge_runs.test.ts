/**
 * Two real short runs against one simulated deployment, each with its own
 * log folder, merged from the folders and from an S3 prefix: the totals are
 * the sums, the percentiles those of the added histograms, `job_status.json`
 * the union, and every output is written and parses.
 */
import assert from "node:assert/strict";
import { parse } from "csv-parse/sync";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { simClientConfig } from "../mod/sim/aws/client_config.ts";
import { runLoadTest } from "../mod/engine/load_test.ts";
import { RunLog } from "../mod/log/run_log.ts";
import { mergeCommand } from "../mod/commands/merge.ts";
import { MERGEABLE_STATS_FILE } from "../mod/stats/mergeable_stats.ts";
import { parseMergeableStats } from "../mod/stats/mergeable_stats_parse.ts";
import { percentileOf, PERCENTILES_TO_REPORT } from "../mod/stats/response_times.ts";
import type { StatsAggregator } from "../mod/stats/aggregator.ts";
import {
  JOBS_HISTORY_CSV_HEADER,
  STATS_CSV_HEADER,
  STATS_HISTORY_CSV_HEADER,
} from "../mod/output/locust_csv.ts";
import { shortRun, withSimulator } from "./engine_test_support.ts";

const quiet = () => new RunLog({ verbose: false, console: () => {} });

function csvRows(text: string): string[][] {
  return parse(text, { relaxColumnCount: false }) as string[][];
}

/** The Aggregated percentiles of the runs' histograms added (not of the merge's code). */
function addedPercentiles(runs: readonly StatsAggregator[]): string[] {
  const buckets = new Map<number, number>();
  let timed = 0;
  for (const stats of runs) {
    timed += stats.total.numRequests - stats.total.numNoneRequests;
    for (const [bucket, count] of stats.total.responseTimes) {
      buckets.set(bucket, (buckets.get(bucket) ?? 0) + count);
    }
  }
  return PERCENTILES_TO_REPORT.map((p) => String(percentileOf(buckets, timed, p)));
}

Deno.test("merge of two real runs: totals are the sums, job_status.json the union, from folders and from S3", async (t) => {
  await withSimulator({
    modelRunner: { msPerMegapixel: 0.05, fixedMs: 20, failureRate: 0.2, partialRate: 0 },
  }, async (sim, dir) => {
    const results = [];
    for (const i of [0, 1]) {
      results.push(
        await runLoadTest(
          shortRun(sim, dir, { logDir: `${dir}/gen${i}/logs`, waitForCompletion: true }),
          { handleSignals: false, write: () => {}, log: quiet() },
        ),
      );
    }
    const [a, b] = results as [typeof results[0], typeof results[0]];
    const statuses = await Promise.all(
      [0, 1].map(async (i) =>
        JSON.parse(await Deno.readTextFile(`${dir}/gen${i}/logs/job_status.json`))
      ),
    );
    const summaries = await Promise.all(
      [0, 1].map(async (i) =>
        JSON.parse(await Deno.readTextFile(`${dir}/gen${i}/logs/job_summary.json`))
      ),
    );
    for (const i of [0, 1]) {
      const doc = parseMergeableStats(
        await Deno.readTextFile(`${dir}/gen${i}/logs/${MERGEABLE_STATS_FILE}`),
        `gen${i}`,
      );
      assert.equal(doc.final, true);
      assert.equal(doc.stats.total.num_requests, results[i]!.stats.numRequests);
      assert.ok(doc.history.length >= 3, "a history row a second");
      assert.equal(doc.backlog_queue, `${sim.account}/${sim.region}/ImageRequestQueue`);
    }

    await t.step("from the two log folders", async () => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await mergeCommand({
        sources: [`${dir}/gen0/logs`, `${dir}/gen1/logs`],
        logDir: `${dir}/merged`,
        html: `${dir}/merged/report.html`,
        json: `${dir}/merged/stats.json`,
        cost: `${dir}/merged/cost_report.json`,
      }, { stdout: (l) => out.push(l), stderr: (l) => err.push(l), env: sim.env });
      assert.equal(code, 0, err.join("\n"));
      assert.match(err.join("\n"), /Merged 2 generator\(s\) of 2 run\(s\)/);

      // job_status.json: the union of both runs' records.
      const merged = JSON.parse(await Deno.readTextFile(`${dir}/merged/job_status.json`));
      assert.deepEqual(
        Object.keys(merged).sort(),
        [...Object.keys(statuses[0]), ...Object.keys(statuses[1])].sort(),
      );
      assert.equal(Object.keys(merged).length, a.jobs.total_image_sent + b.jobs.total_image_sent);

      // job_summary.json: added counters, the merged window, 2 generators, whole.
      const summary = JSON.parse(await Deno.readTextFile(`${dir}/merged/job_summary.json`));
      for (
        const key of [
          "total_image_sent",
          "total_image_processed",
          "total_image_succeeded",
          "total_image_failed",
          "total_pixels_processed",
          "status_messages_received",
        ]
      ) {
        assert.equal(summary[key], summaries[0][key] + summaries[1][key], key);
      }
      assert.equal(summary.generators, 2);
      assert.equal(summary.partial, false);
      assert.equal(summary.start_time, summaries[0].start_time);
      assert.equal(summary.stop_time, summaries[1].stop_time);
      assert.equal(summary.aws_account, sim.account);

      // _stats.csv: every entry's counts are the sums; the percentiles those of the added buckets.
      const stats = csvRows(await Deno.readTextFile(`${dir}/merged/osml-load_stats.csv`));
      assert.deepEqual(stats[0], [...STATS_CSV_HEADER]);
      const aggregated = stats[stats.length - 1]!;
      assert.equal(aggregated[1], "Aggregated");
      assert.equal(Number(aggregated[2]), a.stats.numRequests + b.stats.numRequests);
      assert.equal(Number(aggregated[3]), a.stats.numFailures + b.stats.numFailures);
      assert.ok(a.stats.numFailures + b.stats.numFailures > 0, "the simulator failed some jobs");
      assert.deepEqual(aggregated.slice(11), addedPercentiles([a.stats, b.stats]));
      for (const row of stats.slice(1, -1)) {
        const count = [a, b].reduce(
          (n, r) => n + (r.stats.entry(row[0]!, row[1]!)?.numRequests ?? 0),
          0,
        );
        assert.equal(Number(row[2]), count, `${row[0]} ${row[1]}`);
      }
      const history = csvRows(await Deno.readTextFile(`${dir}/merged/osml-load_stats_history.csv`));
      assert.deepEqual(history[0], [...STATS_HISTORY_CSV_HEADER]);
      assert.ok(history.length > 4);
      const last = history[history.length - 1]!;
      assert.equal(Number(last[17]), a.stats.numRequests + b.stats.numRequests);
      const jobs = csvRows(await Deno.readTextFile(`${dir}/merged/osml-load_jobs_history.csv`));
      assert.deepEqual(jobs[0], [...JOBS_HISTORY_CSV_HEADER]);
      assert.equal(
        Number(jobs[jobs.length - 1]![8]),
        a.jobs.total_image_processed + b.jobs.total_image_processed,
      );
      const failures = csvRows(await Deno.readTextFile(`${dir}/merged/osml-load_failures.csv`));
      assert.equal(
        failures.slice(1).reduce((n, r) => n + Number(r[3]), 0),
        a.stats.numFailures + b.stats.numFailures,
      );
      csvRows(await Deno.readTextFile(`${dir}/merged/osml-load_exceptions.csv`));

      const json = JSON.parse(await Deno.readTextFile(`${dir}/merged/stats.json`));
      assert.equal(json.total.num_requests, a.stats.numRequests + b.stats.numRequests);
      assert.equal(json.jobs.total_image_sent, a.jobs.total_image_sent + b.jobs.total_image_sent);
      const html = await Deno.readTextFile(`${dir}/merged/report.html`);
      assert.match(html, /Generators<\/td><td>2 \(/);
      // The cost report covers the merged window and counts every image.
      const cost = JSON.parse(await Deno.readTextFile(`${dir}/merged/cost_report.json`));
      const costText = JSON.stringify(cost);
      assert.match(costText, new RegExp(`"total_images_sent":${summary.total_image_sent}\\b`));
      assert.ok(costText.includes(summary.start_time.slice(0, 19)), costText);
      // The console's final table and job statistics.
      assert.ok(out.some((l) => /Aggregated/.test(l)));
      assert.ok(out.includes(`Total Images Sent: ${summary.total_image_sent}`));
    });

    await t.step(
      "from an S3 prefix (every page of the listing read): the same result",
      async () => {
        const bucket = `mr-bucket-sink-${sim.account}`;
        const s3 = new S3Client({ ...simClientConfig(sim), forcePathStyle: true });
        try {
          for (const i of [0, 1]) {
            for await (const entry of Deno.readDir(`${dir}/gen${i}/logs`)) {
              await s3.send(
                new PutObjectCommand({
                  Bucket: bucket,
                  Key: `results/run-1/gen${i}/${entry.name}`,
                  Body: await Deno.readFile(`${dir}/gen${i}/logs/${entry.name}`),
                }),
              );
            }
          }
        } finally {
          s3.destroy();
        }
        // More than one page of keys (1 000 a page), the generators' files on the last.
        for (let i = 0; i < 1001; i++) {
          await sim.state.putObject(bucket, `results/run-1/aaa/${String(i).padStart(4, "0")}`, "x");
        }
        const err: string[] = [];
        const code = await mergeCommand({
          sources: [`s3://${bucket}/results/run-1/`],
          logDir: `${dir}/merged-s3`,
        }, { stdout: () => {}, stderr: (l) => err.push(l), env: sim.env });
        assert.equal(code, 0, err.join("\n"));
        for (
          const file of [
            "osml-load_stats.csv",
            "osml-load_stats_history.csv",
            "osml-load_jobs_history.csv",
            "osml-load_failures.csv",
            "job_status.json",
          ]
        ) {
          assert.equal(
            await Deno.readTextFile(`${dir}/merged-s3/${file}`),
            await Deno.readTextFile(`${dir}/merged/${file}`),
            file,
          );
        }
        const summary = JSON.parse(await Deno.readTextFile(`${dir}/merged-s3/job_summary.json`));
        assert.equal(summary.generators, 2);
      },
    );
  });
});
