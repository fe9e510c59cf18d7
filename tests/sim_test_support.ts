/**
 * Test support for simulator tests: the error an SDK call failed with.
 * @module
 */

/** The error `p` rejects with; throws when it succeeds. */
export async function errorOf(
  p: Promise<unknown>,
): Promise<Error & { $metadata?: { httpStatusCode?: number }; code?: string; Code?: string }> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected the call to fail, but it succeeded");
}
