import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { withSimulator } from "./engine_test_support.ts";
import { exists, until } from "./run_test_support.ts";

const MAIN = fileURLToPath(new URL("../main.ts", import.meta.url));

Deno.test("SIGTERM mid-run stops cleanly: exit 130 and every output complete and parseable", async () => {
  await withSimulator({ modelRunner: { msPerMegapixel: 0.05, fixedMs: 10 } }, async (sim, dir) => {
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-net",
        "--allow-env",
        "--allow-read",
        "--allow-write",
        "--allow-sys",
        MAIN,
        "run",
        "--headless",
        "--source-bucket",
        `s3://osml-test-images-${sim.account}`,
        "--result-bucket",
        `s3://mr-bucket-sink-${sim.account}`,
        "--users",
        "4",
        "--spawn-rate",
        "20",
        "--run-time",
        "10m",
        "--wait-min",
        "0.1",
        "--wait-max",
        "0.2",
        "--stats-interval",
        "1",
        "--log-dir",
        `${dir}/logs`,
        "--output",
        `${dir}/csv/run`,
        "--html",
        `${dir}/report.html`,
        "--json",
        `${dir}/stats.json`,
      ],
      env: { ...sim.env, NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const output = child.output();
    await until(() => exists(`${dir}/logs/job_status.json`), "the first job files");
    child.kill("SIGTERM");
    const { code, stderr } = await output;
    const err = new TextDecoder().decode(stderr);
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
