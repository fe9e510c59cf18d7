/**
 * How many virtual users this machine can hold. Measured (scripts/bench_engine.ts):
 * about 0.2 MB per user beyond a fixed ~200 MB for the process and its
 * workers; the estimate allows twice that per user and keeps a reserve, and a
 * hard ceiling applies whatever the memory (users are async loops that wait on
 * SQS and Model Runner: one process sustains thousands of submissions a second,
 * far more than a Model Runner deployment absorbs).
 *
 * @example
 * ```ts
 * import { maxUsers, USER_CEILING } from "./user_capacity.ts";
 * const gib = 1024 ** 3;
 * if (maxUsers(24 * gib).limit !== USER_CEILING) throw new Error("a big machine hits the ceiling");
 * if (maxUsers(1 * gib).limit >= USER_CEILING) throw new Error("a small one does not");
 * ```
 * @module
 */
import { UsageError } from "../usage_error.ts";

/** The most users one process runs, whatever its memory. */
export const USER_CEILING = 20_000;
/** Estimated memory per user (twice what was measured), in bytes. */
export const BYTES_PER_USER = 400 * 1024;
/** Memory kept for the process, its workers and the statistics, in bytes. */
export const RESERVED_BYTES = 512 * 1024 * 1024;

/** The user limit for `availableBytes` of free memory (undefined: unknown, the ceiling applies). */
export function maxUsers(availableBytes: number | undefined): { limit: number; why: string } {
  if (availableBytes === undefined) {
    return { limit: USER_CEILING, why: `the ceiling of ${USER_CEILING} users per process` };
  }
  const byMemory = Math.max(1, Math.floor((availableBytes - RESERVED_BYTES) / BYTES_PER_USER));
  if (byMemory >= USER_CEILING) {
    return { limit: USER_CEILING, why: `the ceiling of ${USER_CEILING} users per process` };
  }
  return {
    limit: byMemory,
    why: `${Math.round(availableBytes / 2 ** 20)} MiB of free memory at ~${
      BYTES_PER_USER / 1024
    } KiB a user`,
  };
}

/** Free memory of this machine in bytes, or undefined when it cannot be read. */
export function availableMemory(): number | undefined {
  try {
    return Deno.systemMemoryInfo().available;
  } catch {
    return undefined;
  }
}

/**
 * Refuse `users` above what this machine can hold, with the limit and the way
 * out in one line.
 *
 * @example
 * ```ts
 * import { checkUserCount } from "./user_capacity.ts";
 * checkUserCount(50, "--users", 8 * 1024 ** 3);
 * let refused = false;
 * try { checkUserCount(1_000_000_000, "--users", 8 * 1024 ** 3); } catch { refused = true; }
 * if (!refused) throw new Error("a billion users are refused");
 * ```
 */
export function checkUserCount(
  users: number,
  flag: string,
  availableBytes: number | undefined = availableMemory(),
): void {
  const { limit, why } = maxUsers(availableBytes);
  if (users > limit) {
    throw new UsageError(
      `${flag} ${users} is more than this machine can run (limit ${limit}: ${why}): ` +
        `use at most ${limit} users here, or spread the load over several generators`,
    );
  }
}
