// The front line's worklist: an agent's or a team's follow-ups by priority with their reasons, worked
// from the page (complete by logging the call that did it, or by naming a touchpoint already recorded;
// dismiss; reassign), and, for analysts, the effect of following up per rule.
import { getJson, post } from '../api.js';
import { chart, PALETTE } from '../charts.js';
import { queryString } from '../console-math.js';
import { fill, h, num, panel, table, unavailable } from '../dom.js';
import { formatDateTime, t } from '../i18n.js';
import { callIdFor, effectSeries, rankEffects, urgencyCounts, worklistQuery } from '../worklist-math.js';

const URGENCY_BADGE = { overdue: 'st-broken', due: 'st-due_soon', upcoming: '' };
const OUTCOMES = ['contacted', 'resolved', 'no_answer', 'declined', 'sale'];

export async function renderWorklist({ main, params, navigate }) {
  const chosen = Object.fromEntries(['agent', 'team', 'status', 'dueWithinDays'].map((k) => [k, params.get(k) ?? '']));
  main.append(h('h1', {}, t('nav.worklist')));
  const form = h(
    'form',
    { class: 'filters' },
    h('label', {}, t('worklist.agent'), h('input', { name: 'agent', value: chosen.agent, placeholder: 'agent-7' })),
    h('label', {}, t('worklist.team'), h('input', { name: 'team', value: chosen.team, placeholder: 'key-accounts' })),
    h('label', {}, t('worklist.status'), h('select', { name: 'status' }, ['open', 'completed', 'dismissed'].map((s) => h('option', { value: s, selected: (chosen.status || 'open') === s }, t(`worklist.statuses.${s}`))))),
    h('label', {}, t('worklist.dueWithin'), h('select', { name: 'dueWithinDays' }, h('option', { value: '' }, t('common.any')), [0, 1, 7, 30].map((d) => h('option', { value: d, selected: chosen.dueWithinDays === String(d) }, t('worklist.days', { n: d }))))),
    h('button', { type: 'submit', class: 'primary' }, t('worklist.show')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const values = Object.fromEntries(new FormData(form).entries());
    navigate('/worklist', Object.fromEntries(Object.entries(values).filter(([, v]) => v !== '')));
  });
  main.append(h('section', { class: 'panel' }, form));

  const list = panel(t('worklist.list'), 12);
  const effect = panel(t('worklist.effect'), 12);
  main.append(h('div', { class: 'grid', style: { marginTop: '16px' } }, list.el, effect.el));
  const query = worklistQuery(chosen);
  // After a change, the list is read again once the worklist has applied it (read your own writes).
  const load = (position) =>
    fill(list.body, async () => renderList(list.body, await getJson(`/worklist?${queryString({ ...query, 'min-position': position })}`), load));
  await Promise.all([
    query ? load(undefined) : unavailable(list.body, t('worklist.pickAgentOrTeam')),
    fill(effect.body, async () => renderEffect(effect.body, await getJson('/worklist/effect?horizonDays=30'))),
  ]);
}

function renderList(body, page, reload) {
  const counts = urgencyCounts(page.items);
  const summary = h('p', { class: 'muted small' }, t('worklist.summary', { overdue: num(counts.overdue), due: num(counts.due), upcoming: num(counts.upcoming), time: formatDateTime(page.now) }));
  if (page.items.length === 0) return body.replaceChildren(summary, h('p', { class: 'muted' }, t('worklist.empty')));
  const rows = page.items.map((item) => {
    const actions = h('td', { class: 'actions' });
    if (item.status === 'open') actions.append(...actionButtons(item, actions, reload));
    else actions.append(h('span', { class: 'muted small' }, item.outcome ? t('worklist.outcomeWith', { outcome: t(`worklist.outcomes.${item.outcome}`), touchpoint: item.touchpointEventId }) : t('worklist.statuses.dismissed')));
    return h(
      'tr',
      { 'data-follow-up': item.followUpId },
      h('td', {}, h('span', { class: 'badge' }, item.priority.toUpperCase())),
      h('td', {}, h('span', { class: `badge ${URGENCY_BADGE[item.urgency] ?? ''}` }, t(`worklist.urgency.${item.urgency}`))),
      h('td', {}, h('a', { href: `#/customer/${encodeURIComponent(item.customerId)}` }, item.customerId)),
      h('td', {}, t(`worklist.rules.${item.rule}`)),
      h('td', {}, formatDateTime(item.dueAt)),
      h('td', {}, item.reasons.map((r) => h('div', { class: 'small' }, r.detail, r.eventIds.length ? h('span', { class: 'muted', title: r.eventIds.join('\n') }, ` · ${t('worklist.events', { n: r.eventIds.length })}`) : null))),
      h('td', { class: 'small' }, [item.agentId, item.team].filter(Boolean).join(' · ')),
      actions,
    );
  });
  body.replaceChildren(
    summary,
    table([t('worklist.priority'), t('worklist.urgencyColumn'), t('worklist.customer'), t('worklist.rule'), t('worklist.due'), t('worklist.reasons'), t('worklist.assignee'), ''], rows),
  );
}

