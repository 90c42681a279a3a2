import { join } from 'node:path';
import { loadBrowserModule } from './browser-module';

interface Format {
  formatNumber(locale: string, value: unknown, digits?: number): string;
  formatMoney(locale: string, value: unknown, currency: string): string;
  formatPercent(locale: string, share: unknown, digits?: number): string;
  formatHours(locale: string, hours: unknown): string;
  formatDate(locale: string, value: unknown): string;
  formatDateTime(locale: string, value: unknown, seconds?: boolean): string;
  formatMonth(locale: string, value: unknown): string;
  formatWeekday(locale: string, index: number): string;
}

// The very file the browser imports; Node's Intl has the same full ICU data as Chromium.
const f = loadBrowserModule<Format>(join(__dirname, '..', '..', 'console', 'format.js'));

describe('console formatting per locale (Intl)', () => {
  it('groups numbers as each language does, with the decimals asked for', () => {
    expect(f.formatNumber('en', 1234567.891, 2)).toBe(
      new Intl.NumberFormat('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(1234567.891),
    );
    expect(f.formatNumber('en', 1234567.891, 2)).toBe('1,234,567.89');
    expect(f.formatNumber('de', 1234567.891, 2)).toBe('1.234.567,89');
    expect(f.formatNumber('zh-CN', 1234, 0)).toBe('1,234');
  });

  it('shows a dash, never NaN or "null", for a missing or non-finite value', () => {
    for (const value of [null, undefined, Number.NaN, Infinity, 'not a time']) {
      expect([
        f.formatNumber('en', value),
        f.formatMoney('en', value, 'CNY'),
        f.formatPercent('zh-CN', value),
        f.formatHours('en', value),
        f.formatDate('en', value),
      ]).toEqual(['–', '–', '–', '–', '–']);
    }
  });

  it('writes money in the chosen currency and the reader language, whole units from 1,000 up', () => {
    expect(f.formatMoney('zh-CN', 1234.5, 'CNY')).toBe('¥1,235');
    expect(f.formatMoney('zh-CN', 12.5, 'CNY')).toBe('¥12.50');
    expect(f.formatMoney('en', 12.5, 'USD')).toBe('$12.50');
    expect(f.formatMoney('en', -2500, 'EUR')).toBe('-€2,500');
  });

  it('writes shares as percentages and durations in hours, then days from two days up', () => {
    expect(f.formatPercent('en', 0.1234, 1)).toBe('12.3%');
    expect(f.formatPercent('zh-CN', 0.5, 0)).toBe('50%');
    expect(f.formatHours('en', 3.5)).toBe('3.5 hr');
    expect(f.formatHours('en', 72)).toBe('3 days');
    expect(f.formatHours('zh-CN', 72)).toBe('3天');
  });

  it('dates an instant by its UTC day whatever the zone, in each language', () => {
    // 23:30 UTC is the next day east of UTC: the console shows the engine's (UTC) day.
    expect(f.formatDate('en', '2026-03-01T23:30:00Z')).toBe('Mar 1, 2026');
    expect(f.formatDate('zh-CN', '2026-03-01T23:30:00Z')).toBe('2026年3月1日');
    expect(f.formatDate('en', Date.UTC(2026, 0, 5))).toBe('Jan 5, 2026');
    expect(f.formatDateTime('en', '2026-03-01T09:05:07Z', true)).toBe('03/01/2026, 09:05:07 UTC');
    expect(f.formatDateTime('zh-CN', '2026-03-01T09:05:07Z')).toBe('2026/03/01 UTC 09:05');
    expect(f.formatMonth('en', '1997-01')).toBe('Jan 1997');
    expect(f.formatMonth('zh-CN', '1997-01')).toBe('1997年1月');
  });

  it('names weekdays from Monday in each language', () => {
    expect([0, 4, 6].map((i) => f.formatWeekday('en', i))).toEqual(['Mon', 'Fri', 'Sun']);
    expect([0, 6].map((i) => f.formatWeekday('zh-CN', i))).toEqual(['周一', '周日']);
    expect(f.formatWeekday('en', 7)).toBe('–');
  });
});
