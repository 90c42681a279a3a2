// One customer: profile, value, lifecycle timeline, promises, sentiment (peak-end made visible), history.
import { ApiError, getJson } from '../api.js';
import { chart, dateTicks, PALETTE, STAGE_COLOURS } from '../charts.js';
import { formatMoney, formatPercent, peakEnd, rollingMeans, stageSpans } from '../console-math.js';
import { date, fill, h, num, panel, table, unavailable } from '../dom.js';

const path = (id, part = '') => `/customers/${encodeURIComponent(id)}${part}`;

export async function renderCustomer({ main, id }) {
  main.append(h('p', { class: 'small' }, h('a', { href: '#/customers' }, '← Customers')), h('h1', {}, `Customer ${id}`));
  const grid = h('div', { class: 'grid' });
  main.append(grid);
  const profile = panel('Profile', 4);
  const value = panel('Value', 4);
  const scores = panel('Scores', 4);
  const lifecycle = panel('Lifecycle', 12);
  const sentiment = panel('Sentiment over time', 8);
  const sentimentFacts = panel('Peak and end', 4);
  const promises = panel('Promises', 12);
  const history = panel('Recent history (auditors)', 12);
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
        unavailable(sentimentFacts.body, error instanceof ApiError && error.status === 404 && !error.notOffered ? 'No scored moment for this customer.' : error);
        throw error;
      }
    }),
    fill(history.body, async () => renderHistory(history.body, await getJson(`/audit/customers/${encodeURIComponent(id)}/history?limit=100`))),
  ]);
}

function facts(pairs) {
  return h('dl', { class: 'facts' }, pairs.filter(([, v]) => v !== undefined).flatMap(([label, v]) => [h('dt', {}, label), h('dd', {}, v ?? '–')]));
}

/** Personal data shows only when the role may read it; otherwise the engine sends ciphertext or nothing. */
const readable = (v) => (typeof v === 'string' ? v : v ? h('span', { class: 'muted' }, 'hidden for this role') : null);

function renderProfile(body, p) {
  const demographics = Object.entries(p.demographics ?? {}).filter(([, v]) => v !== null && v !== undefined);
  body.replaceChildren(
    p.erased ? h('p', { class: 'flag' }, `Erased ${date(p.erasedAt)}: personal data is unreadable.`) : '',
    facts([
      ['name', readable(p.personal?.name)],
      ['email', readable(p.personal?.email)],
      ['region', [p.region, p.city].filter(Boolean).join(' / ') || null],
      ['registered', date(p.registeredAt)],
      ['acquired via', p.acquisition ? `${p.acquisition.channel} (cost ${formatMoney(p.acquisition.cost)})` : null],
      ...demographics.map(([k, v]) => [k, String(v)]),
      ['touchpoints', `${num(p.touchpoints?.total)} (${Object.entries(p.touchpoints?.byType ?? {}).map(([k, v]) => `${k} ${v}`).join(', ')})`],
      ['last touchpoint', date(p.lastTouchpointAt)],
      ['open promises', num(p.openPromises)],
      ['open complaints', num(p.openComplaints)],
    ]),
  );
}

function renderValue(body, v) {
  body.replaceChildren(
    facts([
      ['orders', num(v.orders)],
      ['net revenue', formatMoney(v.netRevenue)],
      ['refunded', formatMoney(v.refunded)],
      ['average order', formatMoney(v.averageOrderValue)],
      ['first purchase', date(v.firstPurchaseAt)],
      ['last purchase', date(v.lastPurchaseAt)],
      ['purchase days', num(v.purchaseDays)],
      ['typical interval', v.meanInterPurchaseDays === null ? '–' : `${num(v.meanInterPurchaseDays, 1)} days`],
      ['acquisition cost', formatMoney(v.acquisitionCost)],
      ['historical CLV', formatMoney(v.historicalLifetimeValue)],
    ]),
  );
}

/** ` (90%: low–high)` when the run has an interval. */
const range = (low, high, format) => (low === null || low === undefined ? '' : ` (90%: ${format(low)}–${format(high)})`);

