/**
 * The Locust release whose statistics this tool reproduces cell for cell:
 * `locust/stats.py` of Locust 2.46.3 (`bucket_response_time`, `StatsEntry`,
 * `RequestStats`, `StatsCSVFileWriter`). Since 2.44 response-time buckets
 * are ints, so medians and percentiles of slow entries are written without
 * `.0`; averages are a running float sum; `/stats/reset` also clears the
 * exceptions. The golden files in `tests/fixtures/locust-golden/` were
 * written by that version.
 *
 * @example
 * ```ts
 * import { LOCUST_VERSION } from "./locust_version.ts";
 * if (LOCUST_VERSION !== "2.46.3") throw new Error("update the golden files too");
 * ```
 * @module
 */

/** The Locust version whose numbers and CSV files are matched. */
export const LOCUST_VERSION = "2.46.3";
