// CLV back-test panel: calibration-period frequency against mean holdout purchases, actual and predicted
// (as lifetimes' calibration-vs-holdout plot), with the error measures and interval coverage.
import { getJson } from '../api.js';
import { chart, PALETTE } from '../charts.js';
import { backtestFacts, backtestSeries } from '../clv-backtest-math.js';
import { h, unavailable } from '../dom.js';

/** Fills `body` with the back-test at the default split, and a form to choose another. */
export async function renderClvBacktest(body) {
  const calibrationEnd = h('input', { type: 'date', 'aria-label': 'calibration end' });
  const holdoutEnd = h('input', { type: 'date', 'aria-label': 'holdout end' });
  const result = h('div', {});
  const form = h(
    'form',
    { class: 'filters', onsubmit: (event) => (event.preventDefault(), load()) },
    h('label', {}, 'calibration ends ', calibrationEnd),
    h('label', {}, ' holdout ends ', holdoutEnd),
    h('button', { type: 'submit' }, 'Run back-test'),
  );
  body.replaceChildren(form, result);

  async function load() {
    const query = new URLSearchParams();
    if (calibrationEnd.value) query.set('calibrationEnd', calibrationEnd.value);
    if (holdoutEnd.value) query.set('holdoutEnd', holdoutEnd.value);
    result.replaceChildren(h('p', { class: 'muted small' }, 'Fitting…'));
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
        { type: 'line', label: 'predicted (BG/NBD)', data: series.predicted, borderColor: PALETTE.accent, backgroundColor: PALETTE.accent, pointRadius: 3, borderWidth: 2 },
        { label: 'actual', data: series.actual, backgroundColor: 'rgba(148,163,184,.7)' },
      ],
    },
    options: {
      scales: {
        x: { title: { display: true, text: 'purchases in the calibration period (repeat days)' } },
        y: { beginAtZero: true, title: { display: true, text: 'mean purchases in the holdout' } },
      },
      plugins: { tooltip: { callbacks: { afterBody: (items) => `${series.customers[items[0].dataIndex]} customers` } } },
    },
  });
  container.append(
    h('dl', { class: 'facts' }, backtestFacts(report).flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
    ...(report.fit.warnings ?? []).map((w) => h('p', { class: 'error small' }, w)),
  );
}
