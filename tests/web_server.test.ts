/**
 * The web UI's server without a browser: auth, the page and its bundle, the
 * start form's values and inline validation (the CLI's rules, the field each
 * message belongs to), stop with and without waiting, the log tail and its
 * download, the loopback check against DNS rebinding, the user mix, and the
 * bounded event streams. Runs use a stand-in for the engine (the browser
 * tests run the real one against the simulator).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { LoadTestRunner } from "../mod/web/web_session.ts";
import { isAuthorized, parseWebAuth } from "../mod/web/basic_auth.ts";
import { selectJobRows } from "../mod/web/job_rows.ts";
import { JobTracker } from "../mod/tracker/job_tracker.ts";
import { formatWindow, prefillForm, startFlags } from "../mod/web/start_form.ts";
import { fieldForMessage, FORM_FIELDS } from "../mod/web/form_fields.ts";
import { hostOfHeader, isLoopbackHostname } from "../mod/web/loopback.ts";
import { readLogTail } from "../mod/web/log_tail.ts";
import { typeRps, userMixRows } from "../mod/web/dashboard_snapshot.ts";
import { MAX_QUEUED_CHUNKS, SseHub } from "../mod/web/sse_hub.ts";
import { startWebServer, type WebServer } from "../mod/web/web_server.ts";
import { WebSession } from "../mod/web/web_session.ts";
import { resolveWebAuth, webRunCommand } from "../mod/commands/web_run.ts";
import { withSimulator } from "./engine_test_support.ts";
import { resolveRunSettings } from "../mod/config/run_settings.ts";
import { StatsAggregator } from "../mod/stats/aggregator.ts";
import type { OutputContext } from "../mod/output/output.ts";
import type { JobStatistics } from "../mod/model/run_report.ts";
import type { JobStatusRecord } from "../mod/model/job_record.ts";
import type {
  ConfigBody,
  DashboardSnapshot,
  JobPage,
  LogTail,
  ProblemBody,
} from "../mod/frontend/wire.ts";

const FLAGS = {
  sourceBucket: "s3://images",
  resultBucket: "s3://results",
  users: "7",
  spawnRate: "2",
  processingWindowMin: "10",
  modelName: "aircraft",
};

const NO_JOBS: JobStatistics = {
  total_image_sent: 0,
  total_image_in_progress: 0,
  total_image_processed: 0,
  total_image_succeeded: 0,
  total_image_failed: 0,
  total_gb_processed: 0,
  total_pixels_processed: 0,
  total_image_partial: 0,
  total_image_timed_out: 0,
};

/** What the stand-in engine saw. */
interface FakeRun {
  stops: string[];
  started: Promise<void>;
}

/**
 * A stand-in for `runLoadTest`: writes a job_log.log of `logLines` lines, starts the outputs,
 * hands out a control, and ends on a stop "now" (a stop "wait" only records itself, as if the
 * jobs were still in flight).
 */
function fakeRunner(
  run: FakeRun & { markStarted: () => void },
  logLines = 3,
  extra: Partial<OutputContext> = {},
): LoadTestRunner {
  return async (settings, options = {}) => {
    const stats = new StatsAggregator();
    const end: { at?: number } = {};
    const ctx: OutputContext = {
      stats,
      userCount: () => 4,
      jobs: () => NO_JOBS,
      timeline: () => [],
      configuration: [],
      startedAt: Date.now(),
      stoppedAt: () => end.at,
      jobRecords: () => ({}),
      ...extra,
    };
    await Deno.mkdir(settings.logDir, { recursive: true });
    const lines = Array.from({ length: logLines }, (_, i) => `line ${i + 1}`);
    await Deno.writeTextFile(join(settings.logDir, "job_log.log"), lines.join("\n") + "\n");
    for (const output of options.extraOutputs ?? []) await output.start?.(ctx);
    const ended = Promise.withResolvers<void>();
    options.onStarted?.({
      setUsers() {},
      stop(mode) {
        run.stops.push(mode ?? "now");
        if (mode !== "wait") ended.resolve();
      },
      resetStats() {},
    }, ctx);
    run.markStarted();
    await ended.promise;
    end.at = Date.now();
    for (const output of options.extraOutputs ?? []) await output.finish(ctx);
    return {
      exitCode: 0,
      reason: "window",
      stats,
      jobs: NO_JOBS,
      files: [],
      prepared: undefined,
      failures: [],
      thresholds: [],
    };
  };
}

