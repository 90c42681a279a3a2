// The as-of / known-at form the analyst pages share: dates in UTC, kept in the route.
import { h } from '../dom.js';
import { t } from '../i18n.js';

/** A date input's value as the end of that UTC day (as of a day includes the whole day). */
const endOfDay = (day) => (day ? `${day}T23:59:59Z` : undefined);
const startOfDay = (day) => (day ? `${day}T00:00:00Z` : undefined);
const dayOf = (iso) => (iso ? String(iso).slice(0, 10) : '');

/**
 * Fields asOf and knownAt (and from/to when `range`), then `extra` labelled controls; `apply` gets the
 * filled-in values (ISO times), which the page keeps in its route.
 */
export function timeForm(chosen, extra, apply, { range = false } = {}) {
  const day = (name) => h('input', { name, type: 'date', value: dayOf(chosen[name]) });
  const form = h(
    'form',
    { class: 'filters' },
    h('label', {}, t('time.asOf'), day('asOf')),
    h('label', {}, t('time.knownAt'), day('knownAt')),
    range ? [h('label', {}, t('time.from'), day('from')), h('label', {}, t('time.to'), day('to'))] : null,
    extra,
    h('button', { type: 'submit', class: 'primary' }, t('common.apply')),
    h('button', { type: 'reset' }, t('common.clear')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const values = {};
    for (const el of form.elements) {
      if (!el.name || !el.value.trim()) continue;
      const value = el.value.trim();
      values[el.name] = el.type === 'date' ? (el.name === 'from' ? startOfDay(value) : endOfDay(value)) : value;
    }
    apply(values);
  });
  form.addEventListener('reset', (event) => {
    event.preventDefault();
    apply({});
  });
  return h('div', {}, form, h('p', { class: 'muted small' }, t('time.explain')));
}
