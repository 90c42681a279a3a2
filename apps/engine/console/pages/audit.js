// The auditor workspace: one customer's state replayed as of a business time and known at a recording
// time, the hash chain verified, a signed export downloaded, and the whole history paged newest first.
import { getFile, getJson, post } from '../api.js';
import { deciderSummary, localValue, utcInstant, verifyOutcome } from '../audit-math.js';
import { date, facts, fill, h, num, panel, sleep, table, unavailable } from '../dom.js';
import { codeLabel, formatDateTime, formatMoney, formatPercent, t } from '../i18n.js';
import { historyPager } from './history-pager.js';

const customerPath = (id, part) => `/audit/customers/${encodeURIComponent(id)}${part}`;

export async function renderAudit({ main, params, navigate }) {
  const id = params.get('customer') ?? '';
  const asOf = params.get('asOf') ?? '';
  const knownAt = params.get('knownAt') ?? '';
  main.append(h('h1', {}, t('nav.audit')));
  const go = (next) => navigate('/audit', Object.fromEntries(Object.entries({ customer: id, asOf, knownAt, ...next }).filter(([, v]) => v)));

  const picker = replayForm({ id, asOf, knownAt }, go);
  main.append(h('section', { class: 'panel' }, picker));
  if (!id) {
    const store = panel(t('audit.store'), 12);
    main.append(h('p', { class: 'muted' }, t('audit.chooseCustomer')), h('div', { class: 'grid' }, store.el));
    return renderStore(store.body);
  }

  const replay = panel(t('audit.replay'), 8);
  const verify = panel(t('audit.verify'), 4);
  const history = panel(t('audit.history'), 12);
  main.append(h('div', { class: 'grid', style: { marginTop: '16px' } }, replay.el, verify.el, history.el));
  renderVerifyAndExport(verify.body, id);
  await Promise.all([
    fill(replay.body, async () => renderReplay(replay.body, await getJson(`${customerPath(id, '/state')}${stateQuery(asOf, knownAt)}`))),
    fill(history.body, () => historyPager(history.body, id, { pageSize: 50, replay: { asOf, knownAt } })),
  ]);
}

function stateQuery(asOf, knownAt) {
  const query = new URLSearchParams();
  if (asOf) query.set('asOf', asOf);
  if (knownAt) query.set('knownAt', knownAt);
  return query.size ? `?${query}` : '';
}

/** Customer id, as-of and known-at (UTC), kept in the route so a replay can be linked. */
function replayForm({ id, asOf, knownAt }, go) {
  const customer = h('input', { name: 'customer', value: id, required: true, 'aria-label': t('app.customerId'), placeholder: t('app.customerId') });
  const asOfInput = h('input', { name: 'asOf', type: 'datetime-local', value: localValue(asOf), 'aria-label': t('time.asOfLabel') });
  const knownAtInput = h('input', { name: 'knownAt', type: 'datetime-local', value: localValue(knownAt), 'aria-label': t('time.knownAtLabel') });
  const error = h('span', { class: 'error small' });
  const form = h(
    'form',
    { class: 'filters' },
    h('label', {}, t('app.customerId'), customer),
    h('label', {}, t('time.asOfUtc'), asOfInput),
    h('label', {}, t('time.knownAtUtc'), knownAtInput),
    h('button', { type: 'submit', class: 'primary' }, t('audit.replayButton')),
    h('button', { type: 'button', onclick: () => go({ customer: customer.value.trim(), asOf: '', knownAt: '' }) }, t('audit.now')),
    error,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const at = utcInstant(asOfInput.value);
    const known = utcInstant(knownAtInput.value);
    if ((asOfInput.value && !at) || (knownAtInput.value && !known)) return (error.textContent = t('audit.badTime'));
    go({ customer: customer.value.trim(), asOf: at ?? '', knownAt: known ?? '' });
  });
  return h('div', {}, form, h('p', { class: 'muted small' }, t('audit.explain')));
}

function renderReplay(body, state) {
  const money = (key) => key === 'audit.decider.paid' || key === 'audit.decider.refunded';
  const times = (key) => key.endsWith('At');
  const value = (key, v) => (money(key) ? formatMoney(v) : times(key) ? formatDateTime(v) : typeof v === 'number' ? num(v) : codeLabel('audit.deciderStatus', v));
  body.replaceChildren(
    h('p', {}, t('audit.applied', { applied: num(state.eventsApplied), total: num(state.eventsInStream), count: state.eventsInStream })),
    facts([
      [t('time.asOf'), state.asOf ? formatDateTime(state.asOf) : t('audit.noLimit')],
      [t('time.knownAt'), state.knownAt ? formatDateTime(state.knownAt) : t('audit.noLimit')],
      [t('audit.lastRevision'), state.lastRevision === null ? '–' : num(state.lastRevision)],
      ...deciderSummary(state.decider).map(([key, v]) => [t(key), value(key, v)]),
    ]),
    h('h3', {}, t('audit.readModels')),
    table(
      [t('audit.readModel'), t('audit.content')],
      Object.entries(state.readModels ?? {}).map(([name, doc]) =>
        h('tr', {}, h('td', {}, codeLabel('audit.models', name)), h('td', {}, doc ? json(doc) : h('span', { class: 'muted' }, t('audit.noDocument')))),
      ),
    ),
    h('p', { class: 'muted small' }, t('audit.notIncluded')),
  );
}