/** Complete (log a call, or name a touchpoint already recorded), dismiss, reassign: each through the command API. */
function actionButtons(item, cell, reload) {
  const base = `/customers/${encodeURIComponent(item.customerId)}/follow-ups/${encodeURIComponent(item.followUpId)}`;
  const show = (form) => cell.replaceChildren(form);
  const submit = async (form, work) => {
    const error = form.querySelector('.error') ?? form.appendChild(h('p', { class: 'error small' }));
    try {
      const result = await work(Object.fromEntries(new FormData(form).entries()));
      await reload(result?.position);
    } catch (e) {
      error.textContent = e.message;
    }
  };
  const completeForm = () => {
    const form = h(
      'form',
      { class: 'inline-form' },
      h('label', {}, t('worklist.outcome'), h('select', { name: 'outcome' }, OUTCOMES.map((o) => h('option', { value: o }, t(`worklist.outcomes.${o}`))))),
      h('label', {}, t('worklist.touchpoint'), h('input', { name: 'touchpointEventId', placeholder: t('worklist.touchpointHint') })),
      h('label', {}, t('worklist.callTopic'), h('input', { name: 'topic', value: t(`worklist.rules.${item.rule}`) })),
      h('label', {}, t('worklist.note'), h('input', { name: 'note' })),
      h('button', { type: 'submit' }, t('worklist.complete')),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void submit(form, async (values) => {
        let touchpointEventId = values.touchpointEventId?.trim();
        if (!touchpointEventId) {
          // No touchpoint named: the call that did it is logged first, then linked.
          const call = await post(`/customers/${encodeURIComponent(item.customerId)}/calls`, {
            callId: callIdFor(item.followUpId, Date.now()),
            direction: 'outbound',
            durationSeconds: 0,
            agentId: item.agentId ?? 'console',
            topic: values.topic || item.rule,
            outcome: values.outcome === 'sale' ? 'sale' : values.outcome === 'no_answer' ? 'no_answer' : 'resolved',
            channel: 'phone',
          });
          touchpointEventId = call.events[0].eventId;
        }
        return post(`${base}/completion`, { outcome: values.outcome, touchpointEventId, ...(values.note ? { note: values.note } : {}) });
      });
    });
    return form;
  };
  const dismissForm = () => {
    const form = h('form', { class: 'inline-form' }, h('label', {}, t('worklist.reason'), h('input', { name: 'reason', required: true })), h('button', { type: 'submit' }, t('worklist.dismiss')));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void submit(form, (values) => post(`${base}/dismissal`, { reason: values.reason }));
    });
    return form;
  };
  const reassignForm = () => {
    const form = h(
      'form',
      { class: 'inline-form' },
      h('label', {}, t('worklist.agent'), h('input', { name: 'agentId', value: item.agentId ?? '' })),
      h('label', {}, t('worklist.team'), h('input', { name: 'team', value: item.team ?? '' })),
      h('button', { type: 'submit' }, t('worklist.reassign')),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void submit(form, (values) => post(`${base}/reassignment`, { to: Object.fromEntries(Object.entries(values).filter(([, v]) => v)) }));
    });
    return form;
  };
  return [
    h('button', { type: 'button', onclick: () => show(completeForm()) }, t('worklist.complete')),
    h('button', { type: 'button', class: 'secondary', onclick: () => show(dismissForm()) }, t('worklist.dismiss')),
    h('button', { type: 'button', class: 'secondary', onclick: () => show(reassignForm()) }, t('worklist.reassign')),
  ];
}

function renderEffect(body, report) {
  const rules = rankEffects(report.rules ?? []);
  if (rules.length === 0) return unavailable(body, t('worklist.noEffect', { days: report.horizonDays }));
  const rows = rules.map((r) =>
    h(
      'tr',
      { 'data-rule': r.rule },
      h('td', {}, t(`worklist.rules.${r.rule}`)),
      h('td', { class: 'num' }, num(r.followedUp.count)),
      h('td', { class: 'num' }, `${num(r.followedUp.before, 1)} → ${num(r.followedUp.after, 1)}`),
      h('td', { class: 'num' }, num(r.notFollowedUp.count)),
      h('td', { class: 'num' }, `${num(r.notFollowedUp.before, 1)} → ${num(r.notFollowedUp.after, 1)}`),
      h('td', { class: 'num' }, r.effect === null ? '–' : `${r.effect > 0 ? '+' : ''}${num(r.effect, 1)}`),
    ),
  );
  body.replaceChildren(
    table([t('worklist.rule'), h('th', { class: 'num' }, t('worklist.followedUp')), h('th', { class: 'num' }, t('worklist.beforeAfter')), h('th', { class: 'num' }, t('worklist.notFollowedUp')), h('th', { class: 'num' }, t('worklist.beforeAfter')), h('th', { class: 'num' }, t('worklist.effectColumn'))], rows),
    h('p', { class: 'muted small' }, t('worklist.effectExplain', { days: report.horizonDays })),
  );
  const top = rules[0];
  const series = effectSeries(top);
  chart(body, {
    type: 'line',
    data: {
      labels: series.weeks.map((w) => t('worklist.week', { n: w })),
      datasets: [
        { label: t('worklist.followedUp'), data: series.followedUp, borderColor: PALETTE.good, backgroundColor: PALETTE.good },
        { label: t('worklist.notFollowedUp'), data: series.notFollowedUp, borderColor: PALETTE.grey, backgroundColor: PALETTE.grey },
      ],
    },
    options: { plugins: { title: { display: true, text: t('worklist.chartTitle', { rule: t(`worklist.rules.${top.rule}`) }) } }, scales: { y: { suggestedMin: 0, suggestedMax: 100 } } },
  });
}
