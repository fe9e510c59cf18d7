/**
 * Test support for browser tests: headless Chromium (Debian's, at
 * /usr/bin/chromium) whose temporary files and downloads stay in a folder of
 * the test's own. The process environment is not touched (tests run in
 * parallel in one process): the folder goes to Chromium's own environment
 * (`TMPDIR`) and to Playwright's `downloadsPath` / `tracesDir`.
 * @module
 */
import { join } from "node:path";
import { type Browser, chromium } from "playwright-core";

/** Chromium's flags for tests: headless, no sandbox (root), nothing fetched from outside. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** Launch headless Chromium with its temporary files and downloads in `dir/tmp`; close it in `finally`. */
export async function launchChromium(dir: string): Promise<Browser> {
  const tmp = join(dir, "tmp");
  await Deno.mkdir(tmp, { recursive: true });
  return await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: CHROMIUM_ARGS,
    env: { ...Deno.env.toObject(), TMPDIR: tmp },
    downloadsPath: join(tmp, "downloads"),
    tracesDir: join(tmp, "traces"),
  });
}
