// Thin wrappers over Chart.js (loaded as a classic script: window.Chart) with the console's look.
import { h } from './dom.js';
import { formatDate, language, t } from './i18n.js';

export const PALETTE = { accent: '#2563eb', good: '#16a34a', bad: '#dc2626', warn: '#d97706', grey: '#94a3b8', ink: '#1f2933' };
export const TIER_COLOURS = { A: '#1d4ed8', B: '#818cf8', C: '#cbd5e1' };
export const STAGE_COLOURS = {
  prospect: '#94a3b8', acquisition: '#38bdf8', growth: '#22c55e', maturity: '#15803d', decline: '#f59e0b', departure: '#dc2626',
};

const charts = new Set();

/** Destroys the charts of the page being left (Chart.js keeps listeners on each canvas). */
export function destroyCharts() {
  for (const chart of charts) chart.destroy();
  charts.clear();
}

/** Appends a sized canvas to `container` and draws a chart in it. */
export function chart(container, config, { tall = false } = {}) {
  if (!window.Chart) throw new Error(t('common.noChartLibrary'));
  const canvas = h('canvas');
  container.append(h('div', { class: tall ? 'chart tall' : 'chart' }, canvas));
  const instance = new window.Chart(canvas, {
    ...config,
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      ...config.options,
      plugins: { legend: { labels: { boxWidth: 12 } }, ...config.options?.plugins },
    },
  });
  charts.add(instance);
  return instance;
}

/** Chart.js formats its own numbers (ticks, tooltips) in this locale. */
export function localiseCharts() {
  if (window.Chart) window.Chart.defaults.locale = language();
}

/** Axis ticks for epoch-millisecond x values (no date adapter needed). */
export const dateTicks = { callback: (value) => formatDate(value), maxTicksLimit: 8, maxRotation: 0 };