function newFakeRun(): FakeRun & { markStarted: () => void } {
  const started = Promise.withResolvers<void>();
  return { stops: [], started: started.promise, markStarted: () => started.resolve() };
}

async function withServer(
  options: {
    auth?: { user: string; password: string };
    runner?: LoadTestRunner;
    flags?: Record<string, string>;
  },
  fn: (server: WebServer, session: WebSession) => Promise<void>,
): Promise<void> {
  const session = new WebSession({
    flags: { ...FLAGS, ...options.flags },
    env: {},
    write: () => {},
    ...(options.runner ? { runner: options.runner } : {}),
  });
  const server = startWebServer({ session, hostname: "127.0.0.1", port: 0, auth: options.auth });
  try {
    await fn(server, session);
  } finally {
    await server.close();
  }
}

function post(server: WebServer, path: string, body: unknown): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

/** Speak HTTP/1.1 directly (fetch cannot set Host), as a DNS-rebinding page would arrive. */
async function rawRequest(port: number, request: string): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  await conn.write(new TextEncoder().encode(request));
  return await new Response(conn.readable).text();
}

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

Deno.test("--web-auth: no, wrong or malformed credentials get 401 with WWW-Authenticate; right ones pass", async () => {
  await withServer({ auth: { user: "ops", password: "pa:ss" } }, async (server) => {
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
    assert.equal(((await ok.json()) as ConfigBody).form.users, "7");
    // Every route is protected, the page, the logs and the event stream included.
    for (
      const path of ["", "assets/app.js", "api/stream", "api/logs", "api/download/job_log.log"]
    ) {
      const res = await fetch(`${server.url}${path}`);
      assert.equal(res.status, 401, path);
      await res.body?.cancel();
    }
  });
});

