// Cohort retention: customers by month of first purchase × months since, as a heat map of the share
// still active (or of revenue retained), with the size-weighted mean of every cohort beneath.
import { getJson } from '../api.js';
import { heatColour, queryString } from '../console-math.js';
import { chart, PALETTE } from '../charts.js';
import { fill, h, num, panel } from '../dom.js';
import { formatMoney, formatMonth, formatPercent, t } from '../i18n.js';
import { cohortGrid } from '../kpi-math.js';
import { timeForm } from './time-form.js';

const KEYS = ['asOf', 'knownAt', 'metric', 'from', 'to', 'months'];

export async function renderCohorts({ main, params, navigate }) {
  const chosen = Object.fromEntries(KEYS.filter((k) => params.get(k)).map((k) => [k, params.get(k)]));
  main.append(h('h1', {}, t('nav.cohorts')));
  const extra = [
    h('label', {}, t('cohorts.metric'), h('select', { name: 'metric' }, ['customers', 'revenue'].map((m) => h('option', { value: m, selected: (chosen.metric ?? 'customers') === m }, t(`cohorts.metrics.${m}`))))),
    h('label', {}, t('cohorts.months'), h('input', { name: 'months', type: 'number', min: 1, max: 120, value: chosen.months ?? '' })),
  ];
  main.append(h('section', { class: 'panel' }, timeForm(chosen, extra, (values) => navigate('/cohorts', values), { range: true })));
  const heat = panel(t('cohorts.title'), 12);
  const curve = panel(t('cohorts.curve'), 12);
  main.append(h('div', { class: 'grid', style: { marginTop: '16px' } }, heat.el, curve.el));
  const query = queryString(chosen);
  const answer = getJson(`/analytics/cohorts${query ? `?${query}` : ''}`);
  await Promise.all([fill(heat.body, async () => renderHeat(heat.body, await answer)), fill(curve.body, async () => renderCurve(curve.body, await answer))]);
}

function renderHeat(body, answer) {
  const grid = cohortGrid(answer);
  if (grid.rows.length === 0) {
    body.replaceChildren(h('div', { class: 'unavailable' }, t('cohorts.none')));
    return;
  }
  const revenue = answer.metric === 'revenue';
  const share = (cell) => (cell ? (revenue ? cell.revenueRetained : cell.retention) : null);
  const max = Math.max(0, ...grid.rows.flatMap((row) => row.cells.slice(1).map((cell) => share(cell) ?? 0)));
  const cellOf = (value, title) => {
    if (value === null) return h('td', { class: 'empty' });
    const dark = max > 0 && value / max > 0.55;
    return h('td', { style: { background: heatColour(Math.min(value, max), max), color: dark ? '#fff' : '' }, title }, formatPercent(value, 0));
  };
  const rows = grid.rows.map((row) =>
    h(
      'tr',
      {},
      h('th', {}, formatMonth(row.cohort)),
      h('td', { class: 'num' }, revenue ? formatMoney(row.revenue0) : num(row.size)),
      row.cells.map((cell, k) =>
        cellOf(share(cell), cell ? t('cohorts.cellTitle', { cohort: formatMonth(row.cohort), month: k, active: num(cell.active), size: num(row.size), revenue: formatMoney(cell.revenue) }) : null),
      ),
    ),
  );
  const mean = h('tr', { class: 'mean' }, h('th', {}, t('cohorts.mean')), h('td', {}), grid.mean.map((value) => cellOf(value, t('cohorts.meanTitle'))));
  body.replaceChildren(
    h('p', { class: 'muted small' }, t(revenue ? 'cohorts.explainRevenue' : 'cohorts.explainCustomers')),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'heat cohorts' },
        h('thead', {}, h('tr', {}, h('th', {}, t('cohorts.cohort')), h('th', { class: 'num' }, revenue ? t('cohorts.revenue0') : t('cohorts.size')), grid.columns.map((k) => h('th', { class: 'num' }, t('cohorts.monthN', { n: k }))))),
        h('tbody', {}, rows, mean),
      ),
    ),
  );
}

/** The mean retention curve, and the curves of the six latest cohorts that lived past their first month. */
function renderCurve(body, answer) {
  const grid = cohortGrid(answer);
  if (grid.rows.length === 0) return body.replaceChildren(h('div', { class: 'unavailable' }, t('cohorts.none')));
  const revenue = answer.metric === 'revenue';
  const share = (cell) => (cell ? (revenue ? cell.revenueRetained : cell.retention) : null);
  const recent = grid.rows.filter((row) => row.cells.filter(Boolean).length > 1).slice(-6);
  const shades = ['#93c5fd', '#60a5fa', '#3b82f6', '#2563eb', '#1d4ed8', '#1e3a8a'];
  body.replaceChildren();
  chart(body, {
    type: 'line',
    data: {
      labels: grid.columns.map((k) => t('cohorts.monthN', { n: k })),
      datasets: [
        { label: t('cohorts.mean'), data: grid.mean.map((v) => (v === null ? null : v * 100)), borderColor: PALETTE.bad, borderWidth: 3, pointRadius: 0 },
        ...recent.map((row, i) => ({ label: formatMonth(row.cohort), data: row.cells.map((cell) => (share(cell) === null ? null : share(cell) * 100)), borderColor: shades[i + shades.length - recent.length], borderWidth: 1, pointRadius: 0 })),
      ],
    },
    options: {
      scales: { y: { beginAtZero: true, title: { display: true, text: t(revenue ? 'cohorts.revenueAxis' : 'cohorts.retentionAxis') } } },
      plugins: { tooltip: { callbacks: { label: (ctx) => `${ctx.dataset.label}: ${formatPercent(ctx.parsed.y / 100)}` } } },
    },
  });
}
