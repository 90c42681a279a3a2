// Overview: KPIs, the 80/20 curve, segments (stage × tier), lifecycle, promises per agent, sentiment trend.
import { getJson } from '../api.js';
import { chart, PALETTE, STAGE_COLOURS, TIER_COLOURS } from '../charts.js';
import { customerShareFor, heatColour, paretoCurve, stageCounts, tierTotals } from '../console-math.js';
import { date, facts, fill, h, num, panel, table, unavailable } from '../dom.js';
import { codeLabel, formatMoney, formatPercent, t } from '../i18n.js';
import { renderClvBacktest } from './clv-backtest.js';

export const STAGES = ['prospect', 'acquisition', 'growth', 'maturity', 'decline', 'departure'];
const TIERS = ['A', 'B', 'C'];
/** Top customers fetched for the exact head of the Pareto curve; the tail goes through the tier boundaries. */
const PARETO_PAGES = 10;
const PAGE = 500;

export async function renderOverview({ main }) {
  main.append(h('h1', {}, t('nav.overview')));
  // 404 (not an unknown route) means no scoring run yet: the panels say so briefly, the KPI row at length.
  const segmentsLoad = getJson('/analytics/segments').catch((error) => (error.status === 404 && !error.notOffered ? null : Promise.reject(error)));
  const refused = await segmentsLoad.then(
    () => null,
    (error) => (error.status === 403 ? error : null),
  );
  if (refused) {
    // One notice, not one per panel: the whole overview is analyst data.
    const notice = h('div', { class: 'panel' });
    unavailable(notice, refused);
    notice.append(h('p', { class: 'muted' }, t('overview.analystsOnly')));
    return main.append(notice);
  }
  const kpis = h('div', { class: 'grid' });
  const grid = h('div', { class: 'grid', style: { marginTop: '16px' } });
  main.append(kpis, grid);

  const pareto = panel(t('overview.pareto'), 7);
  const lifecycle = panel(t('overview.lifecycle'), 5);
  const heat = panel(t('overview.segments'), 6);
  const bars = panel(t('overview.revenueByStageTier'), 6);
  const regions = panel(t('overview.byRegion'), 12);
  const agents = panel(t('overview.promisesPerAgent'), 6);
  const sentiment = panel(t('overview.sentimentTrend'), 6);
  const drops = panel(t('overview.sentimentDrops'), 8);
  const clv = panel(t('overview.clvModel'), 4);
  const backtest = panel(t('overview.backtest'), 12);
  grid.append(pareto.el, lifecycle.el, heat.el, bars.el, agents.el, sentiment.el, drops.el, clv.el, regions.el, backtest.el);

  await Promise.all([
    fill(kpis, async () => renderKpis(kpis, await segmentsLoad)),
    fill(pareto.body, async () => renderPareto(pareto.body, await segmentsLoad)),
    fill(lifecycle.body, async () => renderLifecycle(lifecycle.body, await segmentsLoad)),
    fill(heat.body, async () => renderHeat(heat.body, await segmentsLoad)),
    fill(bars.body, async () => renderStageTierBars(bars.body, await segmentsLoad)),
    fill(regions.body, async () => renderRegions(regions.body, await segmentsLoad)),
    fill(agents.body, () => renderAgents(agents.body)),
    fill(sentiment.body, () => renderSentiment(sentiment.body, drops.body)),
    fill(clv.body, async () => {
      const model = await scoringData('/analytics/models/clv');
      return model ? renderClv(clv.body, model) : unavailable(clv.body, t('overview.notScored'));
    }),
    fill(backtest.body, () => renderClvBacktest(backtest.body)),
  ]);
}

/** The segments summary, or an explanation when no scoring run has happened yet. */
function scored(segments) {
  if (!segments || !segments.byStageTier) throw new Error(t('overview.notScored'));
  return segments;
}

/** Data of the last scoring run, or null when there has been none (the engine answers 404). */
const scoringData = (path) => getJson(path).catch((error) => (error.status === 404 && !error.notOffered ? null : Promise.reject(error)));

