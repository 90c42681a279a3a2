// Tiny DOM helpers: elements from data, never from HTML strings (no injection through data).
import { explain } from './api.js';
import { formatDate, formatNumber, t } from './i18n.js';

/** h('td', { class: 'num' }, 'text', child, ...) */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (name === 'style' && typeof value === 'object') Object.assign(el.style, value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** A scrolling table: `head` holds the header cells (a string is a plain one; arrays are flattened), `rows` the body's rows. */
export function table(head, rows) {
  const cells = head.flat().map((cell) => (typeof cell === 'string' ? h('th', {}, cell) : cell));
  return h('div', { class: 'table-wrap' }, h('table', {}, h('thead', {}, h('tr', {}, cells)), h('tbody', {}, rows)));
}

/** A titled panel in the 12-column grid; returns the panel and its body. */
export function panel(title, span = 6, ...extraHeader) {
  const body = h('div', { class: 'panel-body' }, h('p', { class: 'muted small' }, t('common.loading')));
  const el = h('section', { class: `panel span-${span}` }, h('h2', {}, title, ...extraHeader), body);
  return { el, body };
}

/** Fills a panel body with a clear message for a failed or missing data source. */
export function unavailable(body, errorOrText) {
  const text = typeof errorOrText === 'string' ? errorOrText : explain(errorOrText);
  body.replaceChildren(h('div', { class: 'unavailable' }, text));
}

/** Runs `render(body)` and turns any failure into the panel's message. */
export async function fill(body, render) {
  try {
    await render(body);
  } catch (error) {
    console.warn(error);
    unavailable(body, error);
  }
}

/** A day, in the reader's language (UTC). */
export const date = (iso) => formatDate(iso);
/** A number with the language's grouping. */
export const num = (value, digits = 0) => formatNumber(value, digits);

/** A definition list of [label, value] pairs; undefined values are left out. */
export function facts(pairs) {
  return h('dl', { class: 'facts' }, pairs.filter(([, v]) => v !== undefined).flatMap(([label, v]) => [h('dt', {}, label), h('dd', {}, v ?? '–')]));
}

/** Waits `ms` milliseconds (polling a job). */
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
