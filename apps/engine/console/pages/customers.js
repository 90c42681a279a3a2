// Customers: the analyst query (filters, sort, cursor paging) with a CSV export of the same query.
import { getCsv, getJson } from '../api.js';
import { queryString } from '../console-math.js';
import { date, fill, h, num } from '../dom.js';
import { formatMoney, formatPercent, segmentLabel, stageLabel, t } from '../i18n.js';
import { STAGES } from './overview.js';

const TIERS = ['A', 'B', 'C'];
const SEGMENTS = ['Champions', 'Loyal', 'Potential Loyalist', 'New', 'Promising', 'Need Attention', 'About to Sleep', 'At Risk', "Can't Lose Them", 'Hibernating', 'Lost'];
const FILTER_KEYS = ['stage', 'tier', 'segment', 'region', 'netRevenueMin', 'netRevenueMax', 'recencyDaysMin', 'recencyDaysMax', 'ordersMin', 'sentimentDrop', 'sort', 'limit'];

/** Columns: field (its heading is customers.column.<field>), formatter, sortable (on the API's SORTABLE_FIELDS). */
const COLUMNS = [
  ['customerId', null, true],
  ['region', null, false],
  ['stage', stageLabel, false],
  ['tier', (v) => (v ? h('span', { class: `badge tier-${v}` }, v) : '–'), false],
  ['segment', null, false],
  ['orders', (v) => num(v), true],
  ['netRevenue', formatMoney, true],
  ['recencyDays', (v) => num(v), true],
  ['lastPurchaseAt', date, true],
  ['valueTrendRatio', (v) => formatPercent(v, 0), true],
  ['probabilityAlive', (v, c) => withInterval(formatPercent(v, 0), c.probabilityAliveLow, c.probabilityAliveHigh, (x) => formatPercent(x, 0)), true],
  ['predictedClv', (v, c) => withInterval(formatMoney(v), c.predictedClvLow, c.predictedClvHigh, formatMoney), true],
  ['sentimentMean', (v) => num(v, 2), true],
  ['sentimentDrop', (v) => (v ? h('span', { class: 'flag' }, '▼') : ''), false],
  ['promisesOverdue', (v) => num(v), true],
];
/** A value with its 90% interval beneath it, when the run has one. */
const withInterval = (shown, low, high, format) =>
  low === null || low === undefined ? shown : h('span', { title: t('customers.intervalTitle') }, shown, h('span', { class: 'muted small', style: { display: 'block' } }, `${format(low)}–${format(high)}`));

const NUMERIC = new Set(['orders', 'netRevenue', 'averageOrderValue', 'recencyDays', 'valueTrendRatio', 'probabilityAlive', 'predictedClv', 'sentimentMean', 'promisesOverdue']);

export async function renderCustomers({ main, params, navigate }) {
  const filters = Object.fromEntries(FILTER_KEYS.filter((k) => params.get(k)).map((k) => [k, params.get(k)]));
  const cursors = (params.get('trail') ?? '').split('~').filter(Boolean); // cursors of the pages before this one
  const cursor = params.get('cursor') ?? undefined;
  const apiQuery = queryString({ ...filters, cursor });

  const go = (next, keepPage = false) => {
    const state = { ...next };
    if (keepPage) Object.assign(state, keepPage);
    navigate('/customers', Object.fromEntries(Object.entries(state).filter(([, v]) => v !== undefined && v !== '')));
  };

  const form = filterForm(filters, (values) => go(values));
  const status = h('span', { class: 'muted small' });
  const csvButton = h('button', { type: 'button' }, t('customers.downloadCsv'));
  csvButton.addEventListener('click', () => downloadCsv(queryString({ ...filters, limit: undefined }), csvButton));
  const tableBody = h('div', { class: 'table-wrap' }, h('p', { class: 'muted' }, t('common.loading')));
  const pager = h('div', { class: 'pager' });
  main.append(h('h1', {}, t('nav.customers')), h('section', { class: 'panel' }, form, h('div', { class: 'pager' }, csvButton, status), tableBody, pager));

  await fill(tableBody, async () => {
    const page = await getJson(`/analytics/customers${apiQuery ? `?${apiQuery}` : ''}`);
    const sort = filters.sort ?? '-netRevenue';
    const head = h(
      'tr',
      {},
      COLUMNS.map(([field, , sortable]) => {
        const active = sort.replace(/^-/, '') === field;
        const arrow = active ? (sort.startsWith('-') ? ' ▼' : ' ▲') : '';
        const th = h('th', { class: [sortable ? 'sortable' : '', NUMERIC.has(field) ? 'num' : ''].join(' '), title: sortable ? t('customers.sort') : null }, t(`customers.column.${field}`) + arrow);
        if (sortable) th.addEventListener('click', () => go({ ...filters, sort: active && sort.startsWith('-') ? field : `-${field}` }));
        return th;
      }),
    );
    const rows = page.items.map((c) =>
      h(
        'tr',
        {},
        COLUMNS.map(([field, format]) => {
          const value = c[field];
          const shown =
            field === 'customerId'
              ? h('a', { href: `#/customer/${encodeURIComponent(value)}` }, value)
              : field === 'segment'
                ? value
                  ? h('span', { title: t('customers.rfmTitle', { rfm: c.rfm }) }, segmentLabel(value), h('span', { class: 'muted small' }, ` ${c.rfm}`))
                  : '–'
                : format
                  ? format(value, c)
                  : (value ?? '–');
          return h('td', { class: NUMERIC.has(field) ? 'num' : '' }, shown);
        }),
      ),
    );
    tableBody.replaceChildren(rows.length ? h('table', {}, h('thead', {}, head), h('tbody', {}, rows)) : h('p', { class: 'muted' }, t('customers.none')));
    const pageNumber = cursors.length + (cursor ? 1 : 0) + 1;
    status.textContent = t('customers.pageStatus', { page: num(pageNumber), count: page.items.length, rows: num(page.items.length) });
    const previous = h('button', { type: 'button', disabled: pageNumber === 1 }, t('common.previous'));
    previous.addEventListener('click', () => {
      const trail = [...cursors];
      const before = cursor ? trail.pop() : undefined;
      go({ ...filters, cursor: before, trail: trail.join('~') || undefined });
    });
    const next = h('button', { type: 'button', disabled: !page.nextCursor }, t('common.next'));
    next.addEventListener('click', () => go({ ...filters, cursor: page.nextCursor, trail: [...cursors, ...(cursor ? [cursor] : [])].join('~') || undefined }));
    pager.replaceChildren(previous, next);
  });
}

