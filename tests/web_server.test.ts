import assert from "node:assert/strict";
import { isAuthorized, parseWebAuth } from "../mod/web/basic_auth.ts";
import { selectJobRows } from "../mod/web/job_rows.ts";
import { formatWindow, startFlags } from "../mod/web/start_form.ts";
import { startWebServer, type WebServer } from "../mod/web/web_server.ts";
import { WebSession } from "../mod/web/web_session.ts";
import { resolveWebAuth } from "../mod/commands/web_run.ts";
import type { JobStatusRecord } from "../mod/tracker/job_record.ts";

const FLAGS = {
  sourceBucket: "s3://images",
  resultBucket: "s3://results",
  users: "7",
  spawnRate: "2",
  processingWindowMin: "10",
  modelName: "aircraft",
};

async function withServer(
  auth: { user: string; password: string } | undefined,
  fn: (server: WebServer) => Promise<void>,
): Promise<void> {
  const session = new WebSession({ flags: FLAGS, env: {}, write: () => {} });
  const server = startWebServer({ session, hostname: "127.0.0.1", port: 0, auth });
  try {
    await fn(server);
  } finally {
    await server.close();
  }
}

Deno.test("--web-auth: no, wrong or malformed credentials get 401 with WWW-Authenticate; right ones pass", async () => {
  await withServer({ user: "ops", password: "pa:ss" }, async (server) => {
    const get = (authorization?: string) =>
      fetch(`${server.url}api/config`, authorization ? { headers: { authorization } } : {});
    for (
      const header of [
        undefined,
        `Basic ${btoa("ops:wrong")}`,
        `Basic ${btoa("x:pa:ss")}`,
        "Basic !!",
        "Bearer x",
      ]
    ) {
      const res = await get(header);
      assert.equal(res.status, 401, `header ${header}`);
      assert.match(res.headers.get("www-authenticate") ?? "", /^Basic realm="osml-load"/);
      await res.body?.cancel();
    }
    const ok = await get(`Basic ${btoa("ops:pa:ss")}`);
    assert.equal(ok.status, 200);
    assert.equal((await ok.json()).form.users, 7);
    // Every route is protected, the page and the event stream included.
    for (const path of ["", "assets/uplot.js", "api/stream", "api/download/stats.csv"]) {
      const res = await fetch(`${server.url}${path}`);
      assert.equal(res.status, 401, path);
      await res.body?.cancel();
    }
  });
});

Deno.test("the page, app script and uPlot are served by the tool itself, with a strict CSP", async () => {
  await withServer(undefined, async (server) => {
    const page = await fetch(server.url);
    assert.equal(page.status, 200);
    assert.match(page.headers.get("content-security-policy") ?? "", /script-src 'self'/);
    const html = await page.text();
    assert.ok(html.includes('src="/assets/uplot.js"'));
    const uplot = await fetch(`${server.url}assets/uplot.js`);
    assert.ok((await uplot.text()).includes("uPlot"));
    const app = await (await fetch(`${server.url}assets/app.js`)).text();
    assert.ok(!app.includes("innerHTML"), "the page script never writes HTML");
    const css = await fetch(`${server.url}assets/uplot.css`);
    assert.match(css.headers.get("content-type") ?? "", /text\/css/);
    await css.body?.cancel();
  });
});

