/**
 * The V8 flags every osml-load process runs with: the `run`, `demo` and `osml-load` tasks, the
 * container's ENTRYPOINT, the compiled binaries, and the generator processes the demo starts
 * (tests keep them equal).
 *
 * `--max-semi-space-size` caps each isolate's young generation (V8 otherwise grows it to tens of
 * MB in each of the main thread, the status monitor and every user worker as the allocation rate
 * rises). Measured with `scripts/bench_engine.ts --only=full` on 2026-11-30: peak RSS 178 → 154 MB
 * at 5 users, 223 → 188 MB at 50 and 617 → 456 MB at 1,000, for the CPU given in the README's
 * benchmark section. `--optimize-for-size` makes V8 favour memory over speed (smaller heap growth
 * steps): in two 60-minute soaks at 200 users (`scripts/bench_soak.ts`, 2026-11-30) RSS stayed at
 * 191–239 and 197–272 MB instead of 277–460 and 220–379 MB, growing 28 and 52 MB between the first
 * and last window means (98 and 78 without), for 2.0–3.1 ms of CPU per submission. Only a later
 * `--v8-flags` on Deno's own command line changes them (`DENO_V8_FLAGS` loses to the command
 * line; arguments after `deno task run` go to the program).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { RUNTIME_V8_FLAGS } from "./runtime_flags.ts";
 * assert.match(RUNTIME_V8_FLAGS, /^--v8-flags=--max-semi-space-size=\d+,--optimize-for-size$/);
 * ```
 * @module
 */

/** The `--v8-flags=…` argument of every osml-load process. */
export const RUNTIME_V8_FLAGS = "--v8-flags=--max-semi-space-size=1,--optimize-for-size";
