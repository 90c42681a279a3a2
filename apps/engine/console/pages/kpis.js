// Service KPIs: NPS, CSAT, CES, complaint response and resolution times, promise-kept, repeat-purchase
// and churn rates, by week or month and by a dimension, as of any date; and what drives NPS and CSAT.
import { getJson } from '../api.js';
import { chart, PALETTE } from '../charts.js';
import { queryString } from '../console-math.js';
import { date, fill, h, num, panel, table, unavailable } from '../dom.js';
import { codeLabel, formatHours, formatPercent, t } from '../i18n.js';
import { driverRows, kpiDefinitions, kpiReading, kpiSeries } from '../kpi-math.js';
import { timeForm } from './time-form.js';

const DIMENSIONS = ['region', 'city', 'channel', 'acquisitionChannel', 'tier', 'stage', 'agent'];
const KEYS = ['asOf', 'knownAt', 'period', 'by', 'from', 'to', 'churnDays', 'windowDays'];

/** A KPI's value in its unit; a dash without data. */
export function kpiValue(reading) {
  if (reading.value === null) return '–';
  switch (reading.unit) {
    case 'points':
      return num(reading.value, 1);
    case 'percent':
      return formatPercent(reading.value / 100);
    case 'share':
      return formatPercent(reading.value);
    case 'hours':
      return formatHours(reading.value);
    default:
      return num(reading.value, 2);
  }
}

/** The counts behind a KPI, in a short sentence. */
function kpiNote(reading) {
  const d = reading.detail;
  const n = (v) => num(v ?? 0);
  switch (reading.id) {
    case 'nps':
      return t('kpis.note.nps', { promoters: n(d.promoters), passives: n(d.passives), detractors: n(d.detractors), count: reading.count, responses: n(reading.count) });
    case 'csat':
      return t('kpis.note.csat', { satisfied: n(d.satisfied), count: reading.count, responses: n(reading.count) });
    case 'ces':
      return t('kpis.note.responses', { count: reading.count, responses: n(reading.count) });
    case 'firstResponseHours':
    case 'resolutionHours':
      return t('kpis.note.hours', { p90: reading.p90 === null ? '–' : formatHours(reading.p90), count: reading.count, complaints: n(reading.count) });
    case 'promiseKeptRate':
      return t('kpis.note.promises', { kept: n(d.keptOnTime), due: n(d.due) });
    case 'repeatPurchaseRate':
      return t('kpis.note.repeat', { repeaters: n(d.repeaters), purchasers: n(d.purchasers) });
    default:
      return t('kpis.note.churn', { churned: n(d.churned), active: n(d.activeAtStart) });
  }
}

export async function renderKpis({ main, params, navigate }) {
  const chosen = Object.fromEntries(KEYS.filter((k) => params.get(k)).map((k) => [k, params.get(k)]));
  main.append(h('h1', {}, t('nav.kpis')));
  const extra = [
    h('label', {}, t('kpis.period'), h('select', { name: 'period' }, ['month', 'week'].map((p) => h('option', { value: p, selected: (chosen.period ?? 'month') === p }, t(`kpis.periods.${p}`))))),
    h('label', {}, t('kpis.by'), h('select', { name: 'by' }, h('option', { value: '' }, t('kpis.noDimension')), DIMENSIONS.map((d) => h('option', { value: d, selected: chosen.by === d }, t(`kpis.dimension.${d}`))))),
    h('label', {}, t('kpis.churnDays'), h('input', { name: 'churnDays', type: 'number', min: 30, max: 730, value: chosen.churnDays ?? '', placeholder: '180' })),
    h('label', {}, t('kpis.windowDays'), h('input', { name: 'windowDays', type: 'number', min: 1, max: 365, value: chosen.windowDays ?? '', placeholder: '30' })),
  ];
  main.append(h('section', { class: 'panel' }, timeForm(chosen, extra, (values) => navigate('/kpis', values), { range: true })));

  const tiles = h('div', { class: 'grid', style: { marginTop: '16px' } });
  const trend = panel(t('kpis.trend'), 8);
  const drivers = panel(t('kpis.drivers'), 4);
  const periods = panel(t('kpis.byPeriod'), 12);
  const groups = panel(chosen.by ? t('kpis.byGroup', { dimension: t(`kpis.dimension.${chosen.by}`) }) : t('kpis.groups'), 12);
  const grid = h('div', { class: 'grid', style: { marginTop: '16px' } }, trend.el, drivers.el, periods.el, ...(chosen.by ? [groups.el] : []));
  main.append(tiles, grid);

  const query = queryString({ ...chosen, windowDays: undefined });
  const report = getJson(`/analytics/kpis${query ? `?${query}` : ''}`);
  const driverQuery = queryString({ asOf: chosen.asOf, knownAt: chosen.knownAt, from: chosen.from, to: chosen.to, windowDays: chosen.windowDays });
  await Promise.all([
    fill(tiles, async () => renderTiles(tiles, await report)),
    fill(trend.body, async () => renderTrend(trend.body, await report)),
    fill(periods.body, async () => renderPeriods(periods.body, await report)),
    chosen.by ? fill(groups.body, async () => renderGroups(groups.body, await report)) : null,
    fill(drivers.body, async () => renderDrivers(drivers.body, await getJson(`/analytics/kpis/drivers${driverQuery ? `?${driverQuery}` : ''}`))),
  ]);
}

