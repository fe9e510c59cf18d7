/**
 * `deno task bundle`: build `dist/osml-load.js`, one JavaScript file that runs
 * with a bare `deno run` from any folder, with no `deno.json`, no
 * `node_modules` and no npm cache (the npm packages are inlined).
 *
 * `deno bundle` does not follow `new Worker(new URL("../../workers/x.ts",
 * import.meta.url))`, so each worker the bundled program starts is bundled as
 * its own entry into `dist/workers/x.js`, and the worker URLs in the bundled
 * program are rewritten to `./workers/x.js` (relative to the bundle).
 *
 * @example
 * ```sh
 * deno task bundle
 * deno run --allow-net=127.0.0.1,localhost --allow-env --allow-read --allow-write \
 *   --allow-sys=osRelease,homedir,systemMemoryInfo dist/osml-load.js demo
 * ```
 * @module
 */
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** What to bundle and where. */
export interface BundleOptions {
  /** Project root, holding `deno.json`, `main.ts` and `workers/` (default: this script's parent). */
  root?: string;
  /** Output folder (default: `<root>/dist`). */
  outDir?: string;
  /** The `deno` executable to run (default: `deno` on PATH). */
  deno?: string;
}

/** The files a bundle wrote. */
export interface BundleResult {
  /** Absolute path of the bundled program (`<outDir>/osml-load.js`). */
  main: string;
  /** Absolute paths of the bundled workers (`<outDir>/workers/<name>.js`), sorted. */
  workers: string[];
}

/** The bundled program's file name inside the output folder. */
export const BUNDLE_NAME = "osml-load.js";

// `new URL("../../workers/user_worker.ts", import.meta.url)`, as esbuild prints it.
const WORKER_URL =
  /new URL\(\s*(["'])((?:\.\.?\/)*)workers\/([A-Za-z0-9_-]+)\.ts\1\s*,\s*import\.meta\.url\s*\)/g;
// Any other module-relative TypeScript URL left in a bundle cannot load at run time.
const TS_URL = /new URL\(\s*(["'])([^"']+\.(?:ts|tsx|mts|cts))\1\s*,\s*import\.meta\.url\s*\)/g;
const NEW_WORKER = /\bnew Worker\(/g;

/**
 * Rewrite the worker URLs of a bundled program from the source layout
 * (`../../workers/x.ts`) to the bundle layout (`./workers/x.js`), and return
 * the names of the workers it starts. Throws if a `new Worker(...)` or a
 * module-relative `.ts` URL is left that the rewrite does not cover, since
 * the bundle would then fail at run time.
 *
 * @example
 * ```ts
 * import { rewriteWorkerUrls } from "./bundle.ts";
 * const { code, workers } = rewriteWorkerUrls(
 *   'new Worker(new URL("../../workers/user_worker.ts", import.meta.url), { type: "module" })',
 * );
 * // code: 'new Worker(new URL("./workers/user_worker.js", import.meta.url), { type: "module" })'
 * // workers: ["user_worker"]
 * ```
 */
export function rewriteWorkerUrls(code: string): { code: string; workers: string[] } {
  const workers = new Set<string>();
  let rewrites = 0;
  const rewritten = code.replace(WORKER_URL, (_match, quote: string, _up: string, name: string) => {
    workers.add(name);
    rewrites++;
    return `new URL(${quote}./workers/${name}.js${quote}, import.meta.url)`;
  });
  const leftovers = [...rewritten.matchAll(TS_URL)].map((m) => m[2]);
  if (leftovers.length > 0) {
    throw new Error(
      `the bundle still loads TypeScript files at run time: ${leftovers.join(", ")}; ` +
        `only workers/<name>.ts workers are bundled: move the file into workers/ or import it statically`,
    );
  }
  const spawns = rewritten.match(NEW_WORKER)?.length ?? 0;
  if (spawns > rewrites) {
    throw new Error(
      `the bundle creates ${spawns} workers but only ${rewrites} use ` +
        `new URL("…/workers/<name>.ts", import.meta.url): create every worker that way so it can be bundled`,
    );
  }
  return { code: rewritten, workers: [...workers].sort() };
}

/**
 * Bundle the program and its workers into `outDir` (see the module doc).
 * Runs `deno bundle` once per entry; throws with `deno bundle`'s own message
 * when one fails.
 *
 * @example
 * ```ts ignore
 * import { bundle } from "./bundle.ts";
 * const { main, workers } = await bundle({ outDir: "/tmp/osml-load-dist" });
 * ```
 */
export async function bundle(options: BundleOptions = {}): Promise<BundleResult> {
  const root = resolve(options.root ?? join(dirname(fileURLToPath(import.meta.url)), ".."));
  const outDir = resolve(options.outDir ?? join(root, "dist"));
  const deno = options.deno ?? "deno";
  const main = join(outDir, BUNDLE_NAME);

  await denoBundle(deno, root, join(root, "main.ts"), main);
  const { code, workers } = rewriteWorkerUrls(await Deno.readTextFile(main));
  if (workers.length === 0) {
    throw new Error(
      `found no worker in the bundled program ${main}: expected ` +
        `new Worker(new URL("../../workers/<name>.ts", import.meta.url)) calls; check mod/engine/`,
    );
  }
  await Deno.writeTextFile(main, code);

  const outputs: string[] = [];
  for (const name of workers) {
    const source = join(root, "workers", `${name}.ts`);
    const output = join(outDir, "workers", `${name}.js`);
    await denoBundle(deno, root, source, output);
    const nested = rewriteWorkerUrls(await Deno.readTextFile(output));
    if (nested.workers.length > 0) {
      throw new Error(
        `worker ${name} starts workers of its own (${nested.workers.join(", ")}); ` +
          `the bundle layout supports workers started by the main program only`,
      );
    }
    outputs.push(output);
  }
  return { main, workers: outputs };
}

async function denoBundle(deno: string, root: string, entry: string, output: string) {
  await Deno.mkdir(dirname(output), { recursive: true });
  const { code, stderr } = await new Deno.Command(deno, {
    args: [
      "bundle",
      "--quiet",
      "--platform",
      "deno",
      "--config",
      join(root, "deno.json"),
      "--output",
      output,
      entry,
    ],
    cwd: root,
    stdout: "inherit",
    stderr: "piped",
  }).output();
  if (code !== 0) {
    throw new Error(
      `deno bundle ${relative(root, entry)} failed (exit ${code}):\n` +
        new TextDecoder().decode(stderr).trim() +
        `\nfix the error above (try: deno check ${relative(root, entry)})`,
    );
  }
}

if (import.meta.main) {
  const args = [...Deno.args];
  const at = args.indexOf("--out-dir");
  const outDir = at >= 0 ? args[at + 1] : undefined;
  if (at >= 0 && !outDir) {
    console.error("error: --out-dir needs a folder, e.g. deno task bundle --out-dir /tmp/dist");
    Deno.exit(2);
  }
  try {
    const result = await bundle(outDir ? { outDir } : {});
    for (const file of [result.main, ...result.workers]) {
      const { size } = await Deno.stat(file);
      console.log(`${relative(Deno.cwd(), file)}  ${(size / 1024 / 1024).toFixed(2)} MiB`);
    }
  } catch (error) {
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    Deno.exit(1);
  }
}
