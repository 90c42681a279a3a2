// One customer: profile, value, lifecycle timeline, promises, sentiment (peak-end made visible), history.
import { ApiError, getJson } from '../api.js';
import { chart, dateTicks, PALETTE, STAGE_COLOURS } from '../charts.js';
import { peakEnd, rollingMeans, stageSpans } from '../console-math.js';
import { date, facts, fill, h, num, panel, table, unavailable } from '../dom.js';
import { codeLabel, formatMoney, formatPercent, segmentLabel, stageLabel, statusLabel, t } from '../i18n.js';
import { historyPager } from './history-pager.js';

const path = (id, part = '') => `/customers/${encodeURIComponent(id)}${part}`;

export async function renderCustomer({ main, id }) {
  main.append(
    h('p', { class: 'small' }, h('a', { href: '#/customers' }, t('customer.back')), ' · ', h('a', { href: `#/audit?customer=${encodeURIComponent(id)}` }, t('customer.openAudit'))),
    h('h1', {}, t('customer.title', { id })),
  );
  const grid = h('div', { class: 'grid' });
  main.append(grid);
  const profile = panel(t('customer.profile'), 4);
  const value = panel(t('customer.value'), 4);
  const scores = panel(t('customer.scores'), 4);
  const lifecycle = panel(t('customer.lifecycle'), 12);
  const sentiment = panel(t('customer.sentiment'), 8);
  const sentimentFacts = panel(t('customer.peakAndEnd'), 4);
  const promises = panel(t('customer.promises'), 12);
  const history = panel(t('customer.history'), 12);
  grid.append(profile.el, value.el, scores.el, lifecycle.el, sentiment.el, sentimentFacts.el, promises.el, history.el);

  const valueLoad = getJson(path(id, '/value'));
  await Promise.all([
    fill(profile.body, async () => renderProfile(profile.body, await getJson(path(id)))),
    fill(value.body, async () => renderValue(value.body, await valueLoad)),
    fill(scores.body, async () => renderScores(scores.body, await valueLoad)),
    fill(lifecycle.body, async () => renderLifecycle(lifecycle.body, await getJson(path(id, '/lifecycle')))),
    fill(promises.body, async () => renderPromises(promises.body, await getJson(path(id, '/promises')))),
    fill(sentiment.body, async () => {
      try {
        renderSentiment(sentiment.body, sentimentFacts.body, await getJson(path(id, '/sentiment')));
      } catch (error) {
        unavailable(sentimentFacts.body, error instanceof ApiError && error.status === 404 && !error.notOffered ? t('customer.noMoment') : error);
        throw error;
      }
    }),
    fill(history.body, () => historyPager(history.body, id, { pageSize: 25 })),
  ]);
}

/** Personal data shows only when the role may read it; otherwise the engine sends ciphertext or nothing. */
const readable = (v) => (typeof v === 'string' ? v : v ? h('span', { class: 'muted' }, t('customer.hiddenForRole')) : null);

function renderProfile(body, p) {
  const demographics = Object.entries(p.demographics ?? {}).filter(([, v]) => v !== null && v !== undefined);
  body.replaceChildren(
    p.erased ? h('p', { class: 'flag' }, t('customer.erased', { date: date(p.erasedAt) })) : '',
    facts([
      [t('customer.f.name'), readable(p.personal?.name)],
      [t('customer.f.email'), readable(p.personal?.email)],
      [t('common.region'), [p.region, p.city].filter(Boolean).join(' / ') || null],
      [t('customer.f.registered'), date(p.registeredAt)],
      [t('customer.f.acquiredVia'), p.acquisition ? t('customer.f.acquisition', { channel: p.acquisition.channel, cost: formatMoney(p.acquisition.cost) }) : null],
      ...demographics.map(([k, v]) => [codeLabel('customer.demographic', k), String(v)]),
      [t('customer.f.touchpoints'), `${num(p.touchpoints?.total)} (${Object.entries(p.touchpoints?.byType ?? {}).map(([k, v]) => `${codeLabel('customer.touchpoint', k)} ${num(v)}`).join(', ')})`],
      [t('customer.f.lastTouchpoint'), date(p.lastTouchpointAt)],
      [t('customer.f.openPromises'), num(p.openPromises)],
      [t('customer.f.openComplaints'), num(p.openComplaints)],
    ]),
  );
}

function renderValue(body, v) {
  body.replaceChildren(
    facts([
      [t('customer.f.orders'), num(v.orders)],
      [t('customer.f.netRevenue'), formatMoney(v.netRevenue)],
      [t('customer.f.refunded'), formatMoney(v.refunded)],
      [t('customer.f.averageOrder'), formatMoney(v.averageOrderValue)],
      [t('customer.f.firstPurchase'), date(v.firstPurchaseAt)],
      [t('customer.f.lastPurchase'), date(v.lastPurchaseAt)],
      [t('customer.f.purchaseDays'), num(v.purchaseDays)],
      [t('customer.f.typicalInterval'), v.meanInterPurchaseDays === null ? '–' : t('common.daysDecimal', { n: num(v.meanInterPurchaseDays, 1) })],
      [t('customer.f.acquisitionCost'), formatMoney(v.acquisitionCost)],
      [t('customer.f.historicalClv'), formatMoney(v.historicalLifetimeValue)],
    ]),
  );
}

