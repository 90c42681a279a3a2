// Customers: the analyst query (filters, sort, cursor paging) with a CSV export of the same query.
import { getCsv, getJson } from '../api.js';
import { formatMoney, formatPercent, queryString } from '../console-math.js';
import { date, fill, h, num } from '../dom.js';
import { STAGES } from './overview.js';

const TIERS = ['A', 'B', 'C'];
const SEGMENTS = ['Champions', 'Loyal', 'Potential Loyalist', 'New', 'Promising', 'Need Attention', 'About to Sleep', 'At Risk', "Can't Lose Them", 'Hibernating', 'Lost'];
const FILTER_KEYS = ['stage', 'tier', 'segment', 'region', 'netRevenueMin', 'netRevenueMax', 'recencyDaysMin', 'recencyDaysMax', 'ordersMin', 'sentimentDrop', 'sort', 'limit'];

/** Columns: field, heading, formatter, sortable (on the API's SORTABLE_FIELDS). */
const COLUMNS = [
  ['customerId', 'customer', null, true],
  ['region', 'region', null, false],
  ['stage', 'stage', null, false],
  ['tier', 'tier', (v) => h('span', { class: `badge tier-${v}` }, v), false],
  ['segment', 'RFM segment', null, false],
  ['orders', 'orders', (v) => num(v), true],
  ['netRevenue', 'net revenue', formatMoney, true],
  ['recencyDays', 'days since', (v) => num(v), true],
  ['lastPurchaseAt', 'last order', date, true],
  ['valueTrendRatio', 'trend 90 d', (v) => formatPercent(v, 0), true],
  ['probabilityAlive', 'P(alive)', (v, c) => withInterval(formatPercent(v, 0), c.probabilityAliveLow, c.probabilityAliveHigh, (x) => formatPercent(x, 0)), true],
  ['predictedClv', 'pred. CLV', (v, c) => withInterval(formatMoney(v), c.predictedClvLow, c.predictedClvHigh, formatMoney), true],
  ['sentimentMean', 'sentiment', (v) => num(v, 2), true],
  ['sentimentDrop', 'drop', (v) => (v ? h('span', { class: 'flag' }, '▼') : ''), false],
  ['promisesOverdue', 'overdue', (v) => num(v), true],
];
/** A value with its 90% interval beneath it, when the run has one. */
const withInterval = (shown, low, high, format) =>
  low === null || low === undefined ? shown : h('span', { title: '90% interval from the fitted parameters' }, shown, h('span', { class: 'muted small', style: { display: 'block' } }, `${format(low)}–${format(high)}`));

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
  const csvButton = h('button', { type: 'button' }, 'Download CSV');
  csvButton.addEventListener('click', () => downloadCsv(queryString({ ...filters, limit: undefined }), csvButton));
  const tableBody = h('div', { class: 'table-wrap' }, h('p', { class: 'muted' }, 'Loading…'));
  const pager = h('div', { class: 'pager' });
  main.append(h('h1', {}, 'Customers'), h('section', { class: 'panel' }, form, h('div', { class: 'pager' }, csvButton, status), tableBody, pager));

  await fill(tableBody, async () => {
    const page = await getJson(`/analytics/customers${apiQuery ? `?${apiQuery}` : ''}`);
    const sort = filters.sort ?? '-netRevenue';
    const head = h(
      'tr',
      {},
      COLUMNS.map(([field, label, , sortable]) => {
        const active = sort.replace(/^-/, '') === field;
        const arrow = active ? (sort.startsWith('-') ? ' ▼' : ' ▲') : '';
        const th = h('th', { class: [sortable ? 'sortable' : '', NUMERIC.has(field) ? 'num' : ''].join(' '), title: sortable ? 'sort' : null }, label + arrow);
        if (sortable) th.addEventListener('click', () => go({ ...filters, sort: active && sort.startsWith('-') ? field : `-${field}` }));
        return th;
      }),
    );
    const rows = page.items.map((c) =>
      h(
        'tr',
        {},
        COLUMNS.map(([field, , format]) => {
          const value = c[field];
          const shown =
            field === 'customerId'
              ? h('a', { href: `#/customer/${encodeURIComponent(value)}` }, value)
              : field === 'segment'
                ? value
                  ? h('span', { title: `RFM ${c.rfm}` }, value, h('span', { class: 'muted small' }, ` ${c.rfm}`))
                  : '–'
                : format
                  ? format(value, c)
                  : (value ?? '–');
          return h('td', { class: NUMERIC.has(field) ? 'num' : '' }, shown);
        }),
      ),
    );
    tableBody.replaceChildren(rows.length ? h('table', {}, h('thead', {}, head), h('tbody', {}, rows)) : h('p', { class: 'muted' }, 'No customer matches these filters (or no scoring run yet).'));
    const pageNumber = cursors.length + (cursor ? 1 : 0) + 1;
    status.textContent = `Page ${pageNumber} · ${page.items.length} rows`;
    const previous = h('button', { type: 'button', disabled: pageNumber === 1 }, '← Previous');
    previous.addEventListener('click', () => {
      const trail = [...cursors];
      const before = cursor ? trail.pop() : undefined;
      go({ ...filters, cursor: before, trail: trail.join('~') || undefined });
    });
    const next = h('button', { type: 'button', disabled: !page.nextCursor }, 'Next →');
    next.addEventListener('click', () => go({ ...filters, cursor: page.nextCursor, trail: [...cursors, ...(cursor ? [cursor] : [])].join('~') || undefined }));
    pager.replaceChildren(previous, next);
  });
}