function renderKpis(container, segments) {
  if (!segments) {
    container.replaceChildren(h('div', { class: 'panel span-12' }, h('strong', {}, t('overview.noRunTitle')), ' ', t('overview.noRunBody'), ' ', h('a', { href: '#/runs' }, t('nav.runs'))));
    return;
  }
  const s = scored(segments);
  const { tiers, customers } = tierTotals(s.byStageTier);
  const revenue = s.netRevenue;
  const kpi = (label, value, note) =>
    h('div', { class: 'panel kpi span-3' }, h('div', { class: 'label' }, label), h('div', { class: 'value' }, value), note ? h('div', { class: 'muted small' }, note) : null);
  const active = stageCounts(s.byStageTier, ['acquisition', 'growth', 'maturity']).reduce((sum, n) => sum + n, 0);
  container.replaceChildren(
    kpi(t('overview.customers'), num(s.customers ?? customers), t('overview.scoredOn', { date: date(s.scoredAt) })),
    kpi(t('overview.netRevenue'), formatMoney(revenue), customers ? t('overview.perCustomer', { amount: formatMoney(revenue / customers) }) : null),
    kpi(t('overview.tierA'), formatPercent(customers ? tiers.A.customers / customers : null), t('overview.tierANote', { share: formatPercent(revenue > 0 ? tiers.A.netRevenue / revenue : null) })),
    kpi(t('overview.active'), formatPercent(customers ? active / customers : null), t('overview.activeNote')),
  );
}

async function renderPareto(body, segments) {
  const s = scored(segments);
  const { customers, revenue, boundaries } = tierTotals(s.byStageTier);
  const revenues = [];
  let cursor = null;
  for (let page = 0; page < PARETO_PAGES; page += 1) {
    const result = await getJson(`/analytics/customers?sort=-netRevenue&limit=${PAGE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    for (const c of result.items) revenues.push(c.netRevenue);
    cursor = result.nextCursor;
    if (!cursor) break;
  }
  const curve = paretoCurve(revenues, customers, revenue, boundaries);
  const at80 = customerShareFor(curve, 0.8);
  body.replaceChildren(
    h('p', { class: 'muted small' }, t('overview.at80', { share: formatPercent(at80) }), cursor ? ` ${t('overview.paretoExact', { count: revenues.length, shown: num(revenues.length) })}` : ''),
  );
  chart(body, {
    type: 'line',
    data: {
      datasets: [
        { label: t('overview.cumulativeShare'), data: curve.map((p) => ({ x: p.customerShare * 100, y: p.revenueShare * 100 })), borderColor: PALETTE.accent, backgroundColor: 'rgba(37,99,235,.12)', fill: true, pointRadius: 0, borderWidth: 2 },
        { label: t('overview.equalShares'), data: [{ x: 0, y: 0 }, { x: 100, y: 100 }], borderColor: PALETTE.grey, borderDash: [4, 4], pointRadius: 0, borderWidth: 1 },
        { label: t('overview.revenue80', { share: formatPercent(0.8, 0) }), data: [{ x: at80 * 100, y: 80 }], borderColor: PALETTE.bad, backgroundColor: PALETTE.bad, pointRadius: 5, showLine: false },
      ],
    },
    options: {
      parsing: false,
      scales: {
        x: { type: 'linear', min: 0, max: 100, title: { display: true, text: t('overview.customerShareAxis') } },
        y: { min: 0, max: 100, title: { display: true, text: t('overview.revenueShareAxis') } },
      },
      plugins: { tooltip: { callbacks: { label: (ctx) => t('overview.paretoTooltip', { customers: formatPercent(ctx.parsed.x / 100), revenue: formatPercent(ctx.parsed.y / 100) }) } } },
    },
  });
}

function renderLifecycle(body, segments) {
  const s = scored(segments);
  const counts = stageCounts(s.byStageTier, STAGES);
  body.replaceChildren();
  chart(body, {
    type: 'bar',
    data: { labels: STAGES.map((st) => t(`stage.${st}`)), datasets: [{ label: t('overview.customersLabel'), data: counts, backgroundColor: STAGES.map((st) => STAGE_COLOURS[st]) }] },
    options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, title: { display: true, text: t('overview.customersLabel') } } } },
  });
}

function renderHeat(body, segments) {
  const s = scored(segments);
  const cells = STAGES.flatMap((stage) => TIERS.map((tier) => s.byStageTier[stage]?.[tier]?.customers ?? 0));
  const max = Math.max(0, ...cells);
  const rows = STAGES.map((stage) => {
    const row = s.byStageTier[stage] ?? {};
    const total = TIERS.reduce((sum, tier) => sum + (row[tier]?.customers ?? 0), 0);
    return h(
      'tr',
      {},
      h('th', {}, h('a', { href: `#/customers?stage=${stage}` }, t(`stage.${stage}`))),
      TIERS.map((tier) => {
        const cell = row[tier] ?? { customers: 0, netRevenue: 0 };
        const dark = max > 0 && cell.customers / max > 0.55;
        return h(
          'td',
          { style: { background: heatColour(cell.customers, max), color: dark ? '#fff' : '' }, title: t('overview.heatCell', { stage: t(`stage.${stage}`), tier, count: cell.customers, customers: num(cell.customers), revenue: formatMoney(cell.netRevenue) }) },
          h('a', { href: `#/customers?stage=${stage}&tier=${tier}`, style: { color: 'inherit' } }, num(cell.customers)),
          h('span', { class: 'sub', style: { color: dark ? '#e0e7ff' : '' } }, formatMoney(cell.netRevenue)),
        );
      }),
      h('td', { class: 'num' }, num(total)),
    );
  });
  body.replaceChildren(
    h('table', { class: 'heat' }, h('thead', {}, h('tr', {}, h('th', {}, t('common.stage')), TIERS.map((tier) => h('th', {}, t('common.tierName', { tier }))), h('th', { class: 'num' }, t('common.all')))), h('tbody', {}, rows)),
    h('p', { class: 'muted small' }, t('overview.heatNote')),
  );
}

