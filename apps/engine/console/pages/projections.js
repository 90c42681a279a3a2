// Projections: each read model's state and lag, refreshed every few seconds; the scoring job on demand.
import { getJson } from '../api.js';
import { fill, h, num, table, unavailable } from '../dom.js';

const REFRESH_MS = 3000;

export async function renderProjections({ main, onLeave }) {
  const body = h('div', {}, h('p', { class: 'muted' }, 'Loading…'));
  const note = h('span', { class: 'refresh-note' });
  main.append(
    h('h1', {}, 'Projections', note),
    h('section', { class: 'panel' }, body),
    h(
      'section',
      { class: 'panel', style: { marginTop: '16px' } },
      h('h2', {}, 'Scoring'),
      h('p', { class: 'muted small' }, 'Tiers, RFM scores, recency and lifecycle stages depend on the whole population and on time: the scoring job computes them point in time, on a schedule and on demand, and keeps every run. ', h('a', { href: '#/runs' }, 'Scoring runs'), ' lists them, runs one as of a date and compares two.'),
    ),
  );

  let timer = null;
  let stopped = false;
  const refresh = async () => {
    await fill(body, async () => {
      const result = await getJson('/projections');
      renderTable(body, Array.isArray(result) ? result : (result?.projections ?? []));
      note.textContent = `updated ${new Date().toLocaleTimeString()} · refreshes every ${REFRESH_MS / 1000} s`;
    });
    if (!stopped) timer = setTimeout(refresh, REFRESH_MS);
  };
  onLeave(() => {
    stopped = true;
    clearTimeout(timer);
  });
  await refresh();
}

const STATE_BADGE = { live: 'st-kept_on_time', catching_up: 'st-due_soon', rebuilding: 'st-kept_late', stopped: 'st-broken' };

function renderTable(body, projections) {
  if (projections.length === 0) return unavailable(body, 'No projection is registered.');
  const maxBehind = Math.max(1, ...projections.map((p) => p.eventsBehind ?? 0));
  body.replaceChildren(
    table(
      ['projection', 'state', h('th', { class: 'num' }, 'version'), h('th', { class: 'num' }, 'checkpoint'), h('th', { class: 'num' }, 'head'), 'events behind', h('th', { class: 'num' }, 'seconds behind'), h('th', { class: 'num' }, 'parked'), 'rebuild', 'last error'],
      projections.map((p) =>
        h(
          'tr',
          {},
          h('td', {}, h('strong', {}, p.name)),
          h('td', {}, h('span', { class: `badge ${STATE_BADGE[p.state] ?? ''}` }, String(p.state ?? '–').replace('_', ' '))),
          h('td', { class: 'num' }, p.version ?? '–'),
          h('td', { class: 'num' }, num(p.checkpoint)),
          h('td', { class: 'num' }, num(p.headPosition)),
          h('td', {}, lagBar(p.eventsBehind ?? 0, maxBehind)),
          h('td', { class: 'num' }, num(p.secondsBehind, 1)),
          h('td', { class: 'num' + (p.parked ? ' flag' : '') }, num(p.parked)),
          h('td', {}, p.rebuild ? `v${p.rebuild.version}: ${num(p.rebuild.eventsBehind)} behind` : ''),
          h('td', { class: 'small error', style: { whiteSpace: 'normal' } }, p.lastError ?? ''),
        ),
      ),
    ),
  );
}

function lagBar(behind, max) {
  const width = behind === 0 ? 0 : Math.max(2, Math.round((behind / max) * 120));
  return h('span', {}, h('span', { style: { display: 'inline-block', width: `${width}px`, height: '8px', background: behind ? '#f59e0b' : '#16a34a', borderRadius: '4px', marginRight: '6px', verticalAlign: 'middle' } }), num(behind));
}
