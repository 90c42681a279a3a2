// Scoring runs: every run kept as a record (as of, known at, who, the CLV fit), a run as of a past date
// on demand, and two runs compared: how their customers moved between stages and tiers.
import { getJson, post } from '../api.js';
import { date, fill, h, num, panel, table, unavailable } from '../dom.js';
import { codeLabel, stageLabel, statusLabel, t } from '../i18n.js';

const STATUS_BADGE = { succeeded: 'st-kept_on_time', running: 'st-due_soon', failed: 'st-broken' };

export async function renderRuns({ main, params, navigate }) {
  const list = panel(t('nav.runs'), 12);
  const start = panel(t('runs.run'), 12);
  const compare = panel(t('runs.compare'), 12);
  main.append(h('h1', {}, t('nav.runs')), h('div', { class: 'grid' }, start.el, list.el, compare.el));
  renderStartForm(start.body, () => navigate('/runs'));
  let runs = [];
  await fill(list.body, async () => {
    const answer = await getJson('/analytics/scoring/runs');
    runs = answer.runs ?? [];
    renderList(list.body, runs, answer.current);
  });
  renderCompare(compare.body, runs, params, navigate);
}

function renderStartForm(body, done) {
  const asOf = h('input', { type: 'date', 'aria-label': t('time.asOfLabel') });
  const knownAt = h('input', { type: 'date', 'aria-label': t('time.knownAtLabel') });
  const button = h('button', { type: 'button' }, t('runs.run'));
  const result = h('span', { class: 'muted small' });
  button.addEventListener('click', async () => {
    const query = new URLSearchParams();
    if (asOf.value) query.set('asOf', `${asOf.value}T00:00:00Z`);
    if (knownAt.value) query.set('knownAt', `${knownAt.value}T23:59:59Z`);
    button.disabled = true;
    result.textContent = t('runs.scoring');
    try {
      const report = await post(`/projections/scoring/run${query.size ? `?${query}` : ''}`);
      const run = report?.run;
      result.textContent = run ? t('runs.done', { id: run.id, customers: num(run.population?.customers), date: date(run.asOf), ms: num(run.durationMs) }) : t('runs.doneShort');
      done();
    } catch (error) {
      result.textContent = error.status === 403 ? t('runs.adminOnly') : t('common.refused', { message: error.message });
    } finally {
      button.disabled = false;
    }
  });
  body.replaceChildren(
    h('p', { class: 'muted small' }, t('runs.explain')),
    h('div', { class: 'pager' }, h('label', {}, t('time.asOf'), ' ', asOf), h('label', {}, t('time.knownAt'), ' ', knownAt), button, result),
  );
}

function renderList(body, runs, currentId) {
  if (runs.length === 0) return unavailable(body, t('runs.none'));
  body.replaceChildren(
    table(
      [t('runs.col.run'), t('time.asOf'), t('time.knownAt'), t('runs.col.trigger'), t('runs.col.by'), t('runs.col.status'), h('th', { class: 'num' }, t('overview.customersLabel')), h('th', { class: 'num' }, t('runs.col.buyers')), t('runs.col.clvFit'), t('runs.col.params'), h('th', { class: 'num' }, t('runs.col.ms')), t('runs.col.kept')],
      runs.map((r) => {
        const fit = r.clvModel?.bgNbd?.params;
        return h(
          'tr',
          {},
          h('td', {}, h('strong', {}, r.id), r.id === currentId ? h('span', { class: 'badge st-kept_on_time', style: { marginLeft: '6px' } }, t('runs.current')) : null),
          h('td', {}, date(r.asOf)),
          h('td', { title: r.knownAt }, date(r.knownAt)),
          h('td', {}, codeLabel('runs.trigger', r.trigger)),
          h('td', {}, `${r.ranBy?.id ?? '–'} (${r.ranBy?.role ?? '–'})`),
          h('td', {}, h('span', { class: `badge ${STATUS_BADGE[r.status] ?? ''}`, title: r.error ?? '' }, statusLabel(r.status))),
          h('td', { class: 'num' }, num(r.population?.customers)),
          h('td', { class: 'num' }, num(r.population?.buyers)),
          h('td', {}, r.clvModel?.status ? codeLabel('overview.clv.statuses', r.clvModel.status) : '–'),
          h('td', { class: 'small' }, fit ? [fit.r, fit.alpha, fit.a, fit.b].map((x) => num(x, 3)).join(', ') : '–'),
          h('td', { class: 'num' }, num(r.durationMs)),
          h('td', {}, r.customers ? t('common.yes') : t('runs.pruned')),
        );
      }),
    ),
  );
}

function renderCompare(body, runs, params, navigate) {
  const kept = runs.filter((r) => r.status === 'succeeded');
  if (kept.length < 2) return unavailable(body, t('runs.needTwo'));
  const select = (name, chosen) =>
    h('select', { 'aria-label': name }, kept.map((r) => h('option', { value: r.id, selected: r.id === chosen }, t('runs.option', { id: r.id, date: date(r.asOf) }))));
  const a = select(t('runs.earlier'), params.get('a') ?? kept[1].id);
  const b = select(t('runs.later'), params.get('b') ?? kept[0].id);
  const out = h('div', {});
  const button = h('button', { type: 'button' }, t('runs.compareButton'));
  button.addEventListener('click', () => navigate('/runs', { a: a.value, b: b.value }));
  body.replaceChildren(h('div', { class: 'pager' }, a, b, button), out);
  if (params.get('a') && params.get('b')) fill(out, async () => renderComparison(out, await getJson(`/analytics/scoring/runs/compare?a=${encodeURIComponent(params.get('a'))}&b=${encodeURIComponent(params.get('b'))}`)));
}

function renderComparison(body, { a, b, movement }) {
  const fit = (r) => r.clvModel?.bgNbd?.params ?? {};
  const rows = [
    [t('time.asOf'), date(a.asOf), date(b.asOf)],
    [t('time.knownAt'), date(a.knownAt), date(b.knownAt)],
    [t('overview.customersLabel'), num(a.population?.customers), num(b.population?.customers)],
    [t('runs.repeatBuyers'), num(a.population?.repeatBuyers), num(b.population?.repeatBuyers)],
    ...['r', 'alpha', 'a', 'b'].map((p) => [t('runs.bgNbdParam', { param: p }), num(fit(a)[p], 4), num(fit(b)[p], 4)]),
  ];
  const parts = [table(['', a.id, b.id], rows.map((cells) => h('tr', {}, cells.map((c) => h('td', {}, c)))))];
  if (!movement) parts.push(h('p', { class: 'muted small' }, t('runs.recordsOnly')));
  else {
    const moves = (matrix, label) =>
      Object.entries(matrix).flatMap(([from, row]) => Object.entries(row).map(([to, n]) => h('tr', {}, h('td', {}, `${label(from)} → ${label(to)}`), h('td', { class: 'num' }, num(n)))));
    parts.push(
      h('p', {}, t('runs.movement', { both: num(movement.inBoth), onlyA: num(movement.onlyInA), a: a.id, onlyB: num(movement.onlyInB), b: b.id })),
      h('h3', {}, t('runs.stageChanges')),
      table([t('runs.fromTo'), h('th', { class: 'num' }, t('overview.customersLabel'))], moves(movement.stages, stageLabel)),
      h('h3', {}, t('runs.tierChanges')),
      table([t('runs.fromTo'), h('th', { class: 'num' }, t('overview.customersLabel'))], moves(movement.tiers, (tier) => tier)),
    );
  }
  body.replaceChildren(...parts);
}
