// Scoring runs: every run kept as a record (as of, known at, who, the CLV fit), a run as of a past date
// on demand, and two runs compared: how their customers moved between stages and tiers.
import { getJson, post } from '../api.js';
import { date, fill, h, num, panel, table, unavailable } from '../dom.js';

const STATUS_BADGE = { succeeded: 'st-kept_on_time', running: 'st-due_soon', failed: 'st-broken' };

export async function renderRuns({ main, params, navigate }) {
  const list = panel('Scoring runs', 12);
  const start = panel('Run scoring', 12);
  const compare = panel('Compare two runs', 12);
  main.append(h('h1', {}, 'Scoring runs'), h('div', { class: 'grid' }, start.el, list.el, compare.el));
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
  const asOf = h('input', { type: 'date', 'aria-label': 'as of (business time)' });
  const knownAt = h('input', { type: 'date', 'aria-label': 'known at (recording time)' });
  const button = h('button', { type: 'button' }, 'Run scoring');
  const result = h('span', { class: 'muted small' });
  button.addEventListener('click', async () => {
    const query = new URLSearchParams();
    if (asOf.value) query.set('asOf', `${asOf.value}T00:00:00Z`);
    if (knownAt.value) query.set('knownAt', `${knownAt.value}T23:59:59Z`);
    button.disabled = true;
    result.textContent = 'Scoring…';
    try {
      const report = await post(`/projections/scoring/run${query.size ? `?${query}` : ''}`);
      const run = report?.run;
      result.textContent = run ? `${run.id}: ${num(run.population?.customers)} customers as of ${date(run.asOf)} in ${num(run.durationMs)} ms.` : 'Scoring done.';
      done();
    } catch (error) {
      result.textContent = error.status === 403 ? 'Only an admin key may run the scoring job.' : `Refused: ${error.message}`;
    } finally {
      button.disabled = false;
    }
  });
  body.replaceChildren(
    h('p', { class: 'muted small' }, 'A run as of a date uses only what had occurred by then (and, with "known at", only what had been recorded by then). Every run is kept; the current answers come from the run with the latest as-of date.'),
    h('div', { class: 'pager' }, h('label', {}, 'as of ', asOf), h('label', {}, 'known at ', knownAt), button, result),
  );
}

function renderList(body, runs, currentId) {
  if (runs.length === 0) return unavailable(body, 'No scoring run yet.');
  body.replaceChildren(
    table(
      ['run', 'as of', 'known at', 'trigger', 'by', 'status', h('th', { class: 'num' }, 'customers'), h('th', { class: 'num' }, 'buyers'), 'CLV fit', 'r, α, a, b', h('th', { class: 'num' }, 'ms'), 'customers kept'],
      runs.map((r) => {
        const fit = r.clvModel?.bgNbd?.params;
        return h(
          'tr',
          {},
          h('td', {}, h('strong', {}, r.id), r.id === currentId ? h('span', { class: 'badge st-kept_on_time', style: { marginLeft: '6px' } }, 'current') : null),
          h('td', {}, date(r.asOf)),
          h('td', { title: r.knownAt }, date(r.knownAt)),
          h('td', {}, r.trigger),
          h('td', {}, `${r.ranBy?.id ?? '–'} (${r.ranBy?.role ?? '–'})`),
          h('td', {}, h('span', { class: `badge ${STATUS_BADGE[r.status] ?? ''}`, title: r.error ?? '' }, r.status)),
          h('td', { class: 'num' }, num(r.population?.customers)),
          h('td', { class: 'num' }, num(r.population?.buyers)),
          h('td', {}, r.clvModel?.status ?? '–'),
          h('td', { class: 'small' }, fit ? [fit.r, fit.alpha, fit.a, fit.b].map((x) => num(x, 3)).join(', ') : '–'),
          h('td', { class: 'num' }, num(r.durationMs)),
          h('td', {}, r.customers ? 'yes' : 'pruned'),
        );
      }),
    ),
  );
}

function renderCompare(body, runs, params, navigate) {
  const kept = runs.filter((r) => r.status === 'succeeded');
  if (kept.length < 2) return unavailable(body, 'Two succeeded runs are needed for a comparison.');
  const select = (name, chosen) =>
    h('select', { 'aria-label': name }, kept.map((r) => h('option', { value: r.id, selected: r.id === chosen }, `${r.id} · as of ${date(r.asOf)}`)));
  const a = select('earlier run', params.get('a') ?? kept[1].id);
  const b = select('later run', params.get('b') ?? kept[0].id);
  const out = h('div', {});
  const button = h('button', { type: 'button' }, 'Compare');
  button.addEventListener('click', () => navigate('/runs', { a: a.value, b: b.value }));
  body.replaceChildren(h('div', { class: 'pager' }, a, b, button), out);
  if (params.get('a') && params.get('b')) fill(out, async () => renderComparison(out, await getJson(`/analytics/scoring/runs/compare?a=${encodeURIComponent(params.get('a'))}&b=${encodeURIComponent(params.get('b'))}`)));
}

function renderComparison(body, { a, b, movement }) {
  const fit = (r) => r.clvModel?.bgNbd?.params ?? {};
  const rows = [
    ['as of', date(a.asOf), date(b.asOf)],
    ['known at', date(a.knownAt), date(b.knownAt)],
    ['customers', num(a.population?.customers), num(b.population?.customers)],
    ['repeat buyers', num(a.population?.repeatBuyers), num(b.population?.repeatBuyers)],
    ...['r', 'alpha', 'a', 'b'].map((p) => [`BG/NBD ${p}`, num(fit(a)[p], 4), num(fit(b)[p], 4)]),
  ];
  const parts = [table(['', a.id, b.id], rows.map((cells) => h('tr', {}, cells.map((c) => h('td', {}, c)))))];
  if (!movement) parts.push(h('p', { class: 'muted small' }, 'One of the runs no longer keeps its customers: only the records are compared.'));
  else {
    const moves = (matrix) =>
      Object.entries(matrix).flatMap(([from, row]) => Object.entries(row).map(([to, n]) => h('tr', {}, h('td', {}, `${from} → ${to}`), h('td', { class: 'num' }, num(n)))));
    parts.push(
      h('p', {}, `${num(movement.inBoth)} customers in both runs, ${num(movement.onlyInA)} only in ${a.id}, ${num(movement.onlyInB)} only in ${b.id}.`),
      h('h3', {}, 'Stage changes'),
      table(['from → to', h('th', { class: 'num' }, 'customers')], moves(movement.stages)),
      h('h3', {}, 'Tier changes'),
      table(['from → to', h('th', { class: 'num' }, 'customers')], moves(movement.tiers)),
    );
  }
  body.replaceChildren(...parts);
}
