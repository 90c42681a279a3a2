// Complaints and SLAs: the desk's counts, first-reply / next-reply / resolution times in business hours,
// the policies in force, and the complaints open, overdue, near their deadline or breached, as of a date.
import { getJson } from '../api.js';
import { queryString } from '../console-math.js';
import { facts, fill, h, num, panel, table, unavailable } from '../dom.js';
import { codeLabel, formatDateTime, formatHours, formatWeekday, statusLabel, t } from '../i18n.js';
import { calendarSummary, complaintSteps, slaMetricRows } from '../kpi-math.js';
import { timeForm } from './time-form.js';

const LISTS = ['open', 'warning', 'overdue', 'breached'];
const SEVERITIES = ['low', 'medium', 'high', 'critical'];
const STEP_BADGE = { met: 'st-kept_on_time', pending: '', warning: 'st-due_soon', late: 'st-kept_late', breached: 'st-broken', overdue: 'st-broken', paused: 'st-due_soon' };
// Steps done late with no breach on record, per step (the summary shows their total).
const lateSteps = (late) => Object.values(late).reduce((sum, n) => sum + n, 0);

export async function renderComplaints({ main, params, navigate }) {
  const chosen = Object.fromEntries(['asOf', 'knownAt', 'list', 'severity', 'cursor', 'trail'].filter((k) => params.get(k)).map((k) => [k, params.get(k)]));
  const list = LISTS.includes(chosen.list) ? chosen.list : 'open';
  main.append(h('h1', {}, t('nav.complaints')));
  const extra = [
    h('label', {}, t('complaints.severity'), h('select', { name: 'severity' }, h('option', { value: '' }, t('common.any')), SEVERITIES.map((s) => h('option', { value: s, selected: chosen.severity === s }, t(`complaints.severities.${s}`))))),
    h('input', { type: 'hidden', name: 'list', value: list }),
  ];
  main.append(h('section', { class: 'panel' }, timeForm(chosen, extra, (values) => navigate('/complaints', values))));

  const tiles = h('div', { class: 'grid', style: { marginTop: '16px' } });
  const metrics = panel(t('complaints.metrics'), 7);
  const bySeverity = panel(t('complaints.bySeverity'), 5);
  const items = panel(t('complaints.list'), 12);
  const policy = panel(t('complaints.policy'), 12);
  main.append(tiles, h('div', { class: 'grid', style: { marginTop: '16px' } }, metrics.el, bySeverity.el, items.el, policy.el));

  const base = { asOf: chosen.asOf, knownAt: chosen.knownAt, severity: chosen.severity };
  const query = queryString({ ...base, list, cursor: chosen.cursor });
  const report = getJson(`/analytics/complaints/sla?${query}`);
  const go = (next) => navigate('/complaints', Object.fromEntries(Object.entries({ ...base, list, ...next }).filter(([, v]) => v)));
  await Promise.all([
    fill(tiles, async () => renderTiles(tiles, await report)),
    fill(metrics.body, async () => renderMetrics(metrics.body, await report)),
    fill(bySeverity.body, async () => renderSeverities(bySeverity.body, await report)),
    fill(items.body, async () => renderItems(items.body, await report, list, chosen, go)),
    fill(policy.body, async () => renderPolicy(policy.body, (await report).policy)),
  ]);
}

function renderTiles(container, report) {
  const s = report.summary ?? {};
  const tile = (key, value) => h('div', { class: 'panel kpi span-3' }, h('div', { class: 'label' }, t(`complaints.summary.${key}`)), h('div', { class: 'value' }, num(value)));
  container.replaceChildren(
    tile('open', s.open),
    tile('pastDeadline', s.pastDeadline),
    tile('breachedComplaints', s.breachedComplaints),
    h(
      'div',
      { class: 'panel kpi span-3' },
      h('div', { class: 'label' }, t('complaints.summary.breaches')),
      h('div', { class: 'value' }, num(Object.values(s.breaches ?? {}).reduce((sum, n) => sum + (n ?? 0), 0))),
      h('div', { class: 'muted small' }, Object.entries(s.breaches ?? {}).map(([step, n]) => `${t(`complaints.step.${step}`)} ${num(n)}`).join(' · '), s.late !== undefined ? ` · ${t('complaints.summary.late', { n: num(lateSteps(s.late)) })}` : ''),
    ),
    h('p', { class: 'muted small span-12' }, t('complaints.asOf', { time: formatDateTime(report.now ?? report.asOf) })),
  );
}

