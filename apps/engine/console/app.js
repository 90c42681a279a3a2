// The console's shell: API-key prompt, language and currency, hash routing (#/overview, #/customers?…,
// #/customer/<id>, #/kpis, #/cohorts, #/complaints, #/audit?customer=…, #/runs, #/projections).
import { apiKey, onUnauthorised } from './api.js';
import { destroyCharts, localiseCharts } from './charts.js';
import { h } from './dom.js';
import { CURRENCIES, currency, initI18n, language, setCurrency, setLanguage, t } from './i18n.js';
import { renderAudit } from './pages/audit.js';
import { renderCohorts } from './pages/cohorts.js';
import { renderComplaints } from './pages/complaints.js';
import { renderCustomer } from './pages/customer.js';
import { renderCustomers } from './pages/customers.js';
import { renderKpis } from './pages/kpis.js';
import { renderOverview } from './pages/overview.js';
import { renderProjections } from './pages/projections.js';
import { renderRuns } from './pages/runs.js';
import { renderWorklist } from './pages/worklist.js';

const main = document.getElementById('main');
const dialog = document.getElementById('key-dialog');
const keyError = document.getElementById('key-error');
let leavePage = () => {};

/** The route in the hash: a path and its parameters. A `key` parameter is taken into session storage. */
function currentRoute() {
  const raw = location.hash.replace(/^#/, '') || '/overview';
  const [path, query = ''] = raw.split('?');
  const params = new URLSearchParams(query);
  if (params.has('key')) {
    apiKey.set(params.get('key'));
    params.delete('key');
    const rest = params.toString();
    history.replaceState(null, '', `#${path || '/overview'}${rest ? `?${rest}` : ''}`);
  }
  return { path: path || '/overview', params };
}

/** Navigates to a route; pages use it to keep their state (filters, paging) linkable. */
export function navigate(path, params) {
  const query = params ? new URLSearchParams(params).toString() : '';
  location.hash = `${path}${query ? `?${query}` : ''}`;
}

function askForKey(message) {
  keyError.hidden = !message;
  keyError.textContent = message || '';
  if (!dialog.open) dialog.showModal();
}

const PAGES = {
  customers: renderCustomers,
  kpis: renderKpis,
  cohorts: renderCohorts,
  complaints: renderComplaints,
  audit: renderAudit,
  projections: renderProjections,
  runs: renderRuns,
  worklist: renderWorklist,
  overview: renderOverview,
};

async function render() {
  leavePage();
  leavePage = () => {};
  destroyCharts();
  const { path, params } = currentRoute();
  document.getElementById('sign-out').hidden = !apiKey.get();
  const page = path.split('/')[1];
  for (const link of document.querySelectorAll('#nav a')) link.classList.toggle('active', link.dataset.page === (page === 'customer' ? 'customers' : page));
  if (!apiKey.get()) {
    main.replaceChildren(h('p', { class: 'muted' }, t('app.keyNeeded')));
    askForKey();
    return;
  }
  main.replaceChildren();
  const context = { main, params, navigate, onLeave: (fn) => (leavePage = fn) };
  if (page === 'customer') return renderCustomer({ ...context, id: decodeURIComponent(path.split('/').slice(2).join('/')) });
  return (PAGES[page] ?? renderOverview)(context);
}

function wireShell() {
  document.getElementById('key-form').addEventListener('submit', () => {
    const key = document.getElementById('key-input').value.trim();
    if (key) apiKey.set(key);
    void render();
  });
  document.getElementById('sign-out').addEventListener('click', () => {
    apiKey.clear();
    void render();
  });
  document.getElementById('lookup').addEventListener('submit', (event) => {
    event.preventDefault();
    const input = event.target.elements.id;
    if (input.value.trim()) navigate(`/customer/${encodeURIComponent(input.value.trim())}`);
    input.value = '';
  });
  const languages = document.getElementById('language');
  languages.value = language();
  languages.addEventListener('change', async () => {
    await setLanguage(languages.value);
    localiseCharts();
    void render();
  });
  const currencies = document.getElementById('currency');
  currencies.replaceChildren(...CURRENCIES.map((code) => h('option', { value: code }, code)));
  currencies.value = currency();
  currencies.addEventListener('change', () => {
    setCurrency(currencies.value);
    void render();
  });
  let keyRefused = false;
  onUnauthorised(() => {
    if (keyRefused) return;
    keyRefused = true;
    apiKey.clear();
    document.getElementById('sign-out').hidden = true;
    askForKey(t('app.keyNotAccepted'));
    setTimeout(() => (keyRefused = false), 500);
  });
  window.addEventListener('hashchange', () => void render());
}

// Classic scripts (Chart.js, i18next) are deferred like this module, and run before it.
await initI18n();
localiseCharts();
wireShell();
void render();
