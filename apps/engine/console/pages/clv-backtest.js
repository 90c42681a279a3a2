// CLV back-test panel: calibration-period frequency against mean holdout purchases, actual and predicted
// (as lifetimes' calibration-vs-holdout plot), with the error measures and interval coverage.
import { getJson } from '../api.js';
import { chart, PALETTE } from '../charts.js';
import { backtestFacts, backtestSeries } from '../clv-backtest-math.js';
import { date, h, num, unavailable } from '../dom.js';
import { codeLabel, formatPercent, t } from '../i18n.js';

/** Fills `body` with the back-test at the default split, and a form to choose another. */
export async function renderClvBacktest(body) {
  const calibrationEnd = h('input', { type: 'date', 'aria-label': t('backtest.calibrationEnds') });
  const holdoutEnd = h('input', { type: 'date', 'aria-label': t('backtest.holdoutEnds') });
  const result = h('div', {});
  const form = h(
    'form',
    { class: 'filters', onsubmit: (event) => (event.preventDefault(), load()) },
    h('label', {}, t('backtest.calibrationEnds'), ' ', calibrationEnd),
    h('label', {}, t('backtest.holdoutEnds'), ' ', holdoutEnd),
    h('button', { type: 'submit' }, t('backtest.run')),
  );
  body.replaceChildren(form, result);

  async function load() {
    const query = new URLSearchParams();
    if (calibrationEnd.value) query.set('calibrationEnd', calibrationEnd.value);
    if (holdoutEnd.value) query.set('holdoutEnd', holdoutEnd.value);
    result.replaceChildren(h('p', { class: 'muted small' }, t('backtest.fitting')));
    try {
      const search = query.toString();
      const report = await getJson(`/analytics/models/clv/backtest${search ? `?${search}` : ''}`);
      if (!calibrationEnd.value) calibrationEnd.value = report.calibrationEnd.slice(0, 10);
      if (!holdoutEnd.value) holdoutEnd.value = report.holdoutEnd.slice(0, 10);
      draw(result, report);
    } catch (error) {
      unavailable(result, error);
    }
  }
  await load();
}

function draw(container, report) {
  const series = backtestSeries(report);
  container.replaceChildren();
  chart(container, {
    type: 'bar',
    data: {
      labels: series.labels,
      datasets: [
        { type: 'line', label: t('backtest.predicted'), data: series.predicted, borderColor: PALETTE.accent, backgroundColor: PALETTE.accent, pointRadius: 3, borderWidth: 2 },
        { label: t('backtest.actual'), data: series.actual, backgroundColor: 'rgba(148,163,184,.7)' },
      ],
    },
    options: {
      scales: {
        x: { title: { display: true, text: t('backtest.xAxis') } },
        y: { beginAtZero: true, title: { display: true, text: t('backtest.yAxis') } },
      },
      plugins: { tooltip: { callbacks: { afterBody: (items) => t('backtest.customersTooltip', { count: series.customers[items[0].dataIndex], n: num(series.customers[items[0].dataIndex]) }) } } },
    },
  });
  container.append(
    h('dl', { class: 'facts' }, backtestFacts(report).flatMap(([key, values]) => [h('dt', {}, t(`${key}.label`, shown(values))), h('dd', {}, t(`${key}.text`, shown(values)))])),
    ...(report.fit.warnings ?? []).map((w) => h('p', { class: 'error small' }, w)),
  );
}

/** The values of a fact row, formatted: times as days, shares as percentages, counts and errors as numbers. */
function shown(values) {
  const out = {};
  for (const [name, value] of Object.entries(values)) {
    if (['from', 'to'].includes(name)) out[name] = date(value);
    else if (['error', 'level', 'share'].includes(name)) out[name] = formatPercent(value, name === 'level' ? 0 : 1);
    else if (['mae', 'rmse', 'correlation'].includes(name)) out[name] = num(value, 3);
    else if (name === 'unit') out[name] = codeLabel('backtest.units', value);
    else out[name] = num(value);
  }
  return out;
}
