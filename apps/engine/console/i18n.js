// The console's languages: i18next (loaded as a classic script: window.i18next) holds the message
// catalogs (locales/*.json, plurals by the language's Intl.PluralRules); numbers, money and times go
// through Intl in format.js. The language and the display currency are remembered in this browser.
import * as format from './format.js';

export const LANGUAGES = ['en', 'zh-CN'];
/** Amounts are summed as recorded; the currency they are shown in is a reader's setting. */
export const CURRENCIES = ['CNY', 'USD', 'EUR', 'HKD'];
const LANGUAGE_KEY = 'rapport.language';
const CURRENCY_KEY = 'rapport.currency';

function stored(key, allowed, fallback) {
  const value = localStorage.getItem(key);
  return allowed.includes(value) ? value : fallback;
}

/** The language chosen before, else the browser's when it is Chinese, else English. */
export function language() {
  return stored(LANGUAGE_KEY, LANGUAGES, /^zh\b/i.test(navigator.language ?? '') ? 'zh-CN' : 'en');
}
export const currency = () => stored(CURRENCY_KEY, CURRENCIES, 'CNY');

export const setCurrency = (code) => localStorage.setItem(CURRENCY_KEY, code);

/** Switches the language (loading its catalog once) and remembers it. */
export async function setLanguage(code) {
  if (!LANGUAGES.includes(code)) throw new Error(`unknown language ${code}`);
  localStorage.setItem(LANGUAGE_KEY, code);
  await loadCatalog(code);
  await window.i18next.changeLanguage(code);
  document.documentElement.lang = code;
  translateDocument();
}

async function loadCatalog(code) {
  if (window.i18next.hasResourceBundle(code, 'translation')) return;
  const response = await fetch(`/console/locales/${code}.json`);
  if (!response.ok) throw new Error(`catalog ${code}: HTTP ${response.status}`);
  window.i18next.addResourceBundle(code, 'translation', await response.json());
}

/** Starts i18next with English (the fallback) and the chosen language. */
export async function initI18n() {
  if (!window.i18next) throw new Error('the i18n library did not load');
  const code = language();
  await window.i18next.init({
    lng: code,
    fallbackLng: 'en',
    supportedLngs: LANGUAGES,
    resources: {},
    interpolation: { escapeValue: false }, // text goes into text nodes, never into HTML
    returnNull: false,
    saveMissing: true,
    // A key missing from a catalog is a defect: the headless check fails on console errors.
    missingKeyHandler: (languages, namespace, key) => console.error(`i18n: no "${key}" in ${languages.join(', ')}`),
  });
  await loadCatalog('en');
  await setLanguage(code);
}

/** The message `key` in the current language, `{{name}}` filled from `values`, plural by `count`. */
export const t = (key, values) => window.i18next.t(key, values);

/** Fills the static page (index.html): data-i18n sets the text, data-i18n-<attribute> an attribute. */
export function translateDocument(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const attribute of ['placeholder', 'aria-label', 'title']) {
    const data = `data-i18n-${attribute}`;
    for (const el of root.querySelectorAll(`[${data}]`)) el.setAttribute(attribute, t(el.getAttribute(data)));
  }
  document.title = t('app.title');
}

export const formatNumber = (value, digits = 0) => format.formatNumber(language(), value, digits);
export const formatMoney = (value) => format.formatMoney(language(), value, currency());
export const formatPercent = (share, digits = 1) => format.formatPercent(language(), share, digits);
export const formatHours = (hours) => format.formatHours(language(), hours);
export const formatDate = (value) => format.formatDate(language(), value);
export const formatDateTime = (value, seconds = false) => format.formatDateTime(language(), value, seconds);
export const formatMonth = (value) => format.formatMonth(language(), value);
export const formatWeekday = (index) => format.formatWeekday(language(), index);

/**
 * The name of one of the engine's codes (a stage, a segment, a status, a group key) under `prefix`:
 * the code itself when the catalog has none (data, not a missing translation).
 */
export function codeLabel(prefix, code) {
  if (code === null || code === undefined || code === '') return '–';
  const key = `${prefix}.${String(code).replace(/[^A-Za-z0-9_]/g, '')}`;
  return window.i18next.exists(key) ? t(key) : String(code);
}
export const stageLabel = (stage) => codeLabel('stage', stage);
export const segmentLabel = (segment) => codeLabel('segment', segment);
export const statusLabel = (status) => codeLabel('status', status);
