// Overview: KPIs, the 80/20 curve, segments (stage × tier), lifecycle, promises per agent, sentiment trend.
import { getJson } from '../api.js';
import { chart, PALETTE, STAGE_COLOURS, TIER_COLOURS } from '../charts.js';
import { customerShareFor, formatMoney, formatPercent, heatColour, paretoCurve, stageCounts, tierTotals } from '../console-math.js';
import { date, fill, h, num, panel, table, unavailable } from '../dom.js';
import { renderClvBacktest } from './clv-backtest.js';

export const STAGES = ['prospect', 'acquisition', 'growth', 'maturity', 'decline', 'departure'];
const TIERS = ['A', 'B', 'C'];
/** Top customers fetched for the exact head of the Pareto curve; the tail goes through the tier boundaries. */
const PARETO_PAGES = 10;
const PAGE = 500;

export async function renderOverview({ main }) {
  main.append(h('h1', {}, 'Overview'));
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
    notice.append(h('p', { class: 'muted' }, 'The overview and the customer list are for analysts and admins. Look a customer up by id (top right) to see their read models and, as an auditor, their history.'));
    return main.append(notice);
  }
  const kpis = h('div', { class: 'grid' });
  const grid = h('div', { class: 'grid', style: { marginTop: '16px' } });
  main.append(kpis, grid);

  const pareto = panel('Value concentration: the 80/20 curve', 7);
  const lifecycle = panel('Lifecycle stages', 5);
  const heat = panel('Segments: customers by stage × value tier', 6);
  const bars = panel('Net revenue by stage and tier', 6);
  const regions = panel('By region', 12);
  const agents = panel('Promises kept on time, per agent', 6);
  const sentiment = panel('Population sentiment, weekly mean', 6);
  const drops = panel('Customers whose sentiment dropped', 8);
  const clv = panel('Lifetime-value model (BG/NBD + Gamma-Gamma)', 4);
  const backtest = panel('CLV back-test: calibration-period purchases vs holdout purchases', 12);
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
      return model ? renderClv(clv.body, model) : unavailable(clv.body, NOT_SCORED);
    }),
    fill(backtest.body, () => renderClvBacktest(backtest.body)),
  ]);
}

/** The segments summary, or an explanation when no scoring run has happened yet. */
function scored(segments) {
  if (!segments || !segments.byStageTier) throw new Error(NOT_SCORED);
  return segments;
}
const NOT_SCORED = 'Appears after the first scoring run.';

/** Data of the last scoring run, or null when there has been none (the engine answers 404). */
const scoringData = (path) => getJson(path).catch((error) => (error.status === 404 && !error.notOffered ? null : Promise.reject(error)));

function renderKpis(container, segments) {
  if (!segments) {
    container.replaceChildren(h('div', { class: 'panel span-12' }, h('strong', {}, 'No scoring run yet. '), 'Tiers, RFM segments, lifecycle stages and the CLV model come from the scoring job: it runs on a schedule, or an admin can run it now on the ', h('a', { href: '#/projections' }, 'Projections'), ' page.'));
    return;
  }
  const s = scored(segments);
  const { tiers, customers } = tierTotals(s.byStageTier);
  const revenue = s.netRevenue;
  const kpi = (label, value, note) =>
    h('div', { class: 'panel kpi span-3' }, h('div', { class: 'label' }, label), h('div', { class: 'value' }, value), note ? h('div', { class: 'muted small' }, note) : null);
  const active = stageCounts(s.byStageTier, ['acquisition', 'growth', 'maturity']).reduce((sum, n) => sum + n, 0);
  container.replaceChildren(
    kpi('Customers', num(s.customers ?? customers), `scored ${date(s.scoredAt)}`),
    kpi('Net revenue', formatMoney(revenue), customers ? `${formatMoney(revenue / customers)} per customer` : null),
    kpi('Tier A', formatPercent(customers ? tiers.A.customers / customers : null), `of customers make ${formatPercent(revenue > 0 ? tiers.A.netRevenue / revenue : null)} of revenue`),
    kpi('Active', formatPercent(customers ? active / customers : null), 'in acquisition, growth or maturity'),
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
    h('p', { class: 'muted small' }, `${formatPercent(at80)} of customers make 80% of net revenue.`, cursor ? ` Exact for the top ${num(revenues.length)} customers, then through the tier boundaries.` : ''),
  );
  chart(body, {
    type: 'line',
    data: {
      datasets: [
        { label: 'Cumulative revenue share', data: curve.map((p) => ({ x: p.customerShare * 100, y: p.revenueShare * 100 })), borderColor: PALETTE.accent, backgroundColor: 'rgba(37,99,235,.12)', fill: true, pointRadius: 0, borderWidth: 2 },
        { label: 'Equal shares', data: [{ x: 0, y: 0 }, { x: 100, y: 100 }], borderColor: PALETTE.grey, borderDash: [4, 4], pointRadius: 0, borderWidth: 1 },
        { label: '80% of revenue', data: [{ x: at80 * 100, y: 80 }], borderColor: PALETTE.bad, backgroundColor: PALETTE.bad, pointRadius: 5, showLine: false },
      ],
    },
    options: {
      parsing: false,
      scales: {
        x: { type: 'linear', min: 0, max: 100, title: { display: true, text: 'share of customers, most valuable first (%)' } },
        y: { min: 0, max: 100, title: { display: true, text: 'share of net revenue (%)' } },
      },
      plugins: { tooltip: { callbacks: { label: (ctx) => `${ctx.parsed.x.toFixed(1)}% of customers → ${ctx.parsed.y.toFixed(1)}% of revenue` } } },
    },
  });
}

