import type { Organization, PermissionSetSpec } from '../model/entities.js';
import type { SourceRange } from '../model/desired.js';
import { compareStrings } from '../model/keys.js';
import { PRIVILEGE_LEVELS, type ClassifyPermissionSet } from './access-review.js';

// The access review as one self-contained HTML file: no remote script, style or font, so it
// opens offline and can be attached to an audit ticket as it is. The data is embedded once as
// compact JSON (indexes into name tables) and the page renders only the rows in view, so an
// organisation of 10,000 users and 500 accounts stays a few MB and opens at once.
// Every name is set with textContent, never as HTML: names come from config and live data.

/** Above this many users the page opens on the group × account view. */
export const USER_MATRIX_LIMIT = 2000;

/**
 * What the page needs, by assignment rather than by effective grant: at 10,000 users in 1,000
 * groups the effective grants number in the millions, while the assignments and memberships
 * they come from fit in a few MB. The page expands a user's row when it is shown.
 */
export interface AccessMatrixInput {
  readonly generatedAt: string;
  readonly source: 'config' | 'live';
  readonly gitCommit?: string;
  readonly assignments: readonly {
    readonly principalType: 'USER' | 'GROUP';
    readonly principalName: string;
    readonly accountId: string;
    readonly permissionSetName: string;
    readonly source?: SourceRange;
    readonly expires?: string;
    readonly reason?: string;
  }[];
  readonly memberships: readonly { readonly groupName: string; readonly userName: string }[];
  readonly users: readonly { readonly userName: string; readonly displayName?: string }[];
  readonly groups: readonly string[];
  readonly organization: Organization;
  readonly permissionSets: readonly PermissionSetSpec[];
  readonly classify: ClassifyPermissionSet;
}

export interface CompactMatrix {
  readonly generatedAt: string;
  readonly source: string;
  readonly gitCommit: string | null;
  readonly levels: readonly string[];
  /** [userName, displayName] */
  readonly users: readonly (readonly [string, string])[];
  /** [id, name, ouPath, "k=v" tags] */
  readonly accounts: readonly (readonly [string, string, string, readonly string[]])[];
  readonly groups: readonly string[];
  /** [name, level index, reason] */
  readonly permissionSets: readonly (readonly [string, number, string])[];
  /** Group indexes of each user. */
  readonly userGroups: readonly (readonly number[])[];
  /** [source, expires, reason] of assignment rules */
  readonly rules: readonly (readonly [string, string, string])[];
  /** Flat, five numbers each: 0 user / 1 group, principal index, account, permission set, rule. */
  readonly assignments: readonly number[];
}

export function compactMatrix(input: AccessMatrixInput): CompactMatrix {
  const index = (values: Iterable<string>): Map<string, number> => {
    const m = new Map<string, number>();
    for (const v of values) if (!m.has(v)) m.set(v, m.size);
    return m;
  };
  const sorted = (values: Iterable<string>): string[] => [...new Set(values)].sort(compareStrings);
  const userIdx = index(sorted([
    ...input.users.map((u) => u.userName),
    ...input.memberships.map((m) => m.userName),
    ...input.assignments.filter((a) => a.principalType === 'USER').map((a) => a.principalName),
  ]));
  const groupIdx = index(sorted([
    ...input.groups,
    ...input.memberships.map((m) => m.groupName),
    ...input.assignments.filter((a) => a.principalType === 'GROUP').map((a) => a.principalName),
  ]));
  const accounts = [...input.organization.accounts].sort((a, b) => compareStrings(a.name, b.name) || compareStrings(a.id, b.id));
  const accountIdx = index([...accounts.map((a) => a.id), ...input.assignments.map((a) => a.accountId)]);
  const accountsById = new Map(accounts.map((a) => [a.id, a]));
  const specs = new Map(input.permissionSets.map((p) => [p.name, p]));
  const psIdx = index(sorted([...input.permissionSets.map((p) => p.name), ...input.assignments.map((a) => a.permissionSetName)]));
  const ruleIdx = new Map<string, number>();
  const rules: [string, string, string][] = [];
  const assignments: number[] = [];
  for (const a of input.assignments) {
    const rule: [string, string, string] = [a.source ? `${a.source.file}:${a.source.line}` : '', a.expires ?? '', a.reason ?? ''];
    const key = rule.join('\u0000');
    let r = ruleIdx.get(key);
    if (r === undefined) {
      r = rules.length;
      ruleIdx.set(key, r);
      rules.push(rule);
    }
    const principal = a.principalType === 'USER' ? userIdx.get(a.principalName)! : groupIdx.get(a.principalName)!;
    assignments.push(a.principalType === 'USER' ? 0 : 1, principal, accountIdx.get(a.accountId)!, psIdx.get(a.permissionSetName)!, r);
  }
  const userGroups: number[][] = [...userIdx.keys()].map(() => []);
  for (const m of input.memberships) userGroups[userIdx.get(m.userName)!]!.push(groupIdx.get(m.groupName)!);
  for (const list of userGroups) list.sort((x, y) => x - y);
  const displayNames = new Map(input.users.map((u) => [u.userName, u.displayName ?? '']));
  return {
    generatedAt: input.generatedAt,
    source: input.source,
    gitCommit: input.gitCommit ?? null,
    levels: PRIVILEGE_LEVELS,
    users: [...userIdx.keys()].map((u) => [u, displayNames.get(u) ?? ''] as const),
    accounts: [...accountIdx.keys()].map((id) => {
      const a = accountsById.get(id);
      return [id, a?.name ?? id, a?.ouPath ?? '', Object.entries(a?.tags ?? {}).map(([k, v]) => `${k}=${v}`).sort()] as const;
    }),
    groups: [...groupIdx.keys()],
    permissionSets: [...psIdx.keys()].map((name) => {
      const c = input.classify(specs.get(name), name);
      return [name, PRIVILEGE_LEVELS.indexOf(c.level), c.reason] as const;
    }),
    userGroups,
    rules,
    assignments,
  };
}

