/**
 * Everything the web UI's page loads, served by the tool itself so the page
 * works with no internet: the HTML, its script and stylesheet, and uPlot's
 * script and stylesheet (bundled from npm through text imports).
 *
 * @example
 * ```ts
 * import { PAGE_ASSETS } from "./page_assets.ts";
 * PAGE_ASSETS["uplot.js"]?.type; // "text/javascript; charset=utf-8"
 * ```
 * @module
 */
import uplotJs from "uplot/dist/uPlot.iife.min.js" with { type: "text" };
import uplotCss from "uplot/dist/uPlot.min.css" with { type: "text" };
import { PAGE_CSS } from "./page_css.ts";
import { PAGE_HTML } from "./page_html.ts";
import { PAGE_SCRIPT } from "./page_script.ts";

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
  "app.js": { type: JS, body: PAGE_SCRIPT },
  "app.css": { type: CSS, body: PAGE_CSS },
  "uplot.js": { type: JS, body: uplotJs },
  "uplot.css": { type: CSS, body: uplotCss },
};
