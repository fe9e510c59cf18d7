/**
 * The tool in a real terminal, as the README runs it: `deno task demo` and
 * `deno task run` inside a pseudo-terminal (Debian's `script`) at 80 columns,
 * stopped with one Ctrl-C typed at the terminal. `deno task` passes the
 * terminal's SIGINT on to the tool, which also gets it from the process
 * group: the two must count as one graceful stop.
 */
import assert from "node:assert/strict";
import { withSimulator } from "./engine_test_support.ts";
import { exists, ROOT, until } from "./run_test_support.ts";

const HAS_SCRIPT = await exists("/usr/bin/script");

/** Run `command` in a pty of `cols` columns; returns a handle to type into and read from it. */
function inTerminal(command: string, env: Record<string, string>, cols: number) {
  const child = new Deno.Command("/usr/bin/script", {
    args: ["-qfec", `stty cols ${cols} rows 24; ${command}`, "/dev/null"],
    cwd: ROOT,
    env: { ...env, TERM: "xterm" },
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let screen = "";
  const decoder = new TextDecoder();
  const reading = (async () => {
    for await (const chunk of child.stdout) screen += decoder.decode(chunk, { stream: true });
  })();
  const stdin = child.stdin.getWriter();
  return {
    screen: () => screen,
    type: (text: string) => stdin.write(new TextEncoder().encode(text)),
    async done(deadlineMs: number): Promise<number> {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const hang = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          child.kill("SIGKILL");
          reject(new Error(`no exit within ${deadlineMs} ms; screen:\n${screen.slice(-3000)}`));
        }, deadlineMs);
      });
      try {
        const status = await Promise.race([child.status, hang]);
        await reading;
        await child.stderr.cancel();
        await stdin.close().catch(() => {});
        return status.code;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

Deno.test({
  name: "one Ctrl-C in a terminal stops `deno task demo` gracefully: exit 130, outputs written",
  ignore: !HAS_SCRIPT,
  async fn() {
    const out = await Deno.makeTempDir({ prefix: "osml-load-pty-demo-" });
    try {
      const term = inTerminal(
        `deno task demo --run-time 5m --out ${out}`,
        { ...Deno.env.toObject(), NO_COLOR: "1" },
        80,
      );
      await until(() => exists(`${out}/job_status.json`), "the demo's first job files", 90_000);
      await term.type("\x03");
      const code = await term.done(60_000);
      const screen = term.screen();
      assert.equal(code, 130, screen.slice(-3000));
      assert.doesNotMatch(screen, /Second Ctrl-C/);
      assert.doesNotMatch(screen, /Invalid count value|^error:/m);
      assert.match(screen, /press Ctrl-C again to exit at once/);
      for (const name of ["job_summary.json", "job_status.json", "stats.json"]) {
        JSON.parse(await Deno.readTextFile(`${out}/${name}`));
      }
      assert.match(await Deno.readTextFile(`${out}/report.html`), /<\/html>/);
    } finally {
      await Deno.remove(out, { recursive: true });
    }
  },
});

Deno.test({
  name: "one Ctrl-C in a terminal stops `deno task run` gracefully: exit 130, outputs written",
  ignore: !HAS_SCRIPT,
  async fn() {
    await withSimulator(
      { modelRunner: { msPerMegapixel: 0.05, fixedMs: 10 } },
      async (sim, dir) => {
        const term = inTerminal(
          [
            "deno task run --headless",
            `--source-bucket s3://osml-test-images-${sim.account}`,
            `--result-bucket s3://mr-bucket-sink-${sim.account}`,
            "--users 3 --spawn-rate 30 --run-time 5m --wait-min 0.1 --wait-max 0.2",
            `--stats-interval 1 --log-dir ${dir}/logs --html ${dir}/report.html`,
          ].join(" "),
          { ...Deno.env.toObject(), ...sim.env, NO_COLOR: "1" },
          80,
        );
        await until(() => exists(`${dir}/logs/job_status.json`), "the first job files", 90_000);
        await term.type("\x03");
        const code = await term.done(60_000);
        const screen = term.screen();
        assert.equal(code, 130, screen.slice(-3000));
        assert.doesNotMatch(screen, /Second Ctrl-C/);
        const summary = JSON.parse(await Deno.readTextFile(`${dir}/logs/job_summary.json`));
        assert.ok(summary.stop_time);
        assert.match(await Deno.readTextFile(`${dir}/report.html`), /<\/html>/);
      },
    );
  },
});
