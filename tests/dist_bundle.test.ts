import assert from "node:assert/strict";
import { join } from "node:path";
import { bundle, BUNDLE_NAME, rewriteWorkerUrls } from "../scripts/bundle.ts";
import { projectVersion, runDeno, taskPermissions } from "./dist_test_support.ts";

Deno.test("rewriteWorkerUrls points source-layout worker URLs at the bundled workers", () => {
  const source = [
    'const a = new Worker(new URL("../../workers/monitor_worker.ts", import.meta.url), { type: "module" });',
    "const b = new Worker(new URL('../../workers/user_worker.ts', import.meta.url), { type: 'module' });",
    'const c = new Worker(new URL("../../workers/user_worker.ts", import.meta.url), { type: "module" });',
  ].join("\n");
  const { code, workers } = rewriteWorkerUrls(source);
  assert.deepEqual(workers, ["monitor_worker", "user_worker"]);
  assert.match(code, /new URL\("\.\/workers\/monitor_worker\.js", import\.meta\.url\)/);
  assert.match(code, /new URL\('\.\/workers\/user_worker\.js', import\.meta\.url\)/);
  assert.doesNotMatch(code, /\.ts["']/);
});

Deno.test("rewriteWorkerUrls refuses a bundle that would load TypeScript at run time", () => {
  assert.throws(
    () =>
      rewriteWorkerUrls('await import(new URL("../output/html_report.ts", import.meta.url).href)'),
    /still loads TypeScript files at run time: \.\.\/output\/html_report\.ts/,
  );
});

Deno.test("rewriteWorkerUrls refuses a worker created some other way", () => {
  assert.throws(
    () => rewriteWorkerUrls('new Worker(URL.createObjectURL(blob), { type: "module" })'),
    /creates 1 workers but only 0 use/,
  );
});

Deno.test({
  name:
    "the bundle runs --version and the demo from another folder with no deno.json, node_modules or npm cache",
  sanitizeOps: true,
  sanitizeResources: true,
  async fn() {
    const dist = await Deno.makeTempDir({ prefix: "osml-load-dist-" });
    const elsewhere = await Deno.makeTempDir({ prefix: "osml-load-elsewhere-" });
    try {
      const result = await bundle({ outDir: dist });
      assert.equal(result.main, join(dist, BUNDLE_NAME));
      assert.deepEqual(result.workers, [
        join(dist, "workers", "monitor_worker.js"),
        join(dist, "workers", "user_worker.js"),
      ]);
      const code = await Deno.readTextFile(result.main);
      assert.doesNotMatch(code, /from\s+["']npm:|import\(\s*["']npm:/, "npm packages are inlined");

      // An empty DENO_DIR proves nothing is fetched from, or read out of, the npm cache.
      const env = { DENO_DIR: join(elsewhere, "deno-dir") };
      const permissions = await taskPermissions("demo");
      const run = (args: string[]) =>
        runDeno(["run", "--no-config", "--no-prompt", ...permissions, result.main, ...args], {
          cwd: elsewhere,
          env,
        });

      const version = await run(["--version"]);
      assert.equal(version.code, 0, version.stderr);
      assert.equal(version.stdout.trim(), await projectVersion());

      const demo = await run(["demo", "--run-time", "5s", "--completion-timeout", "30s"]);
      assert.equal(demo.code, 0, `demo failed:\n${demo.stderr.slice(-3000)}`);
      assert.match(demo.stdout, /Demo finished/);
      assert.match(demo.stdout, /Jobs: [1-9]\d* sent/);
      const summary = JSON.parse(
        await Deno.readTextFile(join(elsewhere, "demo-output", "job_summary.json")),
      );
      assert.ok(summary.total_image_sent > 0, "the demo submitted jobs");
      for (const name of ["node_modules", "deno.json", "deno.lock"]) {
        await assert.rejects(Deno.stat(join(elsewhere, name)), Deno.errors.NotFound, name);
      }
    } finally {
      await Deno.remove(dist, { recursive: true });
      await Deno.remove(elsewhere, { recursive: true });
    }
  },
});
