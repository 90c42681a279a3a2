// A customer's whole stream, newest first, a page at a time: the auditors' view of the history.
import { getJson } from '../api.js';
import { h, num, table, unavailable } from '../dom.js';
import { formatDateTime, t } from '../i18n.js';
import { lastRevision, newestFirstPage, outsideReplay, pageOfRevision } from '../history-math.js';

/** The route's largest page: a stream shorter than this is read in one request. */
const FIRST_READ = 1000;
const historyPath = (id, cursor, limit) => `/audit/customers/${encodeURIComponent(id)}/history?cursor=${cursor}&limit=${limit}`;

/** The stream's length; the events too when they fit in the first read. */
async function streamSize(id) {
  const first = await getJson(historyPath(id, 0, FIRST_READ));
  if (first.nextCursor === null || first.nextCursor === undefined) return { total: first.events.length, events: first.events };
  const exists = async (revision) => (await getJson(historyPath(id, revision, 1))).events.length > 0;
  return { total: (await lastRevision(exists, FIRST_READ - 1)) + 1, events: null };
}

/**
 * Fills `body` with the history pager. `replay` ({ asOf, knownAt }) marks the events a replay leaves out.
 */
export async function historyPager(body, id, { pageSize = 50, replay = {} } = {}) {
  const { total, events: all } = await streamSize(id);
  if (total === 0) return unavailable(body, t('history.none'));
  let page = 0;
  const summary = h('span', { class: 'muted small' });
  const rows = h('div', {});
  const buttons = {
    newest: h('button', { type: 'button', onclick: () => show(0) }, t('history.newest')),
    newer: h('button', { type: 'button', onclick: () => show(page - 1) }, t('history.newer')),
    older: h('button', { type: 'button', onclick: () => show(page + 1) }, t('history.older')),
    oldest: h('button', { type: 'button', onclick: () => show(Infinity) }, t('history.oldest')),
  };
  const revision = h('input', { type: 'number', min: 0, max: total - 1, step: 1, 'aria-label': t('history.goTo'), placeholder: t('history.revision') });
  const jump = h('form', { class: 'inline', onsubmit: (event) => (event.preventDefault(), revision.value !== '' && show(pageOfRevision(total, pageSize, Number(revision.value)))) }, revision, h('button', { type: 'submit' }, t('history.goTo')));
  body.replaceChildren(h('div', { class: 'pager' }, buttons.newest, buttons.newer, buttons.older, buttons.oldest, jump, summary), rows);

  async function show(wanted) {
    const range = newestFirstPage(total, pageSize, wanted === Infinity ? Number.MAX_SAFE_INTEGER : wanted);
    page = range.page;
    buttons.newest.disabled = buttons.newer.disabled = page === 0;
    buttons.older.disabled = buttons.oldest.disabled = page >= range.pages - 1;
    summary.textContent = t('history.summary', { from: num(range.from), to: num(range.to), total: num(total), count: total, page: num(page + 1), pages: num(range.pages) });
    try {
      const events = all ? all.slice(range.from, range.to + 1) : (await getJson(historyPath(id, range.from, range.count))).events;
      rows.replaceChildren(eventTable([...events].reverse(), replay));
    } catch (error) {
      unavailable(rows, error);
    }
  }
  await show(0);
}

function actorOf(metadata) {
  const actor = metadata?.actor;
  if (actor && typeof actor === 'object') return `${actor.id ?? ''} (${actor.role ?? ''})`;
  return actor ?? '–';
}

function eventTable(events, { asOf, knownAt }) {
  return table(
    [h('th', { class: 'num' }, t('history.rev')), t('history.event'), t('history.occurred'), t('history.recorded'), t('history.actor'), t('history.channel'), t('history.data')],
    events.map((e) => {
      const outside = outsideReplay(e, asOf, knownAt);
      return h(
        'tr',
        { class: outside ? 'outside' : null, title: outside ? t(`history.${outside}`) : null },
        h('td', { class: 'num' }, e.revision ?? '–'),
        h('td', {}, h('code', {}, e.type), outside ? h('span', { class: 'badge st-due_soon', style: { marginLeft: '6px' } }, t(`history.${outside}Short`)) : null),
        h('td', {}, formatDateTime(e.metadata?.occurredAt)),
        h('td', {}, formatDateTime(e.metadata?.recordedAt, true)),
        h('td', {}, actorOf(e.metadata)),
        h('td', {}, e.metadata?.channel ?? '–'),
        h('td', {}, h('details', {}, h('summary', {}, t('history.show')), h('pre', { class: 'json' }, JSON.stringify({ data: e.data, metadata: e.metadata }, null, 2)))),
      );
    }),
  );
}