function renderScores(body, v) {
  const s = v.scores;
  if (!s) return unavailable(body, 'Not scored yet: the scoring job has not run since this customer appeared.');
  const trend = s.valueTrendDirection === 'up' ? '▲' : s.valueTrendDirection === 'down' ? '▼' : '▬';
  body.replaceChildren(
    facts([
      ['value tier', h('span', { class: `badge tier-${s.tier}` }, s.tier)],
      ['stage', s.stage],
      ['RFM', s.rfm ? `${s.rfm} · ${s.segment}` : '–'],
      ['recency', s.recencyDays === null ? '–' : `${num(s.recencyDays)} days`],
      ['value trend', `${trend} ${formatMoney(s.valueTrend)} (${formatPercent(s.valueTrendRatio, 0)}) last 90 d vs 90 d before`],
      ['P(alive)', `${formatPercent(s.probabilityAlive, 0)}${range(s.probabilityAliveLow, s.probabilityAliveHigh, (x) => formatPercent(x, 0))}`],
      ['expected purchases, 90 d', `${num(s.expectedPurchases90, 2)}${range(s.expectedPurchases90Low, s.expectedPurchases90High, (x) => num(x, 2))}`],
      ['purchases in 90 d, predictive 90%', s.purchases90Low === null || s.purchases90Low === undefined ? '–' : `${num(s.purchases90Low)} to ${num(s.purchases90High)}`],
      ['predicted CLV', `${formatMoney(s.predictedClv)}${range(s.predictedClvLow, s.predictedClvHigh, formatMoney)}`],
      ['sentiment', s.sentimentMean === null ? '–' : `${num(s.sentimentMean, 2)}${s.sentimentDrop ? ' (dropped)' : ''}`],
      ['promises', `${s.promisesOpen} open, ${s.promisesDueSoon} due soon, ${s.promisesOverdue} overdue`],
      ['scored', date(s.scoredAt)],
    ]),
  );
}

function renderLifecycle(body, l) {
  const transitions = l.transitions ?? [];
  body.replaceChildren(
    h('p', {}, 'Now: ', l.stage ? h('strong', {}, l.stage) : h('span', { class: 'muted' }, 'not scored yet'), l.stageSince ? ` since ${date(l.stageSince)}` : '', l.stageReason ? h('span', { class: 'muted' }, ` — ${l.stageReason}`) : ''),
  );
  if (transitions.length === 0) return body.append(h('p', { class: 'muted small' }, 'No stage transitions recorded yet (they are recorded by scoring runs).'));
  const spans = stageSpans(transitions, new Date().toISOString());
  const total = spans.reduce((sum, s) => sum + s.days, 0) || 1;
  body.append(
    h(
      'div',
      { class: 'timeline', role: 'img', 'aria-label': 'time spent in each lifecycle stage' },
      spans.map((s) => h('div', { style: { flex: `${Math.max(s.days / total, 0.02)}`, background: STAGE_COLOURS[s.stage] ?? PALETTE.grey }, title: `${s.stage}: ${date(s.from)} → ${date(s.to)} (${Math.round(s.days)} days)` }, s.stage)),
    ),
    h('div', { class: 'timeline-axis' }, h('span', {}, date(spans[0]?.from)), h('span', {}, 'now')),
    h(
      'ol',
      { class: 'transitions' },
      [...transitions].reverse().map((t) =>
        h('li', { style: { borderLeftColor: STAGE_COLOURS[t.to] ?? PALETTE.grey } }, h('span', { class: 'when' }, date(t.at)), ' ', h('strong', {}, `${t.from ?? 'start'} → ${t.to}`), h('div', { class: 'muted small' }, t.reason)),
      ),
    ),
  );
}

function renderPromises(body, view) {
  const list = view.promises ?? [];
  if (list.length === 0) return unavailable(body, 'No promises made to this customer.');
  const c = view.counts ?? {};
  body.replaceChildren(
    h('p', { class: 'muted small' }, `${c.made ?? list.length} made · ${c.keptOnTime ?? 0} kept on time · ${c.keptLate ?? 0} late · ${c.broken ?? 0} broken · ${c.currentlyOverdue ?? 0} overdue now · kept-on-time rate ${formatPercent(view.keptOnTimeRate, 0)}`),
    table(
      ['promise', 'made by', 'made', 'due', 'renegotiated', 'status', 'closed'],
      list.map((p) =>
        h(
          'tr',
          {},
          h('td', {}, typeof p.description === 'string' ? p.description : h('span', { class: 'muted' }, p.promiseId)),
          h('td', {}, p.madeBy ?? '–'),
          h('td', {}, date(p.madeAt)),
          h('td', {}, date(p.dueAt)),
          h('td', {}, p.renegotiations?.length ? `${p.renegotiations.length}× (was ${date(p.originalDueAt)})` : ''),
          h('td', {}, h('span', { class: `badge st-${p.status}` }, String(p.status).replaceAll('_', ' '))),
          h('td', {}, date(p.closedAt)),
        ),
      ),
    ),
  );
}

