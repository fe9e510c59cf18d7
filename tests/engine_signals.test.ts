import assert from "node:assert/strict";
import { withSimulator } from "./engine_test_support.ts";
import { exists, simRunArgs, startTool, until } from "./run_test_support.ts";

Deno.test("SIGTERM mid-run stops cleanly: exit 130 and every output complete and parseable", async () => {
  await withSimulator({ modelRunner: { msPerMegapixel: 0.05, fixedMs: 10 } }, async (sim, dir) => {
    const child = startTool(
      simRunArgs(sim, dir, [
        "--users",
        "4",
        "--run-time",
        "10m",
        "--output",
        `${dir}/csv/run`,
        "--html",
        `${dir}/report.html`,
        "--json",
        `${dir}/stats.json`,
      ]),
      sim.env,
    );
    await until(() => exists(`${dir}/logs/job_status.json`), "the first job files");
    child.process.kill("SIGTERM");
    const { code, stderr: err } = await child.done;
    assert.equal(code, 130, err.slice(-2000));
    assert.match(err, /SIGTERM received: stopping users and writing outputs/);
    const status = JSON.parse(await Deno.readTextFile(`${dir}/logs/job_status.json`));
    const summary = JSON.parse(await Deno.readTextFile(`${dir}/logs/job_summary.json`));
    assert.equal(summary.total_image_sent, Object.keys(status).length);
    assert.ok(summary.stop_time, "the summary has its stop time");
    assert.match(await Deno.readTextFile(`${dir}/logs/job_log.log`), /Total elapsed time/);
    // The Locust CSV files, the HTML report and the JSON stats are complete too.
    for (const name of ["stats", "stats_history", "failures", "exceptions"]) {
      const text = await Deno.readTextFile(`${dir}/csv/run_${name}.csv`);
      assert.ok(text.endsWith("\r\n"), `${name}.csv ends with a full CRLF line`);
    }
    const statsCsv = await Deno.readTextFile(`${dir}/csv/run_stats.csv`);
    assert.match(statsCsv, /\r\n,Aggregated,\d+,/);
    const html = await Deno.readTextFile(`${dir}/report.html`);
    assert.match(html, /<\/html>\s*$/);
    const json = JSON.parse(await Deno.readTextFile(`${dir}/stats.json`));
    assert.ok(json && typeof json === "object");
  });
});