function renderMetrics(body, report) {
  if (!report.metrics) return unavailable(body, t('complaints.noMetrics'));
  body.replaceChildren(
    table(
      [t('complaints.stepColumn'), h('th', { class: 'num' }, t('complaints.median')), h('th', { class: 'num' }, t('complaints.p90')), h('th', { class: 'num' }, t('complaints.measured')), h('th', { class: 'num' }, t('complaints.breachesColumn'))],
      slaMetricRows(report.metrics).map((m) =>
        h('tr', { 'data-step': m.step }, h('td', {}, t(`complaints.step.${m.step}`)), h('td', { class: 'num' }, formatHours(m.median)), h('td', { class: 'num' }, formatHours(m.p90)), h('td', { class: 'num' }, num(m.count)), h('td', { class: m.breaches ? 'num flag' : 'num' }, num(m.breaches))),
      ),
    ),
    h('p', { class: 'muted small' }, t('complaints.metricsExplain')),
  );
}

function renderSeverities(body, report) {
  const by = report.summary?.bySeverity ?? {};
  body.replaceChildren(
    table(
      [t('complaints.severity'), h('th', { class: 'num' }, t('complaints.summary.open')), h('th', { class: 'num' }, t('complaints.summary.pastDeadline'))],
      SEVERITIES.filter((s) => by[s]).map((s) => h('tr', {}, h('td', {}, h('span', { class: `badge sev-${s}` }, t(`complaints.severities.${s}`))), h('td', { class: 'num' }, num(by[s].open)), h('td', { class: 'num' }, num(by[s].pastDeadline)))),
    ),
  );
}

function stepCell(step) {
  if (!step) return h('td', { class: 'muted' }, '–');
  return h(
    'td',
    {},
    h('span', { class: `badge ${STEP_BADGE[step.status] ?? ''}` }, statusLabel(step.status)),
    h('div', { class: 'muted small' }, t('complaints.due', { time: formatDateTime(step.dueAt) })),
    step.doneAt ? h('div', { class: 'muted small' }, t('complaints.done', { time: formatDateTime(step.doneAt) })) : null,
    step.pausedHours ? h('div', { class: 'muted small' }, t('complaints.paused', { hours: formatHours(step.pausedHours) })) : null,
  );
}

function renderItems(body, report, list, chosen, go) {
  const tabs = h('div', { class: 'tabs', role: 'tablist' }, LISTS.map((name) => h('button', { type: 'button', role: 'tab', 'aria-selected': String(name === list), class: name === list ? 'primary' : null, onclick: () => go({ list: name }) }, t(`complaints.lists.${name}`))));
  const rows = (report.items ?? []).map((c) =>
    h(
      'tr',
      {},
      h('td', {}, c.erased ? h('span', { class: 'muted' }, t('complaints.erased')) : h('a', { href: `#/customer/${encodeURIComponent(c.customerId)}` }, c.customerId)),
      h('td', {}, c.complaintId),
      h('td', {}, codeLabel('complaints.category', c.category)),
      h('td', {}, h('span', { class: `badge sev-${c.severity}` }, codeLabel('complaints.severities', c.severity))),
      h('td', {}, statusLabel(c.status)),
      h('td', {}, formatDateTime(c.filedAt)),
      stepCell(c.acknowledgement),
      stepCell(c.nextReply),
      stepCell(c.resolution),
      h('td', { class: 'num' }, num(c.breaches?.length ?? 0)),
    ),
  );
  const trail = (chosen.trail ?? '').split('~').filter(Boolean);
  // The cursors of the pages before this one; '-' stands for the first page (no cursor).
  const previous = h('button', { type: 'button', disabled: !chosen.cursor, onclick: () => go({ cursor: trail.at(-1) === '-' ? undefined : trail.at(-1), trail: trail.slice(0, -1).join('~') }) }, t('common.previous'));
  const next = h('button', { type: 'button', disabled: !report.nextCursor, onclick: () => go({ cursor: report.nextCursor, trail: [...trail, chosen.cursor ?? '-'].join('~') }) }, t('common.next'));
  body.replaceChildren(
    tabs,
    rows.length
      ? table([t('common.customer'), t('complaints.complaint'), t('complaints.categoryColumn'), t('complaints.severity'), t('complaints.statusColumn'), t('complaints.filed'), t('complaints.step.acknowledgement'), t('complaints.step.nextReply'), t('complaints.step.resolution'), h('th', { class: 'num' }, t('complaints.breachesColumn'))], rows)
      : h('div', { class: 'unavailable' }, t(`complaints.empty.${list}`)),
    h('div', { class: 'pager' }, previous, next),
  );
}