Deno.test("the form is prefilled from the command line; bad form values are refused with the reason", async () => {
  await withServer(undefined, async (server) => {
    const config = await (await fetch(`${server.url}api/config`)).json();
    assert.deepEqual(config.form, {
      users: 7,
      spawnRate: 2,
      runTime: "10m",
      userClass: "load-test",
      modelName: "aircraft",
    });
    const post = (path: string, body: unknown) =>
      fetch(`${server.url}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const bad = await post("api/start", { users: "many" });
    assert.equal(bad.status, 400);
    assert.match((await bad.json()).error, /--users/);
    const badTime = await post("api/start", { runTime: "soon" });
    assert.equal(badTime.status, 400);
    assert.match((await badTime.json()).error, /--run-time/);
    const noRun = await post("api/users", { users: 3, spawnRate: 1 });
    assert.equal(noRun.status, 400);
    assert.match((await noRun.json()).error, /no test is running/);
    const missing = await fetch(`${server.url}api/download/stats.csv`);
    assert.equal(missing.status, 404);
    assert.match(await missing.text(), /start a run first/);
    const unknown = await fetch(`${server.url}api/download/..%2Fsecret`);
    assert.equal(unknown.status, 404);
    await unknown.body?.cancel();
  });
});

Deno.test("cross-site requests are refused: non-JSON posts, foreign origins, foreign Host names", async () => {
  await withServer(undefined, async (server) => {
    const form = await fetch(`${server.url}api/stop`, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: "{}",
    });
    assert.equal(form.status, 415);
    await form.body?.cancel();
    const foreign = await fetch(`${server.url}api/stop`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: "https://evil.example" },
      body: "{}",
    });
    assert.equal(foreign.status, 403);
    await foreign.body?.cancel();
    // fetch cannot set Host: speak HTTP/1.1 directly, as a DNS-rebinding page would arrive.
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
    await conn.write(
      new TextEncoder().encode(
        "GET /api/config HTTP/1.1\r\nHost: evil.example:8089\r\nConnection: close\r\n\r\n",
      ),
    );
    const reply = await new Response(conn.readable).text();
    assert.match(reply, /^HTTP\/1\.1 421/);
    const same = await fetch(`${server.url}api/stop`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: server.url.slice(0, -1) },
      body: "{}",
    });
    assert.equal(same.status, 200);
    await same.body?.cancel();
  });
});

Deno.test("the event stream starts with a snapshot of the idle session", async () => {
  await withServer(undefined, async (server) => {
    const res = await fetch(`${server.url}api/stream`);
    assert.match(res.headers.get("content-type") ?? "", /text\/event-stream/);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    while (!text.includes("\n\n", text.indexOf("event: snapshot"))) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
    }
    await reader.cancel();
    const data = text.slice(text.indexOf("data: ") + 6, text.indexOf("\n", text.indexOf("data: ")));
    const snap = JSON.parse(data);
    assert.equal(snap.state, "idle");
    assert.equal(snap.runId, 0);
    assert.ok(snap.system.rssBytes > 0);
  });
});

Deno.test("web auth parsing: USER:PASSWORD (colons allowed in the password), env fallback, errors", () => {
  assert.deepEqual(parseWebAuth("a:b:c"), { user: "a", password: "b:c" });
  assert.throws(() => parseWebAuth("nopassword"), /USER:PASSWORD/);
  assert.throws(() => parseWebAuth(":x"), /USER:PASSWORD/);
  assert.equal(resolveWebAuth({}, {}), undefined);
  assert.equal(resolveWebAuth({}, { OSML_LOAD_WEB_AUTH: "u:p" })?.password, "p");
  assert.equal(resolveWebAuth({ webAuth: "f:q" }, { OSML_LOAD_WEB_AUTH: "u:p" })?.user, "f");
  const req = (h: string) => new Request("http://x/", { headers: { authorization: h } });
  assert.equal(isAuthorized(req(`Basic ${btoa("u:p")}`), { user: "u", password: "p" }), true);
  assert.equal(isAuthorized(req(`basic ${btoa("u:p")}`), { user: "u", password: "p" }), true);
  assert.equal(isAuthorized(req(`Basic ${btoa("u:P")}`), { user: "u", password: "p" }), false);
});

Deno.test("start form values override the command line; run time is written as --run-time takes it", () => {
  assert.equal(formatWindow(60), "1m");
  assert.equal(formatWindow(90), "1m30s");
  assert.equal(formatWindow(5400), "1h30m");
  const flags = startFlags({ processingWindowMin: "10", users: "1" }, {
    users: 12,
    runTime: "90s",
    userClass: "random",
    modelName: "",
  });
  assert.equal(flags.users, "12");
  assert.equal(flags.runTime, "90s");
  assert.equal(flags.processingWindowMin, undefined);
  assert.equal(flags.userClass, "random");
  assert.equal(flags.modelName, undefined);
});

Deno.test("job rows: filter by status, sort by any column, newest first, capped with counts", () => {
  const records: Record<string, JobStatusRecord> = {};
  for (let i = 0; i < 600; i++) {
    records[`j${i}:u`] = {
      job_id: `j${String(i).padStart(3, "0")}`,
      image_url: `s3://b/${i}.tif`,
      message_id: `m${i}`,
      status: i % 3 === 0 ? "FAILED" : "SUCCESS",
      completed: true,
      size: (i * 7919) % 1000,
      pixels: i,
      start_time: "12/09/2025/10:44:51",
      processing_duration: i % 5 === 0 ? null : i / 10,
    };
  }
  const all = selectJobRows(records, {});
  assert.equal(all.total, 600);
  assert.equal(all.rows.length, 500);
  assert.equal(all.rows[0]!.job_id, "j599");
  const failed = selectJobRows(records, { status: "FAILED", sort: "size", dir: "asc" });
  assert.equal(failed.matched, 200);
  assert.ok(failed.rows.every((r) => r.status === "FAILED"));
  for (let i = 1; i < failed.rows.length; i++) {
    assert.ok(failed.rows[i - 1]!.size <= failed.rows[i]!.size);
  }
  const oldest = selectJobRows(records, { dir: "asc", limit: 2 });
  assert.deepEqual(oldest.rows.map((r) => r.job_id), ["j000", "j001"]);
  const byDuration = selectJobRows(records, { sort: "processing_duration", dir: "desc", limit: 1 });
  assert.equal(byDuration.rows[0]!.job_id, "j599");
});