/** JSON inside <script>: `<` escaped so no value can close the element or open a comment. */
const scriptJson = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');

export function renderAccessReviewHtml(input: AccessMatrixInput): string {
  const data = compactMatrix(input);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>Access review ${input.generatedAt.slice(0, 10)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
  <h1>Access review <span id="date"></span></h1>
  <p id="summary"></p>
  <form id="filters" onsubmit="return false">
    <label>View <select id="f-view"><option value="users">users × accounts</option><option value="groups">groups × accounts</option></select></label>
    <label>OU <select id="f-ou"><option value="">all</option></select></label>
    <label>Account tag <select id="f-tag"><option value="">all</option></select></label>
    <label>Group <select id="f-group"><option value="">all</option></select></label>
    <label>Privilege <select id="f-level"><option value="">any</option></select></label>
    <label>Find <input id="f-text" type="search" placeholder="user or account"></label>
  </form>
  <p id="legend"></p>
</header>
<main>
  <div id="grid" tabindex="0"><div id="sizer"><table id="matrix"><thead><tr id="head"></tr></thead><tbody id="rows"></tbody></table></div></div>
  <aside id="details" aria-live="polite"><p class="hint">Hover or click a cell to see what grants it.</p></aside>
</main>
<script type="application/json" id="review-data">${scriptJson(data)}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

const STYLE = `
:root { --admin:#b71c1c; --privilege-escalation:#e65100; --write:#f9a825; --read-only:#2e7d32; --none:#9e9e9e; --unclassified:#5c6bc0; }
* { box-sizing: border-box; }
body { font: 13px/1.4 system-ui, sans-serif; margin: 0; color: #222; }
header { padding: 8px 16px; border-bottom: 1px solid #ddd; }
h1 { font-size: 18px; margin: 0 0 4px; }
#filters { display: flex; flex-wrap: wrap; gap: 12px; }
#filters label { display: flex; gap: 4px; align-items: center; }
#legend span { display: inline-block; margin-right: 12px; }
#legend i, td.c i { display: inline-block; width: 12px; height: 12px; border-radius: 2px; vertical-align: middle; }
main { display: flex; height: calc(100vh - 120px); }
#grid { flex: 1; overflow: auto; position: relative; }
#sizer { position: relative; }
table { border-collapse: collapse; position: absolute; top: 0; left: 0; }
th, td { height: 22px; padding: 0 4px; border: 1px solid #eee; white-space: nowrap; }
thead th { position: sticky; top: 0; background: #fafafa; z-index: 2; height: 120px; vertical-align: bottom; }
thead th div { writing-mode: vertical-rl; transform: rotate(180deg); max-height: 116px; overflow: hidden; text-overflow: ellipsis; }
tbody th { position: sticky; left: 0; background: #fff; text-align: left; z-index: 1; max-width: 240px; overflow: hidden; text-overflow: ellipsis; }
td.c { width: 22px; min-width: 22px; text-align: center; cursor: pointer; }
td.c.sel { outline: 2px solid #000; }
aside { width: 360px; overflow: auto; border-left: 1px solid #ddd; padding: 8px 12px; }
aside h2 { font-size: 14px; margin: 4px 0; }
aside ul { padding-left: 18px; margin: 4px 0 10px; }
.hint { color: #777; }
`;

// The page's script, plain ES2020. Rows are expanded and rendered for the visible window only.
const SCRIPT = `
(() => {
  'use strict';
  const started = performance.now();
  const D = JSON.parse(document.getElementById('review-data').textContent);
  const $ = (id) => document.getElementById(id);
  const el = (tag, text, cls) => { const e = document.createElement(tag); if (text !== undefined) e.textContent = text; if (cls) e.className = cls; return e; };
  const ROW = 22;
  const A = D.assignments;
  const direct = D.users.map(() => []);
  const ofGroup = D.groups.map(() => []);
  for (let i = 0; i < A.length; i += 5) (A[i] === 0 ? direct : ofGroup)[A[i + 1]].push([A[i + 2], A[i + 3], A[i + 4]]);
  // A row's grants as [account, permission set, rule, via group or -1].
  function grantsOf(view, r) {
    if (view === 'groups') return ofGroup[r].map((g) => [g[0], g[1], g[2], r]);
    const out = direct[r].map((g) => [g[0], g[1], g[2], -1]);
    for (const gi of D.userGroups[r]) for (const g of ofGroup[gi]) out.push([g[0], g[1], g[2], gi]);
    return out;
  }
  const namesOf = (view) => (view === 'groups' ? D.groups : D.users.map((u) => u[0]));

  $('date').textContent = D.generatedAt.slice(0, 10);
  $('summary').textContent = 'Snapshot of ' + (D.source === 'live' ? 'the live store' : 'the configuration') + ' taken ' + D.generatedAt +
    (D.gitCommit ? ' at commit ' + D.gitCommit.slice(0, 12) : '') + ': ' + D.users.length + ' users, ' + D.groups.length + ' groups, ' +
    D.accounts.length + ' accounts, ' + (A.length / 5) + ' assignments.';
  const fill = (select, values) => values.forEach((v) => { const o = el('option', v); o.value = v; select.appendChild(o); });
  fill($('f-ou'), [...new Set(D.accounts.map((a) => a[2]).filter(Boolean))].sort());
  fill($('f-tag'), [...new Set(D.accounts.flatMap((a) => a[3]))].sort());
  fill($('f-group'), [...D.groups].sort());
  D.levels.forEach((l, i) => { const o = el('option', l); o.value = String(i); $('f-level').appendChild(o); });
  D.levels.forEach((l) => { const s = el('span'); const i = el('i'); i.style.background = 'var(--' + l + ')'; s.append(i, ' ' + l); $('legend').appendChild(s); });
  if (D.users.length > ${USER_MATRIX_LIMIT}) $('f-view').value = 'groups';

  let view = 'users', rows = [], cols = [], colPos = new Map(), keep = () => true, selected = null;
  const ouMatches = (ou, want) => want === '' || ou === want || ou.startsWith(want + '/');
  function compute() {
    view = $('f-view').value;
    const ou = $('f-ou').value, tag = $('f-tag').value, group = $('f-group').value, level = $('f-level').value;
    const text = $('f-text').value.trim().toLowerCase();
    const colOk = D.accounts.map((a) => ouMatches(a[2], ou) && (tag === '' || a[3].includes(tag)));
    const lv = level === '' ? -1 : Number(level);
    keep = (g) => colOk[g[0]] && (lv < 0 || D.permissionSets[g[1]][1] === lv);
    const gi = group === '' ? -1 : D.groups.indexOf(group);
    const names = namesOf(view);
    const used = new Uint8Array(D.accounts.length);
    rows = [];
    for (let r = 0; r < names.length; r++) {
      if (gi >= 0 && (view === 'groups' ? r !== gi : !D.userGroups[r].includes(gi))) continue;
      if (text !== '' && !names[r].toLowerCase().includes(text)) continue;
      let any = false;
      for (const g of grantsOf(view, r)) if (keep(g)) { any = true; used[g[0]] = 1; }
      if (any) rows.push(r);
    }
    rows.sort((x, y) => (names[x] < names[y] ? -1 : names[x] > names[y] ? 1 : 0));
    cols = [];
    for (let a = 0; a < D.accounts.length; a++) if (used[a]) cols.push(a);
    colPos = new Map(cols.map((c, i) => [c, i]));
    renderHead();
    $('sizer').style.height = (120 + rows.length * ROW) + 'px';
    renderRows();
  }
  function cellsOf(r) {
    const m = new Map();
    for (const g of grantsOf(view, r)) {
      if (!keep(g)) continue;
      const c = colPos.get(g[0]);
      if (!m.has(c)) m.set(c, []);
      m.get(c).push(g);
    }
    return m;
  }
  function renderHead() {
    const head = $('head');
    head.replaceChildren(el('th', view === 'groups' ? 'group' : 'user'));
    for (const c of cols) {
      const a = D.accounts[c];
      const th = el('th');
      th.title = a[1] + ' (' + a[0] + ') ' + a[2];
      th.dataset.account = a[0];
      th.appendChild(el('div', a[1]));
      head.appendChild(th);
    }
  }
  function renderRows() {
    const names = namesOf(view);
    const grid = $('grid');
    const first = Math.max(0, Math.floor(grid.scrollTop / ROW) - 5);
    const last = Math.min(rows.length, first + Math.ceil((grid.clientHeight || 800) / ROW) + 10);
    const frag = document.createDocumentFragment();
    if (first > 0) { const spacer = el('tr'); spacer.style.height = (first * ROW) + 'px'; frag.appendChild(spacer); }
    for (let i = first; i < last; i++) {
      const r = rows[i];
      const tr = el('tr');
      const th = el('th', names[r]);
      th.title = names[r];
      tr.appendChild(th);
      const cells = cellsOf(r);
      for (let c = 0; c < cols.length; c++) {
        const td = el('td');
        const grants = cells.get(c);
        if (grants) {
          const top = Math.min(...grants.map((g) => D.permissionSets[g[1]][1]));
          td.className = 'c';
          td.dataset.row = String(i);
          td.dataset.col = String(c);
          td.dataset.principal = names[r];
          td.dataset.account = D.accounts[cols[c]][0];
          td.dataset.level = D.levels[top];
          td.dataset.permissionSets = [...new Set(grants.map((g) => D.permissionSets[g[1]][0]))].sort().join(',');
          const dot = el('i');
          dot.style.background = 'var(--' + D.levels[top] + ')';
          td.appendChild(dot);
          if (selected && selected[0] === i && selected[1] === c) td.classList.add('sel');
        }
        tr.appendChild(td);
      }
      frag.appendChild(tr);
    }
    $('rows').replaceChildren(frag);
  }
  function show(i, c) {
    const r = rows[i];
    const a = D.accounts[cols[c]];
    const box = $('details');
    box.replaceChildren(el('h2', namesOf(view)[r] + ' in ' + a[1] + ' (' + a[0] + ')'));
    if (a[2]) box.appendChild(el('p', 'OU ' + a[2] + (a[3].length ? ' · tags ' + a[3].join(', ') : '')));
    const byPs = new Map();
    for (const g of cellsOf(r).get(c) || []) { if (!byPs.has(g[1])) byPs.set(g[1], []); byPs.get(g[1]).push(g); }
    for (const [p, grants] of [...byPs].sort((x, y) => D.permissionSets[x[0]][1] - D.permissionSets[y[0]][1])) {
      const ps = D.permissionSets[p];
      box.appendChild(el('h2', ps[0] + ' — ' + D.levels[ps[1]]));
      if (ps[2]) box.appendChild(el('p', ps[2], 'hint'));
      const ul = el('ul');
      for (const g of grants) {
        const [src, exp, why] = D.rules[g[2]];
        ul.appendChild(el('li', (g[3] < 0 ? 'direct assignment' : 'through group ' + D.groups[g[3]]) + (src ? ' at ' + src : '') + (exp ? ', expires ' + exp : '') + (why ? ' — ' + why : '')));
      }
      box.appendChild(ul);
    }
  }
  const cellOf = (e) => { const td = e.target.closest && e.target.closest('td.c'); return td ? [Number(td.dataset.row), Number(td.dataset.col), td] : null; };
  $('rows').addEventListener('mouseover', (e) => { const c = cellOf(e); if (c && !selected) show(c[0], c[1]); });
  $('rows').addEventListener('click', (e) => {
    const c = cellOf(e);
    if (!c) return;
    document.querySelectorAll('td.sel').forEach((t) => t.classList.remove('sel'));
    selected = [c[0], c[1]];
    c[2].classList.add('sel');
    show(c[0], c[1]);
  });
  let pending = false;
  $('grid').addEventListener('scroll', () => { if (!pending) { pending = true; requestAnimationFrame(() => { pending = false; renderRows(); }); } });
  for (const id of ['f-view', 'f-ou', 'f-tag', 'f-group', 'f-level']) $(id).addEventListener('change', () => { selected = null; compute(); });
  $('f-text').addEventListener('input', () => { selected = null; compute(); });
  compute();
  // Read by the browser test, and shown to whoever wonders why a large review takes a moment.
  document.body.dataset.renderMs = String(Math.round(performance.now() - started));
  document.body.dataset.ready = 'true';
})();
`;
