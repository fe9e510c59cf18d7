/**
 * One run per log folder. Two runs writing the same `--log-dir` would overwrite
 * each other's `job_records.jsonl`, `job_status.json` and summary; the second
 * one is refused before any load, naming the first. The lock is a file
 * (`.osml-load.lock`: the owner's process id and a token of its own) that its
 * owner touches every {@linkcode LOCK_REFRESH_MS} and removes at the end of the
 * run. A lock not touched for {@linkcode LOCK_STALE_MS} (a killed run) is taken
 * over. An owner only touches or removes a lock that still carries its token, and
 * is told (`onLost`) when its lock was taken over, e.g. after it was stopped (Ctrl-Z)
 * for longer than that: another run may then be writing the same files. (Whether
 * the owner's process is alive cannot be asked: Deno allows reading `/proc` only
 * with every permission.)
 *
 * @example
 * ```ts
 * import { lockLogDir } from "./log_dir_lock.ts";
 * const dir = await Deno.makeTempDir();
 * const release = await lockLogDir(dir);
 * let refused = false;
 * try {
 *   await lockLogDir(dir);
 * } catch {
 *   refused = true;
 * }
 * await release();
 * await (await lockLogDir(dir))();
 * await Deno.remove(dir, { recursive: true });
 * if (!refused) throw new Error("a second run in the same folder is refused");
 * ```
 * @module
 */
import { join } from "node:path";
import { UsageError } from "../usage_error.ts";

/** The lock file's name inside the log folder. */
export const LOCK_FILE = ".osml-load.lock";

/** How often the owner touches its lock. */
export const LOCK_REFRESH_MS = 5_000;
/** A lock untouched this long belongs to a run that is gone. */
export const LOCK_STALE_MS = 30_000;

/** True when the lock at `path` was touched lately (its owner runs). */
async function lockFresh(path: string): Promise<boolean> {
  try {
    const mtime = (await Deno.stat(path)).mtime?.getTime();
    return mtime !== undefined && Date.now() - mtime < LOCK_STALE_MS;
  } catch {
    return false;
  }
}

/**
 * Take the lock of log folder `dir` for this run; resolves to its release. Throws a
 * {@linkcode UsageError} naming the owner when another run holds it.
 */
export async function lockLogDir(
  dir: string,
  options: {
    onLost?: (message: string) => void;
    /** Called when the lock of a run that ended without releasing it (killed) was taken over. */
    onTakenOver?: () => void;
  } = {},
): Promise<() => Promise<void>> {
  const path = join(dir, LOCK_FILE);
  const content = `${Deno.pid} ${crypto.randomUUID()}\n`;
  const take = () => Deno.writeTextFile(path, content, { createNew: true });
  const mine = async () => (await Deno.readTextFile(path).catch(() => "")) === content;
  try {
    await take();
  } catch (error) {
    if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
    const owner = Number((await Deno.readTextFile(path).catch(() => "")).trim().split(/\s+/)[0]);
    if (Number.isInteger(owner) && owner > 0 && await lockFresh(path)) {
      throw new UsageError(
        `--log-dir ${dir} is in use by another osml-load run (process ${owner}): give each run ` +
          `its own --log-dir, or wait for that run to end (a killed run's lock is taken over ` +
          `${LOCK_STALE_MS / 1000} s after it died)`,
      );
    }
    // A run that ended without releasing it (killed): take it over.
    await Deno.remove(path).catch(() => {});
    await take();
    options.onTakenOver?.();
  }
  let released = false;
  const touch = setInterval(async () => {
    if (!(await mine())) {
      clearInterval(touch);
      if (released) return;
      const holder = (await Deno.readTextFile(path).catch(() => "")).trim().split(/\s+/)[0];
      options.onLost?.(
        `the lock of --log-dir ${dir} was taken over${
          holder ? ` by process ${holder}` : ""
        } (this run was not heard from for ${
          LOCK_STALE_MS / 1000
        } s, e.g. stopped with Ctrl-Z): another run may be writing the same files`,
      );
      return;
    }
    const now = new Date();
    Deno.utime(path, now, now).catch(() => {});
  }, LOCK_REFRESH_MS);
  Deno.unrefTimer(touch);
  return async () => {
    if (released) return;
    released = true;
    clearInterval(touch);
    if (await mine()) await Deno.remove(path).catch(() => {});
  };
}

/**
 * Remove the temporary files a killed run left in `dir` while rewriting its outputs (the atomic
 * writer's `.<8 hex>.tmp`; hidden, and hundreds of MB for a large `job_status.json`). Call it while
 * holding the folder's lock, so no other run is writing them. Returns how many were removed.
 *
 * @example
 * ```ts
 * import { removeLeftoverTempFiles } from "./log_dir_lock.ts";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/.0a1b2c3d.tmp`, "half a file");
 * await Deno.writeTextFile(`${dir}/keep.json`, "{}");
 * const removed = await removeLeftoverTempFiles(dir);
 * const left = [...Deno.readDirSync(dir)].map((e) => e.name);
 * await Deno.remove(dir, { recursive: true });
 * if (removed !== 1 || left.join() !== "keep.json") throw new Error(`${removed} ${left}`);
 * ```
 */
export async function removeLeftoverTempFiles(dir: string): Promise<number> {
  let removed = 0;
  for await (const entry of Deno.readDir(dir)) {
    if (!entry.isFile || !/^\.[0-9a-f]{8}\.tmp$/.test(entry.name)) continue;
    await Deno.remove(join(dir, entry.name)).then(() => removed++, () => {});
  }
  return removed;
}
