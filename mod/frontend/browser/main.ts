/**
 * The browser bundle's entry (built by `deno task build-frontend` into
 * `mod/frontend/frontend_bundle.ts`): the HTML report when the page embeds report
 * data, else the live web UI.
 *
 * @example
 * Not run as a test: it needs a browser page (the DOM).
 * ```ts ignore
 * // <script src="/assets/app.js"></script> on the live page, inlined in the report.
 * import "./main.ts";
 * ```
 * @module
 */
import { startLiveApp } from "./live_app.ts";
import { startReport } from "./report_app.ts";

if (document.getElementById("report-data") !== null) startReport();
else startLiveApp();