const json = (value) => h('details', {}, h('summary', {}, t('history.show')), h('pre', { class: 'json' }, JSON.stringify(value, null, 2)));

function renderVerifyAndExport(body, id) {
  const result = h('div', { role: 'status' });
  const verifyButton = h('button', { type: 'button', class: 'primary' }, t('audit.verifyButton'));
  verifyButton.addEventListener('click', async () => {
    verifyButton.disabled = true;
    result.replaceChildren(h('p', { class: 'muted small' }, t('audit.verifying')));
    try {
      showVerification(result, await post('/audit/verify', { customerId: id }));
    } catch (error) {
      unavailable(result, error);
    } finally {
      verifyButton.disabled = false;
    }
  });
  const exportStatus = h('span', { class: 'muted small' });
  const exportButton = h('button', { type: 'button' }, t('audit.export'));
  exportButton.addEventListener('click', () => download(customerPath(id, '/export'), `rapport-export-customer-${id}.ndjson`, exportButton, exportStatus));
  body.replaceChildren(
    h('p', { class: 'muted small' }, t('audit.verifyExplain')),
    h('div', { class: 'pager' }, verifyButton),
    result,
    h('h3', {}, t('audit.exportTitle')),
    h('p', { class: 'muted small' }, t('audit.exportExplain')),
    h('div', { class: 'pager' }, exportButton, exportStatus),
  );
}

function showVerification(container, report) {
  const outcome = verifyOutcome(report);
  const badge = outcome.outcome === 'intact' ? 'st-kept_on_time' : 'st-broken';
  container.replaceChildren(
    h('p', {}, h('span', { class: `badge ${badge}`, 'data-outcome': outcome.outcome }, t(`audit.outcome.${outcome.outcome}`))),
    facts([
      [t('audit.eventsChecked'), num(outcome.events)],
      [t('audit.checkedAt'), formatDateTime(Date.now(), true)],
      ...(outcome.outcome === 'broken' ? [[t('audit.brokenAt'), num(outcome.brokenAt)], [t('audit.reason'), outcome.reason]] : []),
    ]),
  );
}

/** Fetches a file with the key (a plain link cannot send it) and saves it under the engine's name. */
async function download(path, fallbackName, button, status) {
  button.disabled = true;
  status.textContent = t('audit.exporting');
  try {
    const { blob, name } = await getFile(path, 'application/x-ndjson');
    const url = URL.createObjectURL(blob);
    const link = h('a', { href: url, download: name ?? fallbackName });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    status.textContent = t('audit.exported', { name: name ?? fallbackName, size: num(blob.size / 1024, 1), date: date(Date.now()) });
  } catch (error) {
    status.textContent = t('audit.exportFailed', { message: error.message });
  } finally {
    button.disabled = false;
  }
}

/** Every stream at once: a verification job followed to its end, and the signed export of the whole store. */
function renderStore(body) {
  const result = h('div', { role: 'status' });
  const verifyButton = h('button', { type: 'button', class: 'primary' }, t('audit.verifyAll'));
  verifyButton.addEventListener('click', async () => {
    verifyButton.disabled = true;
    try {
      let job = await post('/audit/verify', {});
      while (job.status === 'running') {
        result.replaceChildren(h('p', { class: 'muted small' }, t('audit.progress', { percent: formatPercent(job.progress.percent / 100, 0), streams: num(job.progress.streamsChecked), total: num(job.progress.streamsTotal), events: num(job.progress.eventsChecked) })));
        await sleep(500);
        job = await getJson(`/audit/verify/${job.jobId}`);
      }
      if (job.status === 'failed') return unavailable(result, t('audit.jobFailed', { message: job.error ?? '' }));
      showStoreVerification(result, job.result);
    } catch (error) {
      unavailable(result, error);
    } finally {
      verifyButton.disabled = false;
    }
  });
  const exportStatus = h('span', { class: 'muted small' });
  const exportButton = h('button', { type: 'button' }, t('audit.exportAll'));
  exportButton.addEventListener('click', () => download('/audit/export', 'rapport-export.ndjson', exportButton, exportStatus));
  body.replaceChildren(
    h('p', { class: 'muted small' }, t('audit.verifyAllExplain')),
    h('div', { class: 'pager' }, verifyButton),
    result,
    h('h3', {}, t('audit.exportTitle')),
    h('p', { class: 'muted small' }, t('audit.exportAllExplain')),
    h('div', { class: 'pager' }, exportButton, exportStatus),
  );
}

function showStoreVerification(container, report) {
  const outcome = verifyOutcome(report);
  const broken = report?.broken ?? [];
  container.replaceChildren(
    h('p', {}, h('span', { class: `badge ${outcome.outcome === 'intact' ? 'st-kept_on_time' : 'st-broken'}`, 'data-outcome': outcome.outcome }, t(`audit.outcome.${outcome.outcome}`))),
    facts([
      [t('audit.streamsChecked'), num(report?.streams)],
      [t('audit.eventsChecked'), num(report?.events)],
    ]),
    broken.length
      ? table(
          [t('audit.stream'), h('th', { class: 'num' }, t('audit.brokenAt')), t('audit.reason')],
          broken.map((b) => {
            const customer = b.streamId.replace(/^customer-/, '');
            return h('tr', {}, h('td', {}, h('a', { href: `#/audit?customer=${encodeURIComponent(customer)}` }, b.streamId)), h('td', { class: 'num' }, num(b.brokenAt)), h('td', {}, b.reason));
          }),
        )
      : null,
  );
}
