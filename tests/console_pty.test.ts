/**
 * The demo as a person runs it: `deno task demo` in a real pseudo-terminal (Debian's `script`)
 * 120, 80 and 40 columns wide, and piped. Checks the exit code, that no line the console draws
 * is wider than the terminal (after stripping ANSI and splitting redraws on CR), that the status
 * line redraws in place and the final tables appear, and that the demo shows no live tables.
 *
 * The demo runs with static AWS credentials in its environment (it never needs more, and a
 * credential lookup would ask for instance metadata) and `DENO_NO_PROMPT=1`, so a missing
 * permission fails instead of waiting at a prompt.
 */

import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
/** A hang detector, not a timing assertion: the demo takes about 15 s. */
const DEADLINE_MS = 180_000;

/** The environment of the demo: this one without AWS settings, plus static credentials. */
function demoEnv(): Record<string, string> {
  const env = Object.fromEntries(
    Object.entries(Deno.env.toObject()).filter(([name]) =>
      !/^(AWS_|REGION$|ACCOUNT$|TASK_DEFINITION_PATTERN$|S3_|SM_LOAD_TEST_MODEL$|OSML_LOAD_)/
        .test(name)
    ),
  );
  return {
    ...env,
    AWS_ACCESS_KEY_ID: "demo",
    AWS_SECRET_ACCESS_KEY: "demo",
    DENO_NO_PROMPT: "1",
  };
}

const DEMO_ARGS = ["--run-time", "8s", "--completion-timeout", "30s"];

/** Run the demo; in a pty `columns` wide, or piped when `columns` is undefined. */
async function runDemo(
  columns: number | undefined,
): Promise<{ code: number; text: string; stdout: string }> {
  const out = await Deno.makeTempDir({ prefix: "osml-load-pty-" });
  try {
    const demo = ["deno", "task", "demo", ...DEMO_ARGS, "--out", out];
    const [program, ...args] = columns === undefined ? demo : [
      "script",
      "-qfec",
      `stty cols ${columns} rows 24; exec ${demo.map((a) => `'${a}'`).join(" ")}`,
      "/dev/null",
    ];
    const result = await new Deno.Command(program!, {
      args,
      cwd: ROOT,
      env: demoEnv(),
      clearEnv: true,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(DEADLINE_MS),
    }).output();
    const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
    const stdout = decode(result.stdout);
    return { code: result.code, text: stdout + decode(result.stderr), stdout };
  } finally {
    await Deno.remove(out, { recursive: true });
  }
}

// deno-lint-ignore no-control-regex
const ANSI = /\x1b\[[0-9;?]*[ -\/]*[@-~]|\x1b[()][0-9A-B]|\x1b[=>]/g;

/** Printed lines split on CR into what was drawn, ANSI stripped, empty pieces dropped. */
function drawn(text: string): string[] {
  return text.split("\n").flatMap((line) => line.split("\r")).map((s) => s.replace(ANSI, ""))
    .filter((s) => s.length > 0);
}

/** Lines the console does not lay out: log records (prose, wrapped like any logger's) and deno's banner. */
const LOG_RECORD = /^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}\] (DEBUG|INFO|WARNING|ERROR)\//;
const TASK_BANNER = /^Task demo /;
/** The status line (`running 8s/45s, 5 users, 21 sent, …`; narrow: `8s, 21 sent, …`). */
const STATUS = /^(running )?\d+[hms][\dhms]*(\/[\dhms]+)?, \d+ (users?|sent), /;

/** Check the demo's console output; `columns` undefined when piped. */
function checkConsole(text: string, stdout: string, columns: number | undefined): void {
  const lines = drawn(text);
  const statsHeaders = lines.filter((l) => /^Type +Name +# reqs/.test(l));
  assert.equal(statsHeaders.length, 1, "only the final stats table: no live tables in the demo");
  assert.ok(lines.includes("Response time percentiles (approximated)"), "the percentile table");
  // The Aggregated row: requests and failures side by side, or, in a narrow terminal where a wide
  // failure cell ("1(100.00%)") sends "# fails" to the next block of columns, in two blocks.
  const aggregated = lines.filter((l) => /^ +Aggregated /.test(l));
  assert.ok(
    aggregated.some((l) => /^ +Aggregated +\d+ +\d+\(\d+\.\d\d%\)/.test(l)) ||
      (aggregated.some((l) => /^ +Aggregated +\d+$/.test(l)) &&
        aggregated.some((l) => /^ +Aggregated +\d+\(\d+\.\d\d%\)/.test(l))),
    `Aggregated row with requests and failures:\n${aggregated.join("\n")}`,
  );
  assert.ok(lines.some((l) => /^Total Images Sent: \d+$/.test(l)), "the job statistics block");
  assert.ok(lines.some((l) => STATUS.test(l)), "the status line");
  if (columns === undefined) {
    assert.ok(!stdout.includes("\r"), "piped: nothing is redrawn in place");
    assert.ok(!stdout.includes("\x1b["), "piped: no terminal escapes");
    // Piped, columns are as wide as their content: names in full.
    assert.ok(lines.some((l) => /^Submit Image +\S+\.\w+:centerpoint +\d/.test(l)));
    return;
  }
  assert.ok(
    text.split("\r\x1b[2K").slice(1).some((drawing) => STATUS.test(drawing)),
    "the status line redraws in place",
  );
  const tableStart = lines.findIndex((l) => statsHeaders[0] === l);
  const tableEnd = lines.findIndex((l) => l.startsWith("Total Pixels Processed: "));
  assert.ok(tableStart >= 0 && tableEnd > tableStart);
  const tooWide = lines.filter((line, i) => {
    if (line.length <= columns || LOG_RECORD.test(line) || TASK_BANNER.test(line)) return false;
    // Below 80 columns, the prose of other parts of the demo wraps (the simulator's address,
    // the cost report's 80-wide rules, the closing file list): only the console's own lines,
    // the status line and the tables, are held to the width.
    if (columns < 80) {
      const statusLine = STATUS.test(line) || /^(Waiting for jobs|Jobs): \d+\/\d+ /.test(line);
      return statusLine || (i >= tableStart && i <= tableEnd);
    }
    return true;
  });
  assert.deepEqual(tooWide, [], `lines wider than ${columns} columns`);
}

for (const columns of [120, 80, 40]) {
  Deno.test(`deno task demo in a ${columns}-column terminal: status line, final tables, no line wider`, async () => {
    const { code, text, stdout } = await runDemo(columns);
    assert.equal(code, 0, text);
    checkConsole(text, stdout, columns);
  });
}

Deno.test("deno task demo piped: status lines every interval, final tables sized to their content", async () => {
  const { code, text, stdout } = await runDemo(undefined);
  assert.equal(code, 0, text);
  checkConsole(text, stdout, undefined);
});