function renderStageTierBars(body, segments) {
  const s = scored(segments);
  body.replaceChildren();
  chart(body, {
    type: 'bar',
    data: {
      labels: STAGES.map((st) => t(`stage.${st}`)),
      datasets: TIERS.map((tier) => ({ label: t('common.tierName', { tier }), data: STAGES.map((st) => s.byStageTier[st]?.[tier]?.netRevenue ?? 0), backgroundColor: TIER_COLOURS[tier] })),
    },
    options: {
      scales: { x: { stacked: true }, y: { stacked: true, title: { display: true, text: t('overview.netRevenueLabel') } } },
      plugins: { tooltip: { callbacks: { label: (ctx) => `${ctx.dataset.label}: ${formatMoney(ctx.parsed.y)}` } } },
    },
  });
}

function renderRegions(body, segments) {
  const s = scored(segments);
  const regions = [...(s.byRegion ?? [])].sort((a, b) => b.netRevenue - a.netRevenue);
  if (regions.length === 0) return unavailable(body, t('overview.noRegion'));
  const total = regions.reduce((sum, r) => sum + r.netRevenue, 0);
  body.replaceChildren(
    table(
      [t('common.region'), h('th', { class: 'num' }, t('overview.customersLabel')), h('th', { class: 'num' }, t('overview.netRevenueLabel')), h('th', { class: 'num' }, t('common.share')), TIERS.map((tier) => h('th', { class: 'num' }, t('common.tierName', { tier })))],
      regions.slice(0, 30).map((r) =>
        h(
          'tr',
          {},
          h('td', {}, r.region ? h('a', { href: `#/customers?region=${encodeURIComponent(r.region)}` }, r.region) : h('span', { class: 'muted' }, t('common.unknown'))),
          h('td', { class: 'num' }, num(r.customers)),
          h('td', { class: 'num' }, formatMoney(r.netRevenue)),
          h('td', { class: 'num' }, formatPercent(total > 0 ? r.netRevenue / total : null)),
          TIERS.map((tier) => h('td', { class: 'num' }, num(r.tiers?.[tier] ?? 0))),
        ),
      ),
    ),
  );
}

async function renderAgents(body) {
  const record = await scoringData('/analytics/promises');
  if (!record) return unavailable(body, t('overview.notScored'));
  const agents = (record?.agents ?? (Array.isArray(record) ? record : [])).filter((a) => a.keptOnTimeRate !== null && a.keptOnTimeRate !== undefined);
  if (agents.length === 0) return unavailable(body, t('overview.noResolvedPromises'));
  const shown = agents.sort((a, b) => b.made - a.made).slice(0, 15).sort((a, b) => b.keptOnTimeRate - a.keptOnTimeRate);
  body.replaceChildren(h('p', { class: 'muted small' }, t('overview.agentsNote'), agents.length > 15 ? ` ${t('overview.agentsTop', { count: 15 })}` : ''));
  chart(body, {
    type: 'bar',
    data: {
      labels: shown.map((a) => a.agentId),
      datasets: [
        { label: t('status.kept_on_time'), data: shown.map((a) => a.keptOnTimeRate * 100), backgroundColor: PALETTE.good },
        { label: t('status.broken'), data: shown.map((a) => (a.brokenRate ?? 0) * 100), backgroundColor: PALETTE.bad },
      ],
    },
    options: {
      indexAxis: 'y',
      scales: { x: { min: 0, max: 100, title: { display: true, text: t('overview.resolvedAxis') } } },
      plugins: { tooltip: { callbacks: { afterLabel: (ctx) => t('overview.agentTooltip', { made: num(shown[ctx.dataIndex].made), overdue: num(shown[ctx.dataIndex].currentlyOverdue) }) } } },
    },
  });
}