Deno.test("the page and its bundle (uPlot inside) are served by the tool itself, with a strict CSP", async () => {
  await withServer({}, async (server) => {
    const page = await fetch(server.url);
    assert.equal(page.status, 200);
    assert.match(page.headers.get("content-security-policy") ?? "", /script-src 'self'/);
    const html = await page.text();
    assert.ok(html.includes('src="/assets/app.js"'));
    assert.ok(!/src=["']?https?:/.test(html), "nothing from the internet");
    const app = await (await fetch(`${server.url}assets/app.js`)).text();
    assert.ok(app.includes('"uplot"'), "uPlot (its root class) is bundled into the page script");
    assert.ok(!app.includes("innerHTML"), "the page script never writes HTML");
    const css = await fetch(`${server.url}assets/uplot.css`);
    assert.match(css.headers.get("content-type") ?? "", /text\/css/);
    await css.body?.cancel();
    assert.ok(html.includes('data-download="job_log.log"'), "the log is among the downloads");
    assert.ok(html.includes('data-tab="logs"'), "a Logs tab");
  });
});

Deno.test("the form is prefilled from the command line, shape, thresholds and waiting included", async () => {
  await withServer({
    flags: {
      shape: "stages",
      stages: "10s:2,20s:0",
      completionTimeout: "5m",
    },
  }, async (server) => {
    const config = (await (await fetch(`${server.url}api/config`)).json()) as ConfigBody;
    assert.equal(config.state, "idle");
    assert.deepEqual(config.form, {
      users: "7",
      spawnRate: "2",
      runTime: "10m",
      userClass: "load-test",
      modelName: "aircraft",
      shape: "stages",
      stages: "10s:2,20s:0",
      rate: "",
      rateStages: "",
      burstPeriod: "",
      burstMin: "",
      burstPeak: "",
      threshold: "",
      waitForCompletion: false,
      completionTimeout: "5m",
    });
    // Every field of the form has a prefilled value.
    assert.deepEqual(Object.keys(config.form).sort(), FORM_FIELDS.map((f) => f.name).sort());
  });
});

Deno.test("inline validation uses the CLI's rules and names the field each message is about", async () => {
  await withServer({}, async (server) => {
    const check = async (form: Record<string, unknown>) => {
      const res = await post(server, "api/validate", form);
      return { status: res.status, body: (await res.json()) as ProblemBody };
    };
    const runTime = await check({ runTime: "abc" });
    assert.equal(runTime.status, 400);
    assert.equal(runTime.body.field, "runTime");
    assert.match(runTime.body.error, /--run-time "abc" is not a duration/);
    const users = await check({ users: "many" });
    assert.equal(users.body.field, "users");
    assert.match(users.body.error, /--users/);
    const tooMany = await check({ users: "1000000000" });
    assert.equal(tooMany.status, 400);
    assert.equal(tooMany.body.field, "users");
    assert.match(tooMany.body.error, /more than this machine can run/);
    const empty = await check({ runTime: "" });
    assert.equal(empty.body.field, "runTime");
    assert.match(empty.body.error, /Run time is empty/);
    const stages = await check({ shape: "stages", stages: "" });
    assert.equal(stages.body.field, "stages");
    const rateStages = await check({ shape: "rate", rate: "", rateStages: "5m:fast" });
    assert.equal(rateStages.body.field, "rateStages");
    const threshold = await check({ threshold: "Submit Image:p95<500\nnot a threshold" });
    assert.equal(threshold.body.field, "threshold");
    const shape = await check({ shape: "zigzag" });
    assert.equal(shape.body.field, "shape");
    const ok = await check({
      users: "3",
      runTime: "90s",
      shape: "rate",
      rate: "2/s",
      threshold: "fail_ratio<0.1",
      waitForCompletion: true,
      completionTimeout: "2m",
    });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    // A start with bad values is refused the same way, and nothing starts.
    const start = await post(server, "api/start", { runTime: "abc" });
    assert.equal(start.status, 400);
    assert.equal(((await start.json()) as ProblemBody).field, "runTime");
    const config = (await (await fetch(`${server.url}api/config`)).json()) as ConfigBody;
    assert.equal(config.state, "idle");
    const noRun = await post(server, "api/users", { users: 3, spawnRate: 1 });
    assert.equal(noRun.status, 400);
    assert.match(((await noRun.json()) as ProblemBody).error, /no test is running/);
  });
});

Deno.test("stop and wait, then stop now; the last start's values stay for the next test; logs and their download", async () => {
  const dir = await Deno.makeTempDir({ prefix: "osml-load-web-" });
  const run = newFakeRun();
  try {
    await withServer(
      { runner: fakeRunner(run, 700), flags: { logDir: join(dir, "logs") } },
      async (server, session) => {
        const before = (await (await fetch(`${server.url}api/logs`)).json()) as LogTail;
        assert.deepEqual(before, { lines: [], truncated: false, size: 0 }, "no log before a run");
        const form = {
          users: "3",
          spawnRate: "5",
          runTime: "45s",
          userClass: "load-test",
          shape: "rate",
          rate: "30/min",
          threshold: "fail_ratio<0.5\nSubmit Image:p95<900",
          waitForCompletion: true,
          completionTimeout: "3m",
        };
        const start = await post(server, "api/start", form);
        assert.equal(start.status, 200, await start.clone().text());
        await start.body?.cancel();
        await run.started;
        assert.equal(session.state, "running");

        const snap = (await (await fetch(`${server.url}api/snapshot`)).json()) as DashboardSnapshot;
        assert.deepEqual(snap.userMix, [{ kind: "load-test", weight: 1, share: 1, users: 4 }]);
        assert.equal(snap.completionTimeoutS, 180);

        const logs = (await (await fetch(`${server.url}api/logs?lines=5`)).json()) as LogTail;
        assert.deepEqual(logs.lines, ["line 696", "line 697", "line 698", "line 699", "line 700"]);
        assert.equal(logs.truncated, true);
        const all = (await (await fetch(`${server.url}api/logs`)).json()) as LogTail;
        assert.equal(all.lines.length, 500, "the tail is bounded");
        const download = await fetch(`${server.url}api/download/job_log.log`);
        assert.equal(download.status, 200);
        assert.match(download.headers.get("content-disposition") ?? "", /job_log\.log/);
        assert.equal((await download.text()).split("\n").length, 701);

        const bad = await post(server, "api/stop", { mode: "later" });
        assert.equal(bad.status, 400);
        assert.match(((await bad.json()) as ProblemBody).error, /"wait".*"now"/);
        const wait = await post(server, "api/stop", { mode: "wait" });
        assert.equal(wait.status, 200);
        await wait.body?.cancel();
        assert.deepEqual(run.stops, ["wait"]);
        assert.equal(session.state, "stopping");
        const waiting =
          (await (await fetch(`${server.url}api/snapshot`)).json()) as DashboardSnapshot;
        assert.equal(waiting.stopMode, "wait");
        // A second "wait" changes nothing; "now" ends the wait.
        await (await post(server, "api/stop", { mode: "wait" })).body?.cancel();
        assert.deepEqual(run.stops, ["wait"]);
        await (await post(server, "api/stop", { mode: "now" })).body?.cancel();
        await session.settled();
        assert.deepEqual(run.stops, ["wait", "now"]);
        assert.equal(session.state, "finished");

        // "New test" starts from the last start's values, not the command line's.
        const config = (await (await fetch(`${server.url}api/config`)).json()) as ConfigBody;
        for (const [key, value] of Object.entries(form)) assert.equal(config.form[key], value, key);
        assert.equal(config.form.modelName, "aircraft", "fields not sent keep their values");
      },
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("only loopback Host names pass the DNS-rebinding check: 127.attacker.example gets 421", async () => {
  await withServer({ runner: fakeRunner(newFakeRun()) }, async (server, session) => {
    const get = (host: string) =>
      rawRequest(
        server.port,
        `GET /api/config HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
      );
    for (
      const host of [
        `127.attacker.example:${server.port}`,
        `127.0.0.1.nip.io:${server.port}`,
        `localhost.attacker.example:${server.port}`,
        `evil.example:${server.port}`,
        "",
      ]
    ) {
      assert.match(await get(host), /^HTTP\/1\.1 421/, host);
    }
    assert.match(await get(`[::1.evil]:${server.port}`), /^HTTP\/1\.1 400/, "malformed Host");
    for (
      const host of [
        `127.0.0.1:${server.port}`,
        `127.1.2.3:${server.port}`,
        `localhost:${server.port}`,
        `LOCALHOST:${server.port}`,
        `[::1]:${server.port}`,
      ]
    ) {
      assert.match(await get(host), /^HTTP\/1\.1 200/, host);
    }
    // The attack of the issue: a rebinding page posts a start with a matching Origin.
    const body = JSON.stringify({ users: 1 });
    const attack = await rawRequest(
      server.port,
      `POST /api/start HTTP/1.1\r\nHost: 127.attacker.example:${server.port}\r\n` +
        `Origin: http://127.attacker.example:${server.port}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
    );
    assert.match(attack, /^HTTP\/1\.1 421/);
    assert.equal(session.state, "idle", "nothing started");
  });
  assert.equal(isLoopbackHostname("127.255.255.255"), true);
  assert.equal(isLoopbackHostname("127.256.0.1"), false);
  assert.equal(isLoopbackHostname("128.0.0.1"), false);
  assert.equal(isLoopbackHostname("127.0.0"), false);
  assert.equal(hostOfHeader("[::1]:80"), "[::1]");
});

Deno.test("cross-site requests are refused: non-JSON posts, foreign origins", async () => {
  await withServer({}, async (server) => {
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
  await withServer({}, async (server) => {
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
    const snap = JSON.parse(data) as DashboardSnapshot;
    assert.equal(snap.state, "idle");
    assert.equal(snap.runId, 0);
    assert.equal(snap.stopMode, null);
    assert.ok(snap.system.rssBytes > 0);
  });
});

Deno.test("event streams are bounded: a browser that does not read gets the newest state, not a queue", async () => {
  const hub = new SseHub<{ builds: number }>();
  const response = hub.subscribe({ builds: 0 });
  let sentState = -1;
  let state = 0;
  // 1,000 broadcasts while the browser reads nothing.
  for (; state < 1000; state++) {
    const now = state;
    hub.broadcast((client) => {
      client.state.builds++;
      sentState = now;
      return { event: "snapshot", data: { state: now } };
    });
  }
  const stats = hub.stats();
  assert.ok(stats.sent <= MAX_QUEUED_CHUNKS, `at most ${MAX_QUEUED_CHUNKS} sent (${stats.sent})`);
  assert.ok(stats.coalesced >= 990, `the rest were coalesced (${stats.coalesced})`);
  // When the browser reads again, it gets the newest state.
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes(`"state":999`)) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
  }
  assert.equal(sentState, 999);
  assert.ok(text.includes(`"state":999`), "the newest state arrived");
  assert.ok((text.match(/event: snapshot/g) ?? []).length <= MAX_QUEUED_CHUNKS + 1);
  hub.close();
  await reader.cancel();
});

Deno.test("a stalled browser over real HTTP does not grow the server's memory: broadcasts are coalesced", async () => {
  const hub = new SseHub<null>();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    () => hub.subscribe(null),
  );
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
  try {
    await conn.write(
      new TextEncoder().encode("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"),
    );
    await waitFor(() => hub.size === 1, "the subscription");
    // 64 MiB of events to a socket nobody reads: the kernel's buffers fill, then the hub coalesces.
    const big = "x".repeat(256 * 1024);
    let builds = 0;
    for (let i = 0; i < 256; i++) {
      hub.broadcast(() => {
        builds++;
        return { event: "snapshot", data: big };
      });
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    const stats = hub.stats();
    assert.ok(stats.coalesced > 0, `broadcasts were coalesced (${JSON.stringify(stats)})`);
    assert.ok(builds < 256, `not every event was built (${builds})`);
  } finally {
    conn.close();
    hub.close();
    await server.shutdown();
  }
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

Deno.test("start form values override the command line; empty optional fields fall back to defaults", () => {
  assert.equal(formatWindow(60), "1m");
  assert.equal(formatWindow(90), "1m30s");
  assert.equal(formatWindow(5400), "1h30m");
  const flags = startFlags({ processingWindowMin: "10", users: "1", rate: "5/s" }, {
    users: 12,
    runTime: "90s",
    userClass: "random",
    modelName: "",
    rate: "",
    threshold: "a<1\r\n\r\n b<2 ",
    waitForCompletion: true,
  });
  assert.equal(flags.users, "12");
  assert.equal(flags.runTime, "90s");
  assert.equal(flags.processingWindowMin, undefined);
  assert.equal(flags.userClass, "random");
  assert.equal(flags.modelName, undefined);
  assert.equal(flags.rate, undefined);
  assert.deepEqual(flags.threshold, ["a<1", "b<2"]);
  assert.equal(flags.waitForCompletion, true);
  assert.throws(() => startFlags({}, { users: "" }), /Users is empty/);
  assert.throws(() => startFlags({}, { users: { many: true } }), /must be a number or text/);
  // The form a command line prefills resolves to the same settings.
  const base = { ...FLAGS, threshold: ["fail_ratio<0.1"], rate: "2/s", waitForCompletion: true };
  const settings = resolveRunSettings(base, {});
  const again = resolveRunSettings(startFlags(base, prefillForm(base, settings)), {});
  assert.deepEqual(again, settings);
});

Deno.test("error messages map to the field whose flag they name (the longest flag wins)", () => {
  assert.equal(fieldForMessage('--rate-stages "x" is not a rate'), "rateStages");
  assert.equal(fieldForMessage('--rate "x" is not a rate'), "rate");
  assert.equal(fieldForMessage("--shape stages needs --stages, e.g."), "stages");
  assert.equal(fieldForMessage("--processing-window-min must be > 0"), "runTime");
  assert.equal(fieldForMessage("the request body is not valid JSON"), undefined);
  for (const field of FORM_FIELDS) {
    assert.match(field.flag, /^--[a-z-]+$/, field.name);
    assert.equal(fieldForMessage(`${field.flag} is wrong`), field.name, field.flag);
  }
});

Deno.test("the user mix: shares by weight, users assigned by index as the workers do", () => {
  const mix = [{ kind: "predefined", weight: 3 }, { kind: "random", weight: 1 }];
  assert.deepEqual(userMixRows(mix, 0).map((r) => r.users), [0, 0]);
  assert.deepEqual(userMixRows(mix, 4).map((r) => r.users), [3, 1]);
  assert.deepEqual(userMixRows(mix, 10).map((r) => r.users), [8, 2]);
  assert.deepEqual(userMixRows(mix, 10).map((r) => r.share), [0.75, 0.25]);
  assert.deepEqual(userMixRows([{ kind: "load-test", weight: 1 }], 5)[0]?.users, 5);
});

Deno.test("the header's RPS counts submissions only, not completions", () => {
  const stats = new StatsAggregator(0);
  for (let s = 0; s < 20; s++) {
    stats.record({
      type: "Submit Image",
      name: "a.tif:m",
      responseTimeMs: 20,
      length: 1,
      at: s * 1000,
    });
    for (let k = 0; k < 3; k++) {
      stats.record({
        type: "Job Complete",
        name: "a.tif:m",
        responseTimeMs: 9e4,
        length: 1,
        at: s * 1000 + k,
      });
    }
  }
  assert.equal(typeRps(stats, "Submit Image"), 1);
  assert.equal(stats.total.currentRps, 4, "Aggregated mixes both");
});

Deno.test("the log tail reads from the end with a bounded buffer and drops the cut first line", async () => {
  const path = await Deno.makeTempFile();
  try {
    const lines = Array.from({ length: 10_000 }, (_, i) => `${i} ${"é".repeat(20)}`);
    await Deno.writeTextFile(path, lines.join("\n") + "\n");
    const tail = await readLogTail(path, { maxBytes: 1000, maxLines: 500 });
    assert.ok(tail.lines.length > 0 && tail.lines.length < 40);
    assert.equal(tail.lines.at(-1), lines.at(-1));
    assert.ok(tail.lines.every((l) => lines.includes(l)), "no fragment of a cut line");
    assert.equal(tail.truncated, true);
    const short = await readLogTail(path, { maxLines: 3 });
    assert.deepEqual(short.lines, lines.slice(-3));
  } finally {
    await Deno.remove(path);
  }
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

Deno.test({
  name:
    "--autostart runs the test at once and --autoquit quits the web UI after it, with its exit code",
  sanitizeOps: true,
  sanitizeResources: true,
  fn: () =>
    withSimulator(
      { modelRunner: { workers: 4, fixedMs: 20, msPerMegapixel: 0 } },
      async (sim, dir) => {
        const notices: string[] = [];
        const listening = Promise.withResolvers<WebServer>();
        const code = await webRunCommand({
          sourceBucket: `s3://${sim.seeded!.imageBucket}`,
          resultBucket: `s3://${sim.seeded!.resultBucket}`,
          users: "1",
          runTime: "2s",
          waitMin: "0.2",
          waitMax: "0.3",
          logDir: join(dir, "logs"),
          webPort: "0",
          autostart: true,
          autoquit: "0",
        }, {
          env: sim.env,
          notice: (line) => notices.push(line),
          log: () => {},
          onListening: (server) => listening.resolve(server),
        });
        await listening.promise;
        assert.ok([0, 1].includes(code), `the run's exit code (${code})`);
        assert.ok(
          notices.some((n) => n.includes("--autostart: the run started")),
          notices.join("\n"),
        );
        assert.ok(notices.some((n) => n.includes("--autoquit: the run ended")), notices.join("\n"));
        const summary = JSON.parse(await Deno.readTextFile(join(dir, "logs", "job_summary.json")));
        assert.ok(summary.total_image_sent > 0, "the autostarted run sent jobs");
      },
    ),
});

Deno.test("/api/jobs sorted by a column says it sorted only the newest page; unknown durations sort last", async () => {
  const dir = await Deno.makeTempDir({ prefix: "osml-load-web-" });
  const run = newFakeRun();
  const tracker = new JobTracker();
  for (let i = 0; i < 700; i++) {
    const id = i.toString(16).padStart(32, "0");
    const url = `s3://b/${i}.tif`;
    tracker.register({
      imageId: `${id}:${url}`,
      jobId: id,
      imageUrl: url,
      messageId: `m${i}`,
      size: i,
      pixels: i,
      submittedAt: 1_000 + i,
      name: `${i}.tif:m`,
      awaited: false,
    }, 0);
    // Every third job finishes (a known duration); the rest stay open (unknown duration).
    if (i % 3 === 0) {
      tracker.update({
        imageId: `${id}:${url}`,
        jobId: id,
        status: "SUCCESS",
        durationS: i / 10,
        receivedAt: 2_000 + i,
      });
    }
  }
  try {
    await withServer(
      {
        runner: fakeRunner(run, 3, { queryJobs: (q) => tracker.query(q) }),
        flags: { logDir: join(dir, "logs") },
      },
      async (server) => {
        const start = await post(server, "api/start", { users: "1", spawnRate: "1" });
        assert.equal(start.status, 200, await start.clone().text());
        await start.body?.cancel();
        await run.started;
        for (const dir of ["desc", "asc"]) {
          const page = (await (await fetch(
            `${server.url}api/jobs?sort=processing_duration&dir=${dir}`,
          )).json()) as JobPage;
          assert.equal(page.matched, 700);
          assert.equal(page.sortedAmong, 500, "sorted among the newest 500 of 700");
          const durations = page.rows.map((r) => r.processing_duration);
          const known = durations.filter((d): d is number => d !== null);
          assert.ok(known.length > 0 && known.length < durations.length);
          assert.deepEqual(
            durations,
            [...known, ...durations.filter((d) => d === null)],
            `${dir}: unknown durations last`,
          );
          for (let i = 1; i < known.length; i++) {
            assert.ok(dir === "desc" ? known[i - 1]! >= known[i]! : known[i - 1]! <= known[i]!);
          }
        }
        // Submission order (the default) sorts nothing apart: no note.
        const newest = (await (await fetch(`${server.url}api/jobs`)).json()) as JobPage;
        assert.equal(newest.sortedAmong, undefined);
        // A filter that matches fewer than a page sorts them all: no note either.
        const succeeded = (await (await fetch(
          `${server.url}api/jobs?status=SUCCESS&sort=size`,
        )).json()) as JobPage;
        assert.equal(succeeded.matched, 234);
        assert.equal(succeeded.sortedAmong, undefined);
        await (await post(server, "api/stop", { mode: "now" })).body?.cancel();
      },
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
