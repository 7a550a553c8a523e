/** The dashboard's stylesheet: light and dark by `prefers-color-scheme`, readable from 320 px up. */
export const STYLE_CSS = `
:root {
  color-scheme: light dark;
  --bg: #f5f3ee; --surface: #ffffff; --sunk: #ece9e1; --text: #1e2226; --muted: #585f67; --border: #d9d4c9;
  --accent: #2d6a58; --accent-soft: #d5e8e0; --accent-2: #b5622c; --ok: #23784a; --warn: #94610a; --bad: #b3261e;
  --focus: #1b5fd6; --grid: #e3dfd6; --h0: #efece5; --h1: #cfe3da; --h2: #a3cbb9; --h3: #6fae95; --h4: #3f8b71; --h5: #1f5e4b;
  --radius: 10px; --shadow: 0 1px 2px rgba(0,0,0,.06), 0 2px 8px rgba(0,0,0,.04);
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, Ubuntu, "Helvetica Neue", sans-serif;
  font-size: 16px; line-height: 1.5;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #121417; --surface: #1b1e23; --sunk: #23272d; --text: #e8e6e1; --muted: #a5abb2; --border: #323840;
    --accent: #6fc7a9; --accent-soft: #1f3a32; --accent-2: #eba46d; --ok: #63c98e; --warn: #e2b54a; --bad: #f1776d;
    --focus: #8ab4ff; --grid: #2a2f36; --h0: #22262c; --h1: #1f3d34; --h2: #235444; --h3: #2f7560; --h4: #4ba184; --h5: #86d7b9;
    --shadow: none;
  }
}
*, *::before, *::after { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text); }
a { color: var(--accent); text-underline-offset: 2px; }
a:hover { text-decoration-thickness: 2px; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; border-radius: 4px; }
.skip { position: absolute; left: 8px; top: -60px; background: var(--surface); color: var(--text); padding: 8px 14px; border-radius: 6px; z-index: 10; }
.skip:focus { top: 8px; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 0 0 4px; }
h2 { font-size: 1.2rem; margin: 0 0 12px; }
h3 { font-size: 1rem; margin: 16px 0 8px; }
p { margin: 0 0 12px; }
.muted, .lede { color: var(--muted); }
.lede { margin-bottom: 20px; }
code, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .88em; }

.banner { background: var(--surface); border-bottom: 1px solid var(--border); }
.bar { max-width: 1200px; margin: 0 auto; padding: 10px 20px 0; display: flex; align-items: center; gap: 16px; flex-wrap: wrap; }
.brand { display: inline-flex; align-items: center; gap: 8px; font-weight: 700; font-size: 1.15rem; color: var(--text); text-decoration: none; }
.brand svg { fill: var(--accent); }
.ns { margin: 0; color: var(--muted); font-size: .9rem; }
.ns strong { color: var(--text); }
.signout { margin: 0 0 0 auto; }
.nav { max-width: 1200px; margin: 0 auto; padding: 0 12px; overflow-x: auto; }
.nav ul { list-style: none; margin: 0; padding: 0; display: flex; gap: 2px; }
.nav a { display: block; padding: 10px 10px 9px; color: var(--muted); text-decoration: none; border-bottom: 3px solid transparent; white-space: nowrap; font-weight: 500; }
.nav a:hover { color: var(--text); }
.nav a[aria-current="page"] { color: var(--text); border-bottom-color: var(--accent); }
main { max-width: 1200px; margin: 0 auto; padding: 24px 20px 40px; }
main:focus { outline: none; }
.footer { max-width: 1200px; margin: 0 auto; padding: 0 20px 32px; color: var(--muted); font-size: .85rem; }

.card { background: var(--surface); border: 1px solid var(--border); border-radius: var(--radius); padding: 18px 20px; box-shadow: var(--shadow); margin-bottom: 20px; min-width: 0; }
.grid { display: grid; gap: 20px; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); align-items: start; }
.grid > .card { margin-bottom: 0; }
.stack { display: grid; gap: 20px; margin-bottom: 20px; }
.stats { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; margin: 0 0 20px; padding: 0; }
.stat { background: var(--surface); border: 1px solid var(--border); border-radius: var(--radius); padding: 12px 16px; box-shadow: var(--shadow); }
.stat dt { color: var(--muted); font-size: .85rem; }
.stat dd { margin: 2px 0 0; font-size: 1.5rem; font-weight: 650; }
.stat dd small { display: block; font-size: .8rem; font-weight: 400; color: var(--muted); }

.toolbar { display: flex; flex-wrap: wrap; gap: 12px 16px; align-items: flex-end; }
.field { display: flex; flex-direction: column; gap: 4px; min-width: 0; }
.field.grow { flex: 1 1 260px; }
label, .label { font-size: .85rem; font-weight: 600; color: var(--muted); }
input[type=text], input[type=search], input[type=date], input[type=number], input[type=password], select, textarea {
  font: inherit; color: var(--text); background: var(--bg); border: 1px solid var(--border); border-radius: 8px; padding: 8px 10px; min-height: 42px; max-width: 100%;
}
textarea { width: 100%; min-height: 120px; resize: vertical; }
fieldset { border: 0; padding: 0; margin: 0; min-width: 0; }
legend { padding: 0; }
.checks { display: flex; flex-wrap: wrap; gap: 4px 14px; }
.checks label { font-weight: 400; color: var(--text); font-size: .95rem; display: inline-flex; gap: 6px; align-items: center; min-height: 32px; }
button, .button { font: inherit; font-weight: 600; border-radius: 8px; padding: 8px 16px; min-height: 42px; border: 1px solid var(--accent); background: var(--accent); color: var(--surface); cursor: pointer; text-decoration: none; display: inline-flex; align-items: center; }
button.secondary, .button.secondary { background: transparent; color: var(--accent); }
button.danger { background: transparent; color: var(--bad); border-color: var(--bad); }
button.link { background: none; border: 0; color: var(--accent); padding: 4px 0; min-height: 0; text-decoration: underline; font-weight: 500; }
.actions { display: flex; flex-wrap: wrap; gap: 10px; align-items: center; }

.notice { border-radius: var(--radius); padding: 12px 16px; margin-bottom: 20px; border: 1px solid var(--border); background: var(--accent-soft); }
.notice.error { background: transparent; border-color: var(--bad); color: var(--text); }
.notice.error strong { color: var(--bad); }

.list { list-style: none; margin: 0; padding: 0; }
.item { padding: 14px 0; border-top: 1px solid var(--border); }
.item:first-child { border-top: 0; padding-top: 0; }
.item .content { margin: 0 0 6px; white-space: pre-wrap; overflow-wrap: anywhere; }
.item .content a { color: var(--text); text-decoration: none; }
.item .content a:hover { text-decoration: underline; }
.meta { display: flex; flex-wrap: wrap; gap: 4px 12px; color: var(--muted); font-size: .85rem; align-items: center; }
.tag, .badge { display: inline-block; border-radius: 999px; padding: 1px 9px; font-size: .8rem; border: 1px solid var(--border); background: var(--sunk); color: var(--text); }
.badge.ok { border-color: var(--ok); color: var(--ok); background: transparent; }
.badge.warn { border-color: var(--warn); color: var(--warn); background: transparent; }
.badge.bad { border-color: var(--bad); color: var(--bad); background: transparent; }
.score-parts { margin-top: 8px; }
.score-parts summary, .numbers summary { cursor: pointer; color: var(--accent); font-size: .9rem; }
.pager { display: flex; justify-content: space-between; gap: 12px; margin-top: 16px; }

.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: .92rem; }
caption { text-align: left; color: var(--muted); padding-bottom: 8px; }
th, td { text-align: left; padding: 8px 10px; border-bottom: 1px solid var(--border); vertical-align: top; }
th { font-size: .8rem; text-transform: uppercase; letter-spacing: .03em; color: var(--muted); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.kv { display: grid; grid-template-columns: max-content 1fr; gap: 6px 16px; margin: 0; }
.kv dt { color: var(--muted); }
.kv dd { margin: 0; overflow-wrap: anywhere; }
pre.json { background: var(--sunk); padding: 10px 12px; border-radius: 8px; overflow-x: auto; font-size: .85rem; margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }

.figure { margin: 0; }
.figure figcaption { font-weight: 650; margin-bottom: 6px; }
.chart-wrap { overflow-x: auto; }
svg.chart { display: block; width: 100%; min-width: 520px; height: auto; font-size: 12px; font-family: inherit; }
svg.chart .grid { stroke: var(--grid); stroke-width: 1; }
svg.chart .axis { stroke: var(--muted); stroke-width: 1; }
svg.chart .tick { fill: var(--muted); }
svg.chart .label { fill: var(--text); font-weight: 600; }
svg.chart .line { fill: none; stroke: var(--accent); stroke-width: 2.5; stroke-linejoin: round; stroke-linecap: round; }
svg.chart .line.alt { stroke: var(--accent-2); stroke-dasharray: 6 4; }
svg.chart .line.ref { stroke: var(--muted); stroke-width: 1.5; stroke-dasharray: 3 4; }
svg.chart .band { fill: var(--accent); opacity: .14; }
svg.chart .dot { fill: var(--accent); stroke: var(--surface); stroke-width: 1.5; }
svg.chart .dot.alt { fill: var(--accent-2); }
svg.chart .dot.hollow { fill: var(--surface); stroke: var(--accent-2); stroke-width: 2; }
svg.chart .dot.success { fill: var(--ok); }
svg.chart .dot.partial_success { fill: var(--warn); }
svg.chart .dot.failure { fill: var(--bad); }
svg.chart .dot.abstained { fill: var(--muted); }
svg.chart .session { fill: var(--accent); opacity: .85; }
svg.chart .brk { fill: var(--accent-2); }
svg.chart .bar { fill: var(--accent); }
svg.chart .bar.alt { fill: var(--accent-2); }
svg.chart .bar.ref { fill: var(--grid); }
svg.chart a:focus-visible { outline: none; }
svg.chart a:focus-visible .dot { stroke: var(--focus); stroke-width: 3; }
svg.chart .h0 { fill: var(--h0); } svg.chart .h1 { fill: var(--h1); } svg.chart .h2 { fill: var(--h2); }
svg.chart .h3 { fill: var(--h3); } svg.chart .h4 { fill: var(--h4); } svg.chart .h5 { fill: var(--h5); }
svg.chart .cell-empty { fill: none; stroke: var(--grid); }
.legend { list-style: none; margin: 12px 0 8px; padding: 0; display: flex; flex-wrap: wrap; gap: 4px 16px; font-size: .85rem; color: var(--muted); }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 3px; margin-right: 6px; vertical-align: -1px; background: var(--accent); }
.swatch.alt { background: var(--accent-2); }
.swatch.ref { background: transparent; border: 2px dashed var(--muted); }
.swatch.band { background: var(--accent); opacity: .3; }
.swatch.ok { background: var(--ok); } .swatch.warn { background: var(--warn); } .swatch.bad { background: var(--bad); } .swatch.muted { background: var(--muted); }
.swatch.h1 { background: var(--h1); } .swatch.h3 { background: var(--h3); } .swatch.h5 { background: var(--h5); }
.meterline { display: grid; grid-template-columns: 8.5rem 1fr 3.5rem; gap: 10px; align-items: center; margin: 6px 0; }
.meterline meter { width: 100%; height: 14px; }
.tree { list-style: none; margin: 0; padding: 0 0 0 16px; border-left: 2px solid var(--border); }
.tree > li { margin: 8px 0; }
.tree .row { display: flex; flex-wrap: wrap; gap: 4px 12px; align-items: baseline; }
.tree .title { font-weight: 600; }
.big-text { font-size: 1.15rem; margin: 0 0 10px; white-space: pre-wrap; overflow-wrap: anywhere; }
.chart-inline, .minibar { vertical-align: middle; }
.minibar .bar { fill: var(--accent); } .minibar .bar.alt { fill: var(--accent-2); }
.chart-inline .bar { fill: var(--accent); } .chart-inline .bar.alt { fill: var(--accent-2); opacity: .55; } .chart-inline .bar.ref { fill: var(--grid); }
.big { font-size: 2.2rem; font-weight: 700; line-height: 1.1; }
.status-healthy { color: var(--ok); } .status-degraded { color: var(--warn); } .status-unhealthy { color: var(--bad); }
.login { max-width: 460px; margin: 48px auto; }
.sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0,0,0,0); white-space: nowrap; border: 0; }

@media (max-width: 640px) {
  .nav ul { flex-wrap: wrap; }
  .nav a { padding: 8px 8px 7px; }
  .bar { padding: 10px 14px 0; }
  main { padding: 18px 14px 32px; }
  h1 { font-size: 1.35rem; }
  .card { padding: 14px; }
  .meterline { grid-template-columns: 6.5rem 1fr 3rem; }
  .stat dd { font-size: 1.25rem; }
}
`;