function filterForm(filters, apply) {
  const select = (name, options, label, { multiple = false, size } = {}) => {
    const chosen = new Set((filters[name] ?? '').split(',').filter(Boolean));
    return h(
      'label',
      {},
      t(`customers.filter.${name}`),
      h('select', { name, multiple, size, title: multiple ? t('customers.chooseSeveral') : null }, multiple ? null : h('option', { value: '' }, t('common.any')), options.map((o) => h('option', { value: o, selected: chosen.has(o) }, label(o)))),
    );
  };
  const input = (name, type = 'number') => h('label', {}, t(`customers.filter.${name}`), h('input', { name, type, value: filters[name] ?? '', step: 'any' }));
  const form = h(
    'form',
    { class: 'filters' },
    select('stage', STAGES, stageLabel, { multiple: true, size: 6 }),
    select('tier', TIERS, (tier) => tier, { multiple: true, size: 3 }),
    select('segment', SEGMENTS, segmentLabel, { multiple: true, size: 6 }),
    input('region', 'text'),
    input('netRevenueMin'),
    input('netRevenueMax'),
    input('recencyDaysMin'),
    input('recencyDaysMax'),
    input('ordersMin'),
    h('label', {}, t('customers.filter.sentimentDrop'), h('select', { name: 'sentimentDrop' }, ['', 'true', 'false'].map((v) => h('option', { value: v, selected: (filters.sentimentDrop ?? '') === v }, v === '' ? t('common.any') : v === 'true' ? t('customers.dropped') : t('customers.noDrop'))))),
    h('label', {}, t('customers.filter.limit'), h('select', { name: 'limit' }, ['25', '50', '100', '250'].map((v) => h('option', { value: v, selected: (filters.limit ?? '50') === v }, v)))),
    h('button', { type: 'submit', class: 'primary' }, t('common.apply')),
    h('button', { type: 'reset' }, t('common.clear')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const values = {};
    for (const el of form.elements) {
      if (!el.name) continue;
      const value = el.multiple ? [...el.selectedOptions].map((o) => o.value).join(',') : el.value.trim();
      if (value) values[el.name] = value;
    }
    if (filters.sort) values.sort = filters.sort;
    apply(values);
  });
  form.addEventListener('reset', (event) => {
    event.preventDefault();
    apply({});
  });
  return form;
}

/** The same query as CSV (every page, server side), fetched with the key and saved as a file. */
async function downloadCsv(query, button) {
  const label = button.textContent;
  button.disabled = true;
  button.textContent = t('customers.preparingCsv');
  try {
    const blob = await getCsv(`/analytics/customers${query ? `?${query}` : ''}`);
    const url = URL.createObjectURL(blob);
    const link = h('a', { href: url, download: `customers-${new Date().toISOString().slice(0, 10)}.csv` });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  } catch (error) {
    alert(t('customers.csvFailed', { message: error.message }));
  } finally {
    button.disabled = false;
    button.textContent = label;
  }
}