function renderLifecycle(body, segments) {
  const s = scored(segments);
  const counts = stageCounts(s.byStageTier, STAGES);
  body.replaceChildren();
  chart(body, {
    type: 'bar',
    data: { labels: STAGES, datasets: [{ label: 'customers', data: counts, backgroundColor: STAGES.map((st) => STAGE_COLOURS[st]) }] },
    options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, title: { display: true, text: 'customers' } } } },
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
      h('th', {}, h('a', { href: `#/customers?stage=${stage}` }, stage)),
      TIERS.map((tier) => {
        const cell = row[tier] ?? { customers: 0, netRevenue: 0 };
        const dark = max > 0 && cell.customers / max > 0.55;
        return h(
          'td',
          { style: { background: heatColour(cell.customers, max), color: dark ? '#fff' : '' }, title: `${stage}, tier ${tier}: ${cell.customers} customers, ${formatMoney(cell.netRevenue)} net revenue` },
          h('a', { href: `#/customers?stage=${stage}&tier=${tier}`, style: { color: 'inherit' } }, num(cell.customers)),
          h('span', { class: 'sub', style: { color: dark ? '#e0e7ff' : '' } }, formatMoney(cell.netRevenue)),
        );
      }),
      h('td', { class: 'num' }, num(total)),
    );
  });
  body.replaceChildren(
    h('table', { class: 'heat' }, h('thead', {}, h('tr', {}, h('th', {}, 'stage'), TIERS.map((t) => h('th', {}, `tier ${t}`)), h('th', { class: 'num' }, 'all'))), h('tbody', {}, rows)),
    h('p', { class: 'muted small' }, 'Customers (net revenue below). Click a cell to list its customers.'),
  );
}

function renderStageTierBars(body, segments) {
  const s = scored(segments);
  body.replaceChildren();
  chart(body, {
    type: 'bar',
    data: {
      labels: STAGES,
      datasets: TIERS.map((tier) => ({ label: `tier ${tier}`, data: STAGES.map((st) => s.byStageTier[st]?.[tier]?.netRevenue ?? 0), backgroundColor: TIER_COLOURS[tier] })),
    },
    options: {
      scales: { x: { stacked: true }, y: { stacked: true, title: { display: true, text: 'net revenue' } } },
      plugins: { tooltip: { callbacks: { label: (ctx) => `${ctx.dataset.label}: ${formatMoney(ctx.parsed.y)}` } } },
    },
  });
}

function renderRegions(body, segments) {
  const s = scored(segments);
  const regions = [...(s.byRegion ?? [])].sort((a, b) => b.netRevenue - a.netRevenue);
  if (regions.length === 0) return unavailable(body, 'No region recorded for any customer.');
  const total = regions.reduce((sum, r) => sum + r.netRevenue, 0);
  body.replaceChildren(
    table(
      ['region', h('th', { class: 'num' }, 'customers'), h('th', { class: 'num' }, 'net revenue'), h('th', { class: 'num' }, 'share'), TIERS.map((t) => h('th', { class: 'num' }, `tier ${t}`))],
      regions.slice(0, 30).map((r) =>
        h(
          'tr',
          {},
          h('td', {}, r.region ? h('a', { href: `#/customers?region=${encodeURIComponent(r.region)}` }, r.region) : h('span', { class: 'muted' }, 'unknown')),
          h('td', { class: 'num' }, num(r.customers)),
          h('td', { class: 'num' }, formatMoney(r.netRevenue)),
          h('td', { class: 'num' }, formatPercent(total > 0 ? r.netRevenue / total : null)),
          TIERS.map((t) => h('td', { class: 'num' }, num(r.tiers?.[t] ?? 0))),
        ),
      ),
    ),
  );
}