function filterForm(filters, apply) {
  const select = (name, options, { multiple = false, empty = 'any', size } = {}) => {
    const chosen = new Set((filters[name] ?? '').split(',').filter(Boolean));
    return h(
      'label',
      {},
      name,
      h('select', { name, multiple, size, title: multiple ? 'Ctrl/Cmd-click to choose several' : null }, multiple ? null : h('option', { value: '' }, empty), options.map((o) => h('option', { value: o, selected: chosen.has(o) }, o))),
    );
  };
  const input = (name, label, type = 'number') => h('label', {}, label, h('input', { name, type, value: filters[name] ?? '', step: 'any' }));
  const form = h(
    'form',
    { class: 'filters' },
    select('stage', STAGES, { multiple: true, size: 6 }),
    select('tier', TIERS, { multiple: true, size: 3 }),
    select('segment', SEGMENTS, { multiple: true, size: 6 }),
    input('region', 'region (comma separated)', 'text'),
    input('netRevenueMin', 'net revenue ≥'),
    input('netRevenueMax', 'net revenue ≤'),
    input('recencyDaysMin', 'recency days ≥'),
    input('recencyDaysMax', 'recency days ≤'),
    input('ordersMin', 'orders ≥'),
    h('label', {}, 'sentiment drop', h('select', { name: 'sentimentDrop' }, ['', 'true', 'false'].map((v) => h('option', { value: v, selected: (filters.sentimentDrop ?? '') === v }, v === '' ? 'any' : v === 'true' ? 'dropped' : 'no drop')))),
    h('label', {}, 'rows', h('select', { name: 'limit' }, ['25', '50', '100', '250'].map((v) => h('option', { value: v, selected: (filters.limit ?? '50') === v }, v)))),
    h('button', { type: 'submit', class: 'primary' }, 'Apply'),
    h('button', { type: 'reset' }, 'Clear'),
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
  button.textContent = 'Preparing CSV…';
  try {
    const blob = await getCsv(`/analytics/customers${query ? `?${query}` : ''}`);
    const url = URL.createObjectURL(blob);
    const link = h('a', { href: url, download: `customers-${new Date().toISOString().slice(0, 10)}.csv` });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  } catch (error) {
    alert(`CSV export failed: ${error.message}`);
  } finally {
    button.disabled = false;
    button.textContent = label;
  }
}
