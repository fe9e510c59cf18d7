/**
 * The web UI's stylesheet: a grid/flex layout that works from a 390 px phone
 * to a desktop; wide tables scroll horizontally inside their own box.
 *
 * @example
 * ```ts
 * import { PAGE_CSS } from "./page_css.ts";
 * PAGE_CSS.includes(".table-wrap"); // true
 * ```
 * @module
 */

/** `/assets/app.css`. */
export const PAGE_CSS = `
:root {
  --bg: #f5f7fa; --fg: #1d2733; --muted: #5b6878; --panel: #fff; --line: #dde3ea;
  --accent: #1f6feb; --danger: #c62828; --ok: #2e7d32; --warn-bg: #fff4d6; --err-bg: #fde7e7;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; font-size: 14px;
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); }
h2 { font-size: 15px; margin: 18px 0 8px; }
.topbar {
  display: flex; flex-wrap: wrap; align-items: center; gap: 8px 20px;
  background: #14202e; color: #fff; padding: 10px 16px;
}
.brand { font-weight: 700; font-size: 18px; }
.brand .sub { font-weight: 400; font-size: 12px; color: #aab6c4; margin-left: 6px; }
.metrics { display: flex; flex-wrap: wrap; gap: 4px 18px; margin: 0; flex: 1 1 auto; }
.metrics div { display: flex; flex-direction: column; min-width: 52px; }
.metrics dt { font-size: 11px; color: #aab6c4; text-transform: uppercase; letter-spacing: .03em; }
.metrics dd { margin: 0; font-size: 16px; font-variant-numeric: tabular-nums; white-space: nowrap; }
#m-state[data-state="running"] { color: #7ee787; }
#m-state[data-state="preparing"], #m-state[data-state="stopping"] { color: #f2cc60; }
#m-state[data-state="finished"] { color: #a5d6ff; }
#m-cpu.hot { color: #ff7b72; font-weight: 700; }
.actions { display: flex; flex-wrap: wrap; gap: 6px; }
button {
  font: inherit; padding: 6px 12px; border-radius: 6px; border: 1px solid var(--line);
  background: #fff; color: var(--fg); cursor: pointer; min-height: 32px;
}
button.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
button.danger { background: var(--danger); border-color: var(--danger); color: #fff; }
button:disabled { opacity: .6; cursor: default; }
.banner { padding: 8px 16px; border-bottom: 1px solid var(--line); overflow-wrap: anywhere; }
.banner.error { background: var(--err-bg); color: #7a1212; }
.banner.warn { background: var(--warn-bg); color: #6b4e00; }
.panel {
  background: var(--panel); border: 1px solid var(--line); border-radius: 8px;
  margin: 12px 16px; padding: 4px 16px 14px;
}
.form-grid {
  display: grid; gap: 10px 16px; grid-template-columns: repeat(auto-fit, minmax(180px, 1fr));
  align-items: end;
}
.form-grid label { display: flex; flex-direction: column; gap: 4px; color: var(--muted); font-size: 12px; }
.form-grid input, .filters select {
  font: inherit; padding: 6px 8px; border: 1px solid var(--line); border-radius: 6px;
  color: var(--fg); background: #fff; width: 100%;
}
.form-actions { display: flex; gap: 8px; }
.tabs {
  display: flex; gap: 2px; padding: 0 16px; border-bottom: 1px solid var(--line);
  overflow-x: auto; background: var(--panel);
}
.tabs button {
  border: 0; border-bottom: 3px solid transparent; border-radius: 0; background: none;
  padding: 10px 12px; white-space: nowrap;
}
.tabs button[aria-selected="true"] { border-bottom-color: var(--accent); font-weight: 600; }
.count {
  display: inline-block; min-width: 18px; padding: 0 5px; border-radius: 9px; background: var(--line);
  font-size: 11px; text-align: center;
}
main { padding: 0 16px 24px; }
.table-wrap {
  overflow-x: auto; background: var(--panel); border: 1px solid var(--line); border-radius: 8px;
  max-width: 100%;
}
table.data { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
table.data th, table.data td {
  padding: 6px 10px; border-bottom: 1px solid var(--line); text-align: left; white-space: nowrap;
}
table.data td.wrap { white-space: pre-wrap; min-width: 240px; max-width: 640px; overflow-wrap: anywhere; }
table.data th { background: #eef2f6; font-weight: 600; font-size: 12px; position: sticky; top: 0; }
table.data .num { text-align: right; }
table.data tfoot td { font-weight: 700; background: #f8fafc; }
table.sortable th { cursor: pointer; user-select: none; }
table.sortable th[aria-sort="ascending"]::after { content: " ▲"; }
table.sortable th[aria-sort="descending"]::after { content: " ▼"; }
.status-SUCCESS { color: var(--ok); }
.status-FAILED, .status-PARTIAL { color: var(--danger); }
.job-stats {
  display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 8px; margin: 0;
}
.job-stats div {
  background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 8px 10px;
}
.job-stats dt { font-size: 11px; color: var(--muted); }
.job-stats dd { margin: 2px 0 0; font-size: 18px; font-variant-numeric: tabular-nums; }
.charts { display: grid; gap: 12px; grid-template-columns: repeat(auto-fit, minmax(min(100%, 520px), 1fr)); }
.chart {
  margin: 0; background: var(--panel); border: 1px solid var(--line); border-radius: 8px;
  padding: 8px; min-width: 0;
}
.chart figcaption { font-weight: 600; font-size: 13px; margin-bottom: 4px; }
.plot { width: 100%; min-height: 220px; }
.filters { display: flex; flex-wrap: wrap; gap: 12px; align-items: end; margin-bottom: 8px; }
.filters label { display: flex; flex-direction: column; gap: 4px; font-size: 12px; color: var(--muted); }
.note { color: var(--muted); font-size: 12px; }
.downloads { list-style: none; padding: 0; display: grid; gap: 6px; }
.downloads a { color: var(--accent); }
.downloads a[aria-disabled="true"] { color: var(--muted); pointer-events: none; text-decoration: none; }
@media (max-width: 600px) {
  .topbar { padding: 8px 10px; gap: 6px 12px; }
  .brand .sub { display: none; }
  .metrics { gap: 2px 12px; }
  .metrics dd { font-size: 14px; }
  .panel { margin: 8px; padding: 2px 10px 10px; }
  main { padding: 0 8px 16px; }
  .tabs { padding: 0 8px; }
  .plot { min-height: 180px; }
}
`;
