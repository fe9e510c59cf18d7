/**
 * The log-folder lock (issue 18): an owner that is alive keeps it however long it was stopped,
 * a lock whose owner is gone is taken over at once, and an owner whose lock was taken over
 * neither touches nor removes the new owner's lock.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { LOCK_FILE, lockLogDir } from "../mod/fs/log_dir_lock.ts";
import { UsageError } from "../mod/usage_error.ts";

const long = new Date(Date.now() - 3_600_000);

Deno.test("a lock whose owner process is alive is kept even when not touched for an hour", async () => {
  const dir = await Deno.makeTempDir({ prefix: "osml_lock_" });
  // A live Deno process that is not this one: the owner, stopped or busy.
  const owner = new Deno.Command(Deno.execPath(), {
    args: ["eval", "setTimeout(() => {}, 60_000)"],
    stdout: "null",
    stderr: "null",
  }).spawn();
  try {
    await Deno.writeTextFile(join(dir, LOCK_FILE), `${owner.pid} someone-else\n`);
    await Deno.utime(join(dir, LOCK_FILE), long, long);
    await assert.rejects(
      () => lockLogDir(dir),
      (error: Error) =>
        error instanceof UsageError && error.message.includes(`process ${owner.pid}`),
    );
  } finally {
    owner.kill("SIGKILL");
    await owner.status;
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a lock whose owner is gone is taken over at once", async () => {
  const dir = await Deno.makeTempDir({ prefix: "osml_lock_" });
  try {
    const gone = new Deno.Command(Deno.execPath(), { args: ["eval", "1"] }).spawn();
    await gone.status;
    // Freshly touched, but its process has ended (a run killed a moment ago).
    await Deno.writeTextFile(join(dir, LOCK_FILE), `${gone.pid} killed-run\n`);
    const release = await lockLogDir(dir);
    assert.match(await Deno.readTextFile(join(dir, LOCK_FILE)), new RegExp(`^${Deno.pid} `));
    await release();
    assert.equal(await Deno.stat(join(dir, LOCK_FILE)).then(() => true, () => false), false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("an owner whose lock was taken over does not remove the new owner's lock", async () => {
  const dir = await Deno.makeTempDir({ prefix: "osml_lock_" });
  try {
    const release = await lockLogDir(dir);
    // Another run took the lock over (as after a takeover): its content is not ours any more.
    await Deno.writeTextFile(join(dir, LOCK_FILE), `${Deno.pid} the-new-owner\n`);
    await release();
    assert.equal(
      await Deno.readTextFile(join(dir, LOCK_FILE)),
      `${Deno.pid} the-new-owner\n`,
      "the new owner's lock is left alone",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
