// Projections: each read model's state and lag, refreshed every few seconds; the scoring job on demand.
import { getJson } from '../api.js';
import { fill, h, num, table, unavailable } from '../dom.js';
import { formatDateTime, statusLabel, t } from '../i18n.js';

const REFRESH_MS = 3000;

export async function renderProjections({ main, onLeave }) {
  const body = h('div', {}, h('p', { class: 'muted' }, t('common.loading')));
  const note = h('span', { class: 'refresh-note' });
  main.append(
    h('h1', {}, t('nav.projections'), note),
    h('section', { class: 'panel' }, body),
    h(
      'section',
      { class: 'panel', style: { marginTop: '16px' } },
      h('h2', {}, t('projections.scoring')),
      h('p', { class: 'muted small' }, t('projections.scoringExplain'), ' ', h('a', { href: '#/runs' }, t('nav.runs'))),
    ),
  );

  let timer = null;
  let stopped = false;
  const refresh = async () => {
    await fill(body, async () => {
      const result = await getJson('/projections');
      renderTable(body, Array.isArray(result) ? result : (result?.projections ?? []), result);
      note.textContent = t('projections.updated', { time: formatDateTime(Date.now(), true), seconds: num(REFRESH_MS / 1000) });
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

function renderTable(body, projections, cluster) {
  if (projections.length === 0) return unavailable(body, t('projections.none'));
  // Which projector worker owns each read model (its lease), and who leads the cluster jobs.
  const workers = Array.isArray(cluster?.workers)
    ? h('p', { class: 'muted small' }, t('projections.workers', { count: num(cluster.workers.length), leader: cluster.leader ?? t('projections.noOwner') }))
    : '';
  const maxBehind = Math.max(1, ...projections.map((p) => p.eventsBehind ?? 0));
  body.replaceChildren(
    workers,
    table(
      [t('projections.col.projection'), t('projections.col.state'), h('th', { class: 'num' }, t('projections.col.version')), h('th', { class: 'num' }, t('projections.col.checkpoint')), h('th', { class: 'num' }, t('projections.col.head')), t('projections.col.eventsBehind'), h('th', { class: 'num' }, t('projections.col.secondsBehind')), h('th', { class: 'num' }, t('projections.col.parked')), t('projections.col.rebuild'), t('projections.col.owner'), t('projections.col.lastError')],
      projections.map((p) =>
        h(
          'tr',
          {},
          h('td', {}, h('strong', {}, p.name)),
          h('td', {}, h('span', { class: `badge ${STATE_BADGE[p.state] ?? ''}` }, statusLabel(p.state))),
          h('td', { class: 'num' }, p.version ?? '–'),
          h('td', { class: 'num' }, num(p.checkpoint)),
          h('td', { class: 'num' }, num(p.headPosition)),
          h('td', {}, lagBar(p.eventsBehind ?? 0, maxBehind)),
          h('td', { class: 'num' }, num(p.secondsBehind, 1)),
          h('td', { class: 'num' + (p.parked ? ' flag' : '') }, num(p.parked)),
          h('td', {}, p.rebuild ? t('projections.rebuilding', { version: p.rebuild.version, behind: num(p.rebuild.eventsBehind) }) : ''),
          h('td', { class: 'small' + (p.owner && !p.owner.worker ? ' flag' : '') }, p.owner ? (p.owner.worker ? `${p.owner.worker} (${p.owner.token})` : t('projections.noOwner')) : ''),
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