/** Policies as the engine reports them: one per severity (and category), with its calendar. */
function renderPolicy(body, policy) {
  if (!policy) return unavailable(body, t('complaints.noPolicy'));
  const policies = Array.isArray(policy) ? policy : (policy.policies ?? null);
  if (!policies) {
    // Hours per severity, wall clock: the engine's simple policy.
    return body.replaceChildren(
      table(
        [t('complaints.severity'), h('th', { class: 'num' }, t('complaints.step.acknowledgement')), h('th', { class: 'num' }, t('complaints.step.resolution'))],
        SEVERITIES.map((s) => h('tr', {}, h('td', {}, t(`complaints.severities.${s}`)), h('td', { class: 'num' }, formatHours(policy.acknowledgeHours?.[s])), h('td', { class: 'num' }, formatHours(policy.resolveHours?.[s])))),
      ),
    );
  }
  const hoursOf = (p, ...names) => formatHours(names.map((n) => p[n] ?? p.targets?.[n]).find((v) => typeof v === 'number'));
  body.replaceChildren(
    table(
      [t('complaints.severity'), t('complaints.categoryColumn'), h('th', { class: 'num' }, t('complaints.step.firstReply')), h('th', { class: 'num' }, t('complaints.step.nextReply')), h('th', { class: 'num' }, t('complaints.step.resolution')), h('th', { class: 'num' }, t('complaints.warnBefore')), t('complaints.calendar')],
      policies.map((p) =>
        h(
          'tr',
          {},
          h('td', {}, p.severity ? codeLabel('complaints.severities', p.severity) : t('common.any')),
          h('td', {}, p.category ? codeLabel('complaints.category', p.category) : t('common.any')),
          h('td', { class: 'num' }, hoursOf(p, 'firstReplyHours', 'acknowledgeHours')),
          h('td', { class: 'num' }, hoursOf(p, 'nextReplyHours')),
          h('td', { class: 'num' }, hoursOf(p, 'resolutionHours', 'resolveHours')),
          h('td', { class: 'num' }, hoursOf(p, 'warnBeforeHours', 'warnHours')),
          h('td', {}, calendarText(p.calendar)),
        ),
      ),
    ),
  );
}

/** A weekday code (`mon`) as the reader's language names it: 2024-01-01 was a Monday. */
const weekday = (code) => formatWeekday(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].indexOf(code));

function calendarText(calendar) {
  if (!calendar) return t('complaints.wallClock');
  if (typeof calendar === 'string') return calendar;
  const c = calendarSummary(calendar);
  const hours = c.hours.map((g) => `${g.from === g.to ? weekday(g.from) : `${weekday(g.from)}–${weekday(g.to)}`} ${g.spans}`).join('; ');
  return facts([
    ...(calendar.name || calendar.region ? [[t('complaints.calendarName'), calendar.name ?? calendar.region]] : []),
    [t('complaints.timeZone'), `UTC${c.offset}`],
    [t('complaints.openingHours'), hours || '–'],
    [t('complaints.holidays'), num(c.holidays)],
    [t('complaints.workdays'), num(c.workdays)],
  ]);
}
