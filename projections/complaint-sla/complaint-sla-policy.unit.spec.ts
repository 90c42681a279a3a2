import {
  acknowledgementDueAt,
  addHours,
  complaintSlaPolicy,
  ComplaintSlaPolicyError,
  DEFAULT_COMPLAINT_SLA_POLICY,
  parseSeverityHours,
  resolutionDueAt,
} from './complaint-sla-policy';

describe('complaint SLA policy', () => {
  it('defaults: acknowledge within 48/24/8/2 h and resolve within 168/72/24/8 h (low → critical)', () => {
    expect(complaintSlaPolicy()).toEqual({
      acknowledgeHours: { low: 48, medium: 24, high: 8, critical: 2 },
      resolveHours: { low: 168, medium: 72, high: 24, critical: 8 },
    });
    expect(complaintSlaPolicy()).toEqual(DEFAULT_COMPLAINT_SLA_POLICY);
  });

  it('merges overrides per severity onto the defaults', () => {
    expect(complaintSlaPolicy({ acknowledgeHours: { critical: 0.5 }, resolveHours: { low: 240 } })).toEqual({
      acknowledgeHours: { low: 48, medium: 24, high: 8, critical: 0.5 },
      resolveHours: { low: 240, medium: 72, high: 24, critical: 8 },
    });
  });

  it('refuses values out of range, naming the field', () => {
    for (const [overrides, field] of [
      [{ acknowledgeHours: { high: 0 } }, 'acknowledgeHours.high'],
      [{ resolveHours: { low: -1 } }, 'resolveHours.low'],
      [{ resolveHours: { medium: Number.NaN } }, 'resolveHours.medium'],
      [{ resolveHours: { critical: 10_000 } }, 'resolveHours.critical'],
      // The first response must not be due after the resolution.
      [{ acknowledgeHours: { critical: 9 } }, 'acknowledgeHours.critical'],
    ] as const) {
      const attempt = () => complaintSlaPolicy(overrides);
      expect(attempt).toThrow(ComplaintSlaPolicyError);
      expect(attempt).toThrow(new RegExp(`^${field.replace('.', '\\.')} `));
    }
  });

  it('parses `severity:hours` lists (any subset, spaces allowed, fractions allowed)', () => {
    expect(parseSeverityHours('low:48, medium : 24,HIGH:8,critical:1.5', 'X')).toEqual({
      low: 48,
      medium: 24,
      high: 8,
      critical: 1.5,
    });
    expect(parseSeverityHours('critical:1', 'X')).toEqual({ critical: 1 });
    expect(parseSeverityHours('', 'X')).toEqual({});
  });

  it('refuses malformed lists, naming the variable and what is wrong', () => {
    expect(() => parseSeverityHours('urgent:1', 'X')).toThrow(/X "urgent" is not a severity/);
    expect(() => parseSeverityHours('high=8', 'X')).toThrow(/X entry "high=8" must be severity:hours/);
    expect(() => parseSeverityHours('high:8,high:9', 'X')).toThrow(/X gives high twice/);
    expect(() => parseSeverityHours('high:eight', 'X')).toThrow(/X\.high must be a number of hours \(got eight\)/);
    expect(() => parseSeverityHours('high:0', 'X')).toThrow(/X\.high must be more than 0/);
  });

  it('dates the acknowledgement from filing and the resolution from the latest reopening, else filing', () => {
    const filed = { filedAt: '2026-03-02T09:00:00Z', severity: 'high' as const, reopenedAt: null };
    expect(acknowledgementDueAt(filed, DEFAULT_COMPLAINT_SLA_POLICY)).toBe('2026-03-02T17:00:00.000Z');
    expect(resolutionDueAt(filed, DEFAULT_COMPLAINT_SLA_POLICY)).toBe('2026-03-03T09:00:00.000Z');
    const reopened = { ...filed, reopenedAt: '2026-03-10T12:00:00Z' };
    expect(acknowledgementDueAt(reopened, DEFAULT_COMPLAINT_SLA_POLICY)).toBe('2026-03-02T17:00:00.000Z');
    expect(resolutionDueAt(reopened, DEFAULT_COMPLAINT_SLA_POLICY)).toBe('2026-03-11T12:00:00.000Z');
    expect(addHours('2026-03-02T09:00:00Z', 0.5)).toBe('2026-03-02T09:30:00.000Z');
  });
});
