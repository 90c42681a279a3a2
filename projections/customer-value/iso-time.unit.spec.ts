import fc from 'fast-check';
import { canonicalIsoMs, isoMs, isoOf } from './iso-time';
import { DAY_MS } from '@rapport/domain';

describe('isoMs and isoOf', () => {
  it('read and write ISO times as Date.parse and toISOString do, years 0 to 9999 and beyond', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -62_167_219_200_000 - 10 * DAY_MS, max: 253_402_300_799_999 + 10 * DAY_MS }),
        (ms) => {
          const iso = new Date(ms).toISOString();
          expect(isoOf(ms)).toBe(iso);
          expect(isoMs(iso)).toBe(Date.parse(iso));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('leave every other form to Date.parse', () => {
    for (const iso of [
      '2024-01-01T00:00:00Z',
      '2024-01-01T01:00:00.000+01:00',
      '2024-02-30T00:00:00.000Z',
      '2023-02-29T00:00:00.000Z',
      '2024-01-01T24:00:00.000Z',
      '2024-01-01T00:00:60.000Z',
      '2024-13-01T00:00:00.000Z',
      '2024-01-01X00:00:00.000Z',
      'not a time at all, no...',
    ])
      expect(isoMs(iso)).toEqual(Date.parse(iso));
  });
});

describe('canonicalIsoMs', () => {
  it('reads exactly the times toISOString writes, and nothing else', () => {
    fc.assert(
      fc.property(fc.integer({ min: -62_167_219_200_000, max: 253_402_300_799_999 }), (ms) => {
        expect(canonicalIsoMs(new Date(ms).toISOString())).toBe(ms);
      }),
      { numRuns: 1000 },
    );
    for (const iso of ['2024-01-01T00:00:00Z', '2024-02-30T00:00:00.000Z', '2024-01-01T24:00:00.000Z', 'nonsense'])
      expect(canonicalIsoMs(iso)).toBeNaN();
  });
});