function renderTiles(container, report) {
  container.replaceChildren(
    ...kpiDefinitions().map((definition) => {
      const reading = kpiReading(report.totals, definition);
      return h(
        'div',
        { class: 'panel kpi span-3', 'data-kpi': definition.id },
        h('div', { class: 'label', title: t(`kpis.formula.${definition.id}`) }, t(`kpis.name.${definition.id}`)),
        h('div', { class: 'value' }, kpiValue(reading)),
        h('div', { class: 'muted small' }, kpiNote(reading)),
      );
    }),
  );
}

function renderTrend(body, report) {
  const { labels, series } = kpiSeries(report, ['nps', 'csat']);
  if (labels.length === 0) return unavailable(body, t('kpis.noPeriods'));
  body.replaceChildren();
  chart(body, {
    type: 'line',
    data: {
      labels,
      datasets: [
        { label: t('kpis.name.nps'), data: series.nps, borderColor: PALETTE.accent, spanGaps: true, yAxisID: 'y' },
        { label: t('kpis.name.csat'), data: series.csat, borderColor: PALETTE.good, spanGaps: true, yAxisID: 'y' },
      ],
    },
    options: { scales: { y: { min: -100, max: 100, title: { display: true, text: t('kpis.scoreAxis') } } } },
  });
}

const head = () => [t('kpis.periodColumn'), ...kpiDefinitions().map((d) => h('th', { class: 'num', title: t(`kpis.formula.${d.id}`) }, t(`kpis.name.${d.id}`)))];
const cells = (values) => kpiDefinitions().map((d) => h('td', { class: 'num' }, kpiValue(kpiReading(values, d))));

function renderPeriods(body, report) {
  const rows = (report.periods ?? []).map((p) => h('tr', {}, h('td', {}, p.period), cells(p.values)));
  if (rows.length === 0) return unavailable(body, t('kpis.noPeriods'));
  body.replaceChildren(table(head(), [...rows].reverse()), h('p', { class: 'muted small' }, t('kpis.asOfNote', { from: date(report.from), to: date(report.to) })));
}

function renderGroups(body, report) {
  const groups = report.groups ?? [];
  if (groups.length === 0) return unavailable(body, t('kpis.noGroups'));
  const label = (key) => (key === '(none)' ? t('kpis.noneGroup') : report.by === 'stage' ? codeLabel('stage', key) : key);
  const header = head();
  header[0] = t(`kpis.dimension.${report.by}`);
  body.replaceChildren(
    table(header, groups.map((g) => h('tr', {}, h('td', {}, label(g.key)), cells(g.values)))),
    report.scoringRun ? h('p', { class: 'muted small' }, t('kpis.scoringRun', { run: report.scoringRun })) : null,
  );
}

function renderDrivers(body, answer) {
  const rows = driverRows(answer);
  if (rows.length === 0) return unavailable(body, t('kpis.noDrivers'));
  const points = (v) => (v === null ? '–' : num(v, 1));
  const signed = (v) => (v === null ? '–' : `${v > 0 ? '+' : ''}${num(v, 1)}`);
  body.replaceChildren(
    h('p', { class: 'muted small' }, t('kpis.driversExplain', { count: answer.windowDays, days: num(answer.windowDays) })),
    table(
      [t('kpis.driver'), h('th', { class: 'num' }, t('kpis.npsWithWithout')), h('th', { class: 'num' }, t('kpis.csatWithWithout')), h('th', { class: 'num' }, t('kpis.responsesWithWithout'))],
      rows.map((r) =>
        h(
          'tr',
          { 'data-driver': r.driver },
          h('td', {}, t(`kpis.driverName.${r.driver}`)),
          h('td', { class: 'num' }, `${points(r.npsWith)} / ${points(r.npsWithout)}`, h('div', { class: r.npsDifference < 0 ? 'flag small' : 'small' }, signed(r.npsDifference))),
          h('td', { class: 'num' }, `${points(r.csatWith)} / ${points(r.csatWithout)}`, h('div', { class: r.csatDifference < 0 ? 'flag small' : 'small' }, signed(r.csatDifference))),
          h('td', { class: 'num' }, `${num(r.responsesWith)} / ${num(r.responsesWithout)}`),
        ),
      ),
    ),
  );
}
