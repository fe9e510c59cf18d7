/**
 * The log-folder lock (issue 18): a lock that is touched is kept and names its owner, an
 * untouched one (a killed run) is taken over, an owner never touches or removes a lock that is
 * not its own any more, and it is told when its lock was taken over (then another run may be
 * writing the same files).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { LOCK_FILE, LOCK_REFRESH_MS, LOCK_STALE_MS, lockLogDir } from "../mod/fs/log_dir_lock.ts";
import { UsageError } from "../mod/usage_error.ts";

const lockOf = (dir: string) => join(dir, LOCK_FILE);
const exists = (path: string) => Deno.stat(path).then(() => true, () => false);

Deno.test("a lock that is touched is kept, naming its owner; an untouched one is taken over", async () => {
  const dir = await Deno.makeTempDir({ prefix: "osml_lock_" });
  try {
    await Deno.writeTextFile(lockOf(dir), "4242 another-run\n");
    await assert.rejects(
      () => lockLogDir(dir),
      (error: Error) =>
        error instanceof UsageError && /process 4242\b.*taken over 30 s after it died/.test(
          error.message,
        ),
    );
    // The same lock, not touched for longer than LOCK_STALE_MS: its run was killed.
    const old = new Date(Date.now() - LOCK_STALE_MS - 1000);
    await Deno.utime(lockOf(dir), old, old);
    const release = await lockLogDir(dir);
    assert.match(await Deno.readTextFile(lockOf(dir)), new RegExp(`^${Deno.pid} `));
    await release();
    assert.equal(await exists(lockOf(dir)), false, "released");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("an owner whose lock was taken over is told, and leaves the new owner's lock alone", async () => {
  const dir = await Deno.makeTempDir({ prefix: "osml_lock_" });
  try {
    const lost: string[] = [];
    const release = await lockLogDir(dir, { onLost: (message) => lost.push(message) });
    // Another run took the lock over (this one was stopped for longer than LOCK_STALE_MS).
    await Deno.writeTextFile(lockOf(dir), "4343 the-new-owner\n");
    const deadline = Date.now() + LOCK_REFRESH_MS * 6;
    while (lost.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(lost.length, 1, "told once");
    assert.match(lost[0]!, /was taken over by process 4343/);
    await release();
    assert.equal(await Deno.readTextFile(lockOf(dir)), "4343 the-new-owner\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