/** ` (90%: low–high)` when the run has an interval. */
const range = (low, high, format) => (low === null || low === undefined ? '' : ` ${t('customer.interval', { level: formatPercent(0.9, 0), low: format(low), high: format(high) })}`);

function renderScores(body, v) {
  const s = v.scores;
  if (!s) return unavailable(body, t('customer.notScored'));
  const trend = s.valueTrendDirection === 'up' ? '▲' : s.valueTrendDirection === 'down' ? '▼' : '▬';
  body.replaceChildren(
    facts([
      [t('customer.f.valueTier'), h('span', { class: `badge tier-${s.tier}` }, s.tier)],
      [t('common.stage'), stageLabel(s.stage)],
      ['RFM', s.rfm ? `${s.rfm} · ${segmentLabel(s.segment)}` : '–'],
      [t('customer.f.recency'), s.recencyDays === null ? '–' : t('common.days', { count: s.recencyDays, n: num(s.recencyDays) })],
      [t('customer.f.valueTrend'), t('customer.f.valueTrendText', { arrow: trend, amount: formatMoney(s.valueTrend), ratio: formatPercent(s.valueTrendRatio, 0) })],
      [t('customer.f.pAlive'), `${formatPercent(s.probabilityAlive, 0)}${range(s.probabilityAliveLow, s.probabilityAliveHigh, (x) => formatPercent(x, 0))}`],
      [t('customer.f.expectedPurchases'), `${num(s.expectedPurchases90, 2)}${range(s.expectedPurchases90Low, s.expectedPurchases90High, (x) => num(x, 2))}`],
      [t('customer.f.purchasesPredictive'), s.purchases90Low === null || s.purchases90Low === undefined ? '–' : t('customer.f.range', { low: num(s.purchases90Low), high: num(s.purchases90High) })],
      [t('customer.f.predictedClv'), `${formatMoney(s.predictedClv)}${range(s.predictedClvLow, s.predictedClvHigh, formatMoney)}`],
      [t('customer.f.sentiment'), s.sentimentMean === null ? '–' : `${num(s.sentimentMean, 2)}${s.sentimentDrop ? ` ${t('customer.f.dropped')}` : ''}`],
      [t('customer.promises'), t('customer.f.promiseCounts', { open: num(s.promisesOpen), dueSoon: num(s.promisesDueSoon), overdue: num(s.promisesOverdue) })],
      [t('customer.f.scored'), date(s.scoredAt)],
    ]),
  );
}

function renderLifecycle(body, l) {
  const transitions = l.transitions ?? [];
  body.replaceChildren(
    h('p', {}, t('customer.now'), ' ', l.stage ? h('strong', {}, stageLabel(l.stage)) : h('span', { class: 'muted' }, t('customer.notScoredShort')), l.stageSince ? ` ${t('customer.since', { date: date(l.stageSince) })}` : '', l.stageReason ? h('span', { class: 'muted' }, ` — ${l.stageReason}`) : ''),
  );
  if (transitions.length === 0) return body.append(h('p', { class: 'muted small' }, t('customer.noTransitions')));
  const spans = stageSpans(transitions, new Date().toISOString());
  const total = spans.reduce((sum, s) => sum + s.days, 0) || 1;
  body.append(
    h(
      'div',
      { class: 'timeline', role: 'img', 'aria-label': t('customer.timelineLabel') },
      spans.map((s) => h('div', { style: { flex: `${Math.max(s.days / total, 0.02)}`, background: STAGE_COLOURS[s.stage] ?? PALETTE.grey }, title: t('customer.span', { stage: stageLabel(s.stage), from: date(s.from), to: date(s.to), count: Math.round(s.days), n: num(s.days) }) }, stageLabel(s.stage))),
    ),
    h('div', { class: 'timeline-axis' }, h('span', {}, date(spans[0]?.from)), h('span', {}, t('customer.nowShort'))),
    h(
      'ol',
      { class: 'transitions' },
      [...transitions].reverse().map((tr) =>
        h('li', { style: { borderLeftColor: STAGE_COLOURS[tr.to] ?? PALETTE.grey } }, h('span', { class: 'when' }, date(tr.at)), ' ', h('strong', {}, `${tr.from ? stageLabel(tr.from) : t('customer.start')} → ${stageLabel(tr.to)}`), h('div', { class: 'muted small' }, tr.reason)),
      ),
    ),
  );
}