async function renderSentiment(trendBody, dropsBody) {
  let overview;
  try {
    overview = await getJson('/analytics/sentiment');
  } catch (error) {
    unavailable(dropsBody, error);
    throw error;
  }
  const population = overview?.populationTrend;
  const trend = Array.isArray(population) ? population : (population?.trend ?? []);
  if (trend.length === 0) unavailable(trendBody, t('overview.noMoments'));
  else {
    trendBody.replaceChildren();
    chart(trendBody, {
      type: 'line',
      data: {
        labels: trend.map((w) => w.week),
        datasets: [
          { label: t('overview.meanScore'), data: trend.map((w) => w.meanScore), borderColor: PALETTE.accent, pointRadius: trend.length > 60 ? 0 : 2, cubicInterpolationMode: 'monotone', yAxisID: 'y' },
          { label: t('overview.moments'), data: trend.map((w) => w.moments), type: 'bar', backgroundColor: 'rgba(148,163,184,.35)', yAxisID: 'moments' },
        ],
      },
      options: {
        scales: {
          x: { ticks: { maxTicksLimit: 10, maxRotation: 0 } },
          y: { min: -1, max: 1, title: { display: true, text: t('overview.sentiment') } },
          moments: { position: 'right', beginAtZero: true, grid: { drawOnChartArea: false }, title: { display: true, text: t('overview.moments') } },
        },
      },
    });
  }
  const dropped = overview?.customersWithDrops?.items ?? [];
  if (dropped.length === 0) return unavailable(dropsBody, t('overview.noDrops'));
  dropsBody.replaceChildren(
    h(
      'table',
      {},
      h('thead', {}, h('tr', {}, ['common.customer', 'common.stage', 'common.tier', 'common.region'].map((key) => h('th', {}, t(key))), h('th', { class: 'num' }, t('overview.netRevenueLabel')), h('th', { class: 'num' }, t('overview.sentimentMean')))),
      h(
        'tbody',
        {},
        dropped.slice(0, 10).map((c) =>
          h(
            'tr',
            {},
            h('td', {}, h('a', { href: `#/customer/${encodeURIComponent(c.customerId)}` }, c.customerId)),
            h('td', {}, c.stage ? t(`stage.${c.stage}`) : '–'),
            h('td', {}, c.tier ? h('span', { class: `badge tier-${c.tier}` }, c.tier) : '–'),
            h('td', {}, c.region ?? '–'),
            h('td', { class: 'num' }, formatMoney(c.netRevenue)),
            h('td', { class: 'num' }, num(c.sentimentMean, 2)),
          ),
        ),
      ),
    ),
    dropped.length > 10 ? h('p', { class: 'small' }, h('a', { href: '#/customers?sentimentDrop=true' }, t('overview.allDrops'))) : null,
  );
}

function renderClv(body, model) {
  const params = (p) => Object.entries(p ?? {}).map(([k, v]) => `${k} ${num(v, 3)}`).join(', ') || '–';
  const statusClass = model.status === 'fitted' ? 'st-kept_on_time' : model.status === 'partial' ? 'st-due_soon' : 'st-broken';
  body.replaceChildren(
    facts([
      [t('overview.clv.status'), h('span', { class: `badge ${statusClass}` }, codeLabel('overview.clv.statuses', model.status))],
      [t('overview.clv.fitted'), date(model.fittedAt)],
      [t('overview.customers'), t('overview.clv.population', { buyers: num(model.population), repeaters: num(model.repeaters) })],
      ['BG/NBD', model.bgNbd ? params(model.bgNbd.params) : t('overview.clv.notFitted')],
      [t('overview.clv.standardErrors'), model.uncertainty?.bgNbd ? params(model.uncertainty.bgNbd.standardErrors) : '–'],
      ['Gamma-Gamma', model.gammaGamma ? params(model.gammaGamma.params) : t('overview.clv.notFitted')],
      [t('overview.clv.standardErrors'), model.uncertainty?.gammaGamma ? params(model.uncertainty.gammaGamma.standardErrors) : '–'],
      [t('overview.clv.intervals'), model.uncertainty ? t('overview.clv.intervalMethod', { level: formatPercent(model.uncertainty.level, 0), method: model.uncertainty.method }) : '–'],
      [t('overview.clv.horizon'), model.prediction ? t('common.days', { count: model.prediction.purchaseHorizonDays, n: num(model.prediction.purchaseHorizonDays) }) : '–'],
    ]),
    ...(model.errors ?? []).map((e) => h('p', { class: 'error small' }, e)),
  );
}