/** The words that drove a text moment, signed ("rude −2.1, 太失望 −3.3"); a survey comment's own score after them. */
function why(m) {
  const words = m.terms.map((t) => `${t.term} ${t.weight > 0 ? '+' : '−'}${Math.abs(t.weight).toFixed(1)}`).join(', ');
  return m.textScore === undefined ? words : `comment ${m.textScore.toFixed(2)}: ${words}`;
}

function renderSentiment(chartBody, factsBody, doc) {
  const moments = [...(doc.moments ?? [])].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  if (moments.length === 0) {
    unavailable(factsBody, 'No scored moment yet.');
    return unavailable(chartBody, 'No scored moment for this customer yet (surveys, comments, complaints and call notes are scored).');
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
          { label: 'moments', data: moments.map((m) => ({ ...point(m), m })), backgroundColor: moments.map((m) => (m.score >= 0 ? 'rgba(22,163,74,.55)' : 'rgba(220,38,38,.55)')), pointRadius: 4 },
          { label: 'rolling mean (5 moments)', type: 'line', data: moments.map((m, i) => ({ x: Date.parse(m.at), y: means[i] })), borderColor: PALETTE.accent, borderWidth: 2, pointRadius: 0, tension: 0 },
          { label: 'peak', data: peak ? [point(peak)] : [], pointStyle: 'star', pointRadius: 12, borderColor: PALETTE.warn, backgroundColor: PALETTE.warn, borderWidth: 2 },
          { label: 'end', data: end ? [point(end)] : [], pointStyle: 'rectRot', pointRadius: 9, borderColor: PALETTE.ink, backgroundColor: PALETTE.ink },
        ],
      },
      options: {
        parsing: false,
        scales: { x: { type: 'linear', ticks: dateTicks }, y: { min: -1.05, max: 1.05, title: { display: true, text: 'score (-1..1)' } } },
        plugins: {
          tooltip: {
            callbacks: {
              label: (ctx) => {
                const m = ctx.raw.m;
                const line = `${new Date(ctx.parsed.x).toISOString().slice(0, 10)}: ${ctx.parsed.y.toFixed(2)}${m ? ` (${m.source}, ${m.kind}${m.language ? `, ${m.language}` : ''})` : ''}`;
                return m?.terms?.length ? [line, `why: ${why(m)}`] : line;
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
    h('p', { class: 'muted small' }, 'People remember an experience by its most intense moment and by how it ended (the peak-end rule).'),
    facts([
      ['peak', peak ? `${peak.score.toFixed(2)} on ${date(peak.at)} (${peak.source})${peak.terms?.length ? `: ${why(peak)}` : ''}` : '–'],
      ['end', end ? `${end.score.toFixed(2)} on ${date(end.at)} (${end.source})${end.terms?.length ? `: ${why(end)}` : ''}` : '–'],
      ['peak-end score', score === null || score === undefined ? '–' : score.toFixed(2)],
      ['rolling mean', num(doc.rollingMean, 2)],
      ['trend', doc.trend ? `${doc.trend}${doc.trendPer30Days !== null && doc.trendPer30Days !== undefined ? ` (${doc.trendPer30Days.toFixed(2)} per 30 days)` : ''}` : '–'],
      ['drop', doc.drop?.flagged ? h('span', { class: 'flag' }, `▼ ${doc.drop.amount.toFixed(2)} below its recent high (${date(doc.drop.highAt)})`) : 'none'],
      ['moments', num(moments.length)],
    ]),
  );
}

function renderHistory(body, page) {
  const events = page.events ?? page.items ?? [];
  if (events.length === 0) return unavailable(body, 'No events.');
  const recent = events.slice(-25).reverse();
  body.replaceChildren(
    h('p', { class: 'muted small' }, page.nextCursor !== null && page.nextCursor !== undefined ? `The first ${events.length} events of the stream; the latest 25 of them, newest first.` : `${events.length} events; the latest 25, newest first.`),
    table(
      ['rev', 'event', 'occurred', 'recorded', 'actor', 'channel'],
      recent.map((e) =>
        h(
          'tr',
          {},
          h('td', { class: 'num' }, e.revision ?? '–'),
          h('td', {}, e.type),
          h('td', {}, (e.metadata?.occurredAt ?? '').replace('T', ' ').slice(0, 16)),
          h('td', {}, (e.metadata?.recordedAt ?? '').replace('T', ' ').slice(0, 19)),
          h('td', {}, typeof e.metadata?.actor === 'object' ? `${e.metadata.actor.id ?? ''} (${e.metadata.actor.role ?? ''})` : (e.metadata?.actor ?? '–')),
          h('td', {}, e.metadata?.channel ?? '–'),
        ),
      ),
    ),
  );
}