function renderPromises(body, view) {
  const list = view.promises ?? [];
  if (list.length === 0) return unavailable(body, t('customer.noPromises'));
  const c = view.counts ?? {};
  body.replaceChildren(
    h('p', { class: 'muted small' }, t('customer.promiseSummary', { made: num(c.made ?? list.length), onTime: num(c.keptOnTime ?? 0), late: num(c.keptLate ?? 0), broken: num(c.broken ?? 0), overdue: num(c.currentlyOverdue ?? 0), rate: formatPercent(view.keptOnTimeRate, 0) })),
    table(
      ['promise', 'madeBy', 'made', 'due', 'renegotiated', 'status', 'closed'].map((key) => t(`customer.promise.${key}`)),
      list.map((p) =>
        h(
          'tr',
          {},
          h('td', {}, typeof p.description === 'string' ? p.description : h('span', { class: 'muted' }, p.promiseId)),
          h('td', {}, p.madeBy ?? '–'),
          h('td', {}, date(p.madeAt)),
          h('td', {}, date(p.dueAt)),
          h('td', {}, p.renegotiations?.length ? t('customer.promise.renegotiations', { count: p.renegotiations.length, date: date(p.originalDueAt) }) : ''),
          h('td', {}, h('span', { class: `badge st-${p.status}` }, statusLabel(p.status))),
          h('td', {}, date(p.closedAt)),
        ),
      ),
    ),
  );
}

/** The words that drove a text moment, signed ("rude −2.1, 太失望 −3.3"); a survey comment's own score after them. */
function why(m) {
  const words = m.terms.map((term) => `${term.term} ${term.weight > 0 ? '+' : '−'}${num(Math.abs(term.weight), 1)}`).join(', ');
  return m.textScore === undefined ? words : t('customer.commentScore', { score: num(m.textScore, 2), words });
}

/** A moment in a sentence: its score, day and source, and the words behind it. */
const moment = (m) => t('customer.momentText', { score: num(m.score, 2), date: date(m.at), source: codeLabel('customer.touchpoint', m.source) }) + (m.terms?.length ? `: ${why(m)}` : '');

function renderSentiment(chartBody, factsBody, doc) {
  const moments = [...(doc.moments ?? [])].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  if (moments.length === 0) {
    unavailable(factsBody, t('customer.noMomentShort'));
    return unavailable(chartBody, t('customer.noMomentLong'));
  }
  const computed = peakEnd(moments);
  const peak = doc.peak ?? computed.peak;
  const end = doc.end ?? computed.end;
  const means = rollingMeans(moments.map((m) => m.score));
  const point = (m) => ({ x: Date.parse(m.at), y: m.score });
  chartBody.replaceChildren();
  chart(
    chartBody,
    {
      type: 'scatter',
      data: {
        datasets: [
          { label: t('overview.moments'), data: moments.map((m) => ({ ...point(m), m })), backgroundColor: moments.map((m) => (m.score >= 0 ? 'rgba(22,163,74,.55)' : 'rgba(220,38,38,.55)')), pointRadius: 4 },
          { label: t('customer.rollingMean', { count: 5 }), type: 'line', data: moments.map((m, i) => ({ x: Date.parse(m.at), y: means[i] })), borderColor: PALETTE.accent, borderWidth: 2, pointRadius: 0, tension: 0 },
          { label: t('customer.peak'), data: peak ? [point(peak)] : [], pointStyle: 'star', pointRadius: 12, borderColor: PALETTE.warn, backgroundColor: PALETTE.warn, borderWidth: 2 },
          { label: t('customer.end'), data: end ? [point(end)] : [], pointStyle: 'rectRot', pointRadius: 9, borderColor: PALETTE.ink, backgroundColor: PALETTE.ink },
        ],
      },
      options: {
        parsing: false,
        scales: { x: { type: 'linear', ticks: dateTicks }, y: { min: -1.05, max: 1.05, title: { display: true, text: t('customer.scoreAxis') } } },
        plugins: {
          tooltip: {
            callbacks: {
              label: (ctx) => {
                const m = ctx.raw.m;
                const line = `${date(ctx.parsed.x)}: ${num(ctx.parsed.y, 2)}${m ? ` (${[codeLabel('customer.touchpoint', m.source), m.kind, m.language].filter(Boolean).join(', ')})` : ''}`;
                return m?.terms?.length ? [line, t('customer.why', { words: why(m) })] : line;
              },
            },
          },
        },
      },
    },
    { tall: true },
  );
  const score = doc.peakEnd ?? computed.peakEnd;
  factsBody.replaceChildren(
    h('p', { class: 'muted small' }, t('customer.peakEndRule')),
    facts([
      [t('customer.peak'), peak ? moment(peak) : '–'],
      [t('customer.end'), end ? moment(end) : '–'],
      [t('customer.peakEndScore'), num(score, 2)],
      [t('customer.rollingMeanShort'), num(doc.rollingMean, 2)],
      [t('customer.trend'), doc.trend ? `${codeLabel('customer.trends', doc.trend)}${doc.trendPer30Days !== null && doc.trendPer30Days !== undefined ? ` ${t('customer.per30Days', { value: num(doc.trendPer30Days, 2) })}` : ''}` : '–'],
      [t('customer.drop'), doc.drop?.flagged ? h('span', { class: 'flag' }, t('customer.dropText', { amount: num(doc.drop.amount, 2), date: date(doc.drop.highAt) })) : t('common.none')],
      [t('overview.moments'), num(moments.length)],
    ]),
  );
}