async function renderAgents(body) {
  const record = await scoringData('/analytics/promises');
  if (!record) return unavailable(body, NOT_SCORED);
  const agents = (record?.agents ?? (Array.isArray(record) ? record : [])).filter((a) => a.keptOnTimeRate !== null && a.keptOnTimeRate !== undefined);
  if (agents.length === 0) return unavailable(body, record ? 'No resolved promises yet.' : 'No scoring run yet: per-agent rates appear after the first run.');
  const shown = agents.sort((a, b) => b.made - a.made).slice(0, 15).sort((a, b) => b.keptOnTimeRate - a.keptOnTimeRate);
  body.replaceChildren(h('p', { class: 'muted small' }, `Kept on time / resolved (kept on time, kept late, broken). ${agents.length > 15 ? 'The 15 agents with the most promises.' : ''}`));
  chart(body, {
    type: 'bar',
    data: {
      labels: shown.map((a) => a.agentId),
      datasets: [
        { label: 'kept on time', data: shown.map((a) => a.keptOnTimeRate * 100), backgroundColor: PALETTE.good },
        { label: 'broken', data: shown.map((a) => (a.brokenRate ?? 0) * 100), backgroundColor: PALETTE.bad },
      ],
    },
    options: {
      indexAxis: 'y',
      scales: { x: { min: 0, max: 100, title: { display: true, text: '% of resolved promises' } } },
      plugins: { tooltip: { callbacks: { afterLabel: (ctx) => `${shown[ctx.dataIndex].made} made, ${shown[ctx.dataIndex].currentlyOverdue} overdue now` } } },
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
  if (trend.length === 0) unavailable(trendBody, 'No scored sentiment moments yet.');
  else {
    trendBody.replaceChildren();
    chart(trendBody, {
      type: 'line',
      data: {
        labels: trend.map((w) => w.week),
        datasets: [
          { label: 'mean score (-1..1)', data: trend.map((w) => w.meanScore), borderColor: PALETTE.accent, pointRadius: trend.length > 60 ? 0 : 2, cubicInterpolationMode: 'monotone', yAxisID: 'y' },
          { label: 'moments', data: trend.map((w) => w.moments), type: 'bar', backgroundColor: 'rgba(148,163,184,.35)', yAxisID: 'moments' },
        ],
      },
      options: {
        scales: {
          x: { ticks: { maxTicksLimit: 10, maxRotation: 0 } },
          y: { min: -1, max: 1, title: { display: true, text: 'sentiment' } },
          moments: { position: 'right', beginAtZero: true, grid: { drawOnChartArea: false }, title: { display: true, text: 'moments' } },
        },
      },
    });
  }
  const dropped = overview?.customersWithDrops?.items ?? [];
  if (dropped.length === 0) return unavailable(dropsBody, 'No customer has a sentiment drop flagged.');
  dropsBody.replaceChildren(
    h(
      'table',
      {},
      h('thead', {}, h('tr', {}, ['customer', 'stage', 'tier', 'region'].map((c) => h('th', {}, c)), h('th', { class: 'num' }, 'net revenue'), h('th', { class: 'num' }, 'sentiment mean'))),
      h(
        'tbody',
        {},
        dropped.slice(0, 10).map((c) =>
          h(
            'tr',
            {},
            h('td', {}, h('a', { href: `#/customer/${encodeURIComponent(c.customerId)}` }, c.customerId)),
            h('td', {}, c.stage ?? '–'),
            h('td', {}, c.tier ? h('span', { class: `badge tier-${c.tier}` }, c.tier) : '–'),
            h('td', {}, c.region ?? '–'),
            h('td', { class: 'num' }, formatMoney(c.netRevenue)),
            h('td', { class: 'num' }, num(c.sentimentMean, 2)),
          ),
        ),
      ),
    ),
    dropped.length > 10 ? h('p', { class: 'small' }, h('a', { href: '#/customers?sentimentDrop=true' }, `All customers with a drop →`)) : null,
  );
}

function renderClv(body, model) {
  const fixed = (v, d = 3) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(d) : '–');
  const params = (p) => Object.entries(p ?? {}).map(([k, v]) => `${k} ${fixed(v)}`).join(', ') || '–';
  const statusClass = model.status === 'fitted' ? 'st-kept_on_time' : model.status === 'partial' ? 'st-due_soon' : 'st-broken';
  body.replaceChildren(
    h(
      'dl',
      { class: 'facts' },
      [
        ['status', h('span', { class: `badge ${statusClass}` }, model.status)],
        ['fitted', date(model.fittedAt)],
        ['customers', `${num(model.population)} buyers, ${num(model.repeaters)} repeaters`],
        ['BG/NBD', model.bgNbd ? params(model.bgNbd.params) : 'not fitted'],
        ['standard errors', model.uncertainty?.bgNbd ? params(model.uncertainty.bgNbd.standardErrors) : '–'],
        ['Gamma-Gamma', model.gammaGamma ? params(model.gammaGamma.params) : 'not fitted'],
        ['standard errors', model.uncertainty?.gammaGamma ? params(model.uncertainty.gammaGamma.standardErrors) : '–'],
        ['intervals', model.uncertainty ? `${Math.round(model.uncertainty.level * 100)}%, ${model.uncertainty.method} method` : '–'],
        ['horizon', model.prediction ? `${model.prediction.purchaseHorizonDays} days` : '–'],
      ].flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]),
    ),
    ...(model.errors ?? []).map((e) => h('p', { class: 'error small' }, e)),
  );
}
