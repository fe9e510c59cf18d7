/**
 * Everything the web UI's page loads, served by the tool itself so the page
 * works with no internet: the HTML, the browser bundle (the TypeScript of
 * `frontend/`, uPlot included, built by `deno task build-frontend`), the
 * page's stylesheet and uPlot's stylesheet.
 *
 * @example
 * ```ts
 * import { PAGE_ASSETS } from "./page_assets.ts";
 * if (PAGE_ASSETS["app.js"]?.type !== "text/javascript; charset=utf-8") throw new Error("js");
 * ```
 * @module
 */
import uplotCss from "uplot/dist/uPlot.min.css" with { type: "text" };
import { FRONTEND_JS } from "../frontend/frontend_bundle.ts";
import { PAGE_CSS } from "./page_css.ts";
import { PAGE_HTML } from "./page_html.ts";

export { PAGE_HTML };

/** A static file of the page. */
export interface PageAsset {
  /** Content-Type header. */
  type: string;
  body: string;
}

const JS = "text/javascript; charset=utf-8";
const CSS = "text/css; charset=utf-8";

/** Files under `/assets/`, by name. */
export const PAGE_ASSETS: Readonly<Record<string, PageAsset>> = {
  "app.js": { type: JS, body: FRONTEND_JS },
  "app.css": { type: CSS, body: PAGE_CSS },
  "uplot.css": { type: CSS, body: uplotCss },
};
