/**
 * The web UI's stylesheet: a layout that works from a 390 px phone to a
 * desktop. At 1280 px the statistics table fits without scrolling (headers
 * wrap, long names are cut with an ellipsis and shown whole on hover); below
 * 700 px the type column folds into the name column, the table scrolls
 * sideways inside its box with the name column fixed, and the tab bar scrolls.
 *
 * @example
 * ```ts
 * import { PAGE_CSS } from "./page_css.ts";
 * if (!PAGE_CSS.includes(".table-wrap")) throw new Error("tables scroll in their box");
 * ```
 * @module
 */

/** `/assets/app.css`. */
export const PAGE_CSS = `
:root {
  --bg: #f5f7fa; --fg: #1d2733; --muted: #5b6878; --panel: #fff; --line: #dde3ea;
  --accent: #1f6feb; --danger: #c62828; --ok: #2e7d32; --warn-bg: #fff4d6; --err-bg: #fde7e7;
  --info-bg: #e7f0fd;
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
button.danger.outline { background: #fff; color: var(--danger); }
button:disabled { opacity: .6; cursor: default; }
.banner { padding: 8px 16px; border-bottom: 1px solid var(--line); overflow-wrap: anywhere; }
.banner.error { background: var(--err-bg); color: #7a1212; }
.banner.warn { background: var(--warn-bg); color: #6b4e00; }
.banner.info { background: var(--info-bg); color: #0b3d91; }
.panel {
  background: var(--panel); border: 1px solid var(--line); border-radius: 8px;
  margin: 12px 16px; padding: 4px 16px 14px;
}
.form-groups { display: grid; gap: 12px; grid-template-columns: repeat(auto-fit, minmax(min(100%, 300px), 1fr)); }
.group { border: 1px solid var(--line); border-radius: 8px; margin: 0; padding: 6px 12px 12px; min-width: 0; }
.group legend { font-weight: 600; font-size: 13px; padding: 0 4px; }
.field { display: flex; flex-direction: column; gap: 3px; margin-top: 8px; }
.field[hidden] { display: none; }
.field label { color: var(--muted); font-size: 12px; }
.field.check { flex-direction: row; align-items: center; gap: 8px; }
.field.check label { color: var(--fg); font-size: 13px; }
.field .help { color: var(--muted); font-size: 11px; }
.field-error, .form-error { color: #b3261e; font-size: 12px; margin: 0; overflow-wrap: anywhere; }
.form-error { margin-top: 10px; }
.field input[type="text"], .field select, .field textarea, .form-grid input, .filters select {
  font: inherit; padding: 6px 8px; border: 1px solid var(--line); border-radius: 6px;
  color: var(--fg); background: #fff; width: 100%;
}
.field textarea { font-family: ui-monospace, monospace; font-size: 12px; resize: vertical; }
.field [aria-invalid="true"] { border-color: #b3261e; outline: 1px solid #b3261e; }
.form-grid {
  display: grid; gap: 10px 16px; grid-template-columns: repeat(auto-fit, minmax(180px, 1fr));
  align-items: end;
}
.form-grid label { display: flex; flex-direction: column; gap: 4px; color: var(--muted); font-size: 12px; }
.form-actions { display: flex; gap: 8px; margin-top: 12px; }
.tabs {
  display: flex; flex-wrap: nowrap; gap: 2px; padding: 0 16px; border-bottom: 1px solid var(--line);
  overflow-x: auto; background: var(--panel); scrollbar-width: thin; max-width: 100%;
}
.tabs button {
  flex: 0 0 auto; border: 0; border-bottom: 3px solid transparent; border-radius: 0; background: none;
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
table.data { border-collapse: separate; border-spacing: 0; width: 100%; font-variant-numeric: tabular-nums; }
table.data th, table.data td {
  padding: 6px 10px; border-bottom: 1px solid var(--line); text-align: left; white-space: nowrap;
}
table.data td.wrap { white-space: pre-wrap; min-width: 240px; max-width: 640px; overflow-wrap: anywhere; }
table.data th { background: #eef2f6; font-weight: 600; font-size: 12px; position: sticky; top: 0; }
table.data .num { text-align: right; }
table.data tfoot td { font-weight: 700; background: #f8fafc; }
table.stats { font-size: 13px; }
table.stats th, table.stats td { padding: 5px 7px; }
table.stats th { white-space: normal; vertical-align: bottom; line-height: 1.2; }
table.stats th.num { min-width: 54px; }
table.stats td.col-name { max-width: 260px; overflow: hidden; text-overflow: ellipsis; }
table.stats .type-inline { display: none; }
table.stats td.col-type { color: var(--muted); }
table.sortable th { cursor: pointer; user-select: none; }
table.sortable th[aria-sort="ascending"]::after { content: " ▲"; }
table.sortable th[aria-sort="descending"]::after { content: " ▼"; }
.status-SUCCESS { color: var(--ok); }
.status-FAILED, .status-PARTIAL { color: var(--danger); }
.status-unknown { color: var(--muted); font-style: italic; }
.job-stats {
  display: grid; grid-template-columns: repeat(auto-fill, minmax(160px, 1fr)); gap: 8px; margin: 0;
}
.job-stats div {
  background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 8px 10px;
}
.job-stats div.unknown { border-color: #f2cc60; background: var(--warn-bg); }
.job-stats dt { font-size: 11px; color: var(--muted); }
.job-stats dd { margin: 2px 0 0; font-size: 18px; font-variant-numeric: tabular-nums; }
.mix-wrap { max-width: 640px; }
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
.log-view {
  background: #0f1720; color: #d8e0e8; border-radius: 8px; padding: 10px 12px; margin: 0;
  font: 12px/1.45 ui-monospace, SFMono-Regular, Menlo, monospace; white-space: pre;
  max-height: 65vh; min-height: 120px; overflow: auto; max-width: 100%;
}
.downloads { list-style: none; padding: 0; display: grid; gap: 6px; }
.downloads a { color: var(--accent); }
.downloads a[aria-disabled="true"] { color: var(--muted); pointer-events: none; text-decoration: none; }
@media (max-width: 700px) {
  table.stats th.col-type, table.stats td.col-type { display: none; }
  table.stats .type-inline { display: block; font-size: 10px; color: var(--muted); font-weight: 400; }
  table.stats td.col-name, table.stats th.col-name {
    position: sticky; left: 0; z-index: 1; background: var(--panel);
    min-width: 120px; max-width: 140px; box-shadow: 1px 0 0 var(--line);
  }
  table.stats thead th.col-name { z-index: 2; background: #eef2f6; }
  table.stats tfoot td.col-name { background: #f8fafc; }
}
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
