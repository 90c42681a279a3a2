// Pure helpers of the auditor workspace (no imports: unit-tested in Node).

/** A `datetime-local` value read as UTC (`2026-03-01T12:30` → `2026-03-01T12:30:00.000Z`); null when empty or invalid. */
export function utcInstant(local) {
  if (!local) return null;
  const match = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2})(?::(\d{2}))?)?$/.exec(String(local));
  if (!match) return null;
  const time = Date.parse(`${match[1]}T${match[2] ?? '23:59'}:${match[3] ?? (match[2] ? '00' : '59')}Z`);
  return Number.isFinite(time) ? new Date(time).toISOString() : null;
}

/** An instant as a `datetime-local` value in UTC (seconds dropped); '' for none. */
export function localValue(iso) {
  const time = Date.parse(iso ?? '');
  return Number.isFinite(time) ? new Date(time).toISOString().slice(0, 16) : '';
}

function count(dict, predicate = () => true) {
  return Object.values(dict ?? {}).filter(predicate).length;
}

/**
 * What the decider knew of the customer: [message key, count or value] rows for the replay panel.
 * Statuses are the decider's own (`unknown`, `active`, `erased`).
 */
export function deciderSummary(decider) {
  if (!decider || decider.status !== 'active') return [['audit.decider.status', decider?.status ?? 'unknown'], ...(decider?.erasedAt ? [['audit.decider.erasedAt', decider.erasedAt]] : [])];
  const refunded = Object.values(decider.orders ?? {}).reduce((sum, order) => sum + (order.refundedCents ?? 0), 0);
  const paid = Object.values(decider.orders ?? {}).reduce((sum, order) => sum + (order.paidCents ?? 0), 0);
  return [
    ['audit.decider.status', decider.status],
    ['audit.decider.registeredAt', decider.registeredAt],
    ['audit.decider.orders', count(decider.orders)],
    ['audit.decider.paid', paid / 100],
    ['audit.decider.refunded', refunded / 100],
    ['audit.decider.promisesOpen', count(decider.promises, (p) => p.status === 'open' || p.status === 'overdue')],
    ['audit.decider.promisesKept', count(decider.promises, (p) => p.status === 'kept')],
    ['audit.decider.promisesBroken', count(decider.promises, (p) => p.status === 'broken')],
    ['audit.decider.complaintsOpen', count(decider.complaints, (c) => c.status === 'open')],
    ['audit.decider.complaintsResolved', count(decider.complaints, (c) => c.status === 'resolved')],
    ['audit.decider.surveys', count(decider.surveyIds)],
    ['audit.decider.calls', count(decider.callIds)],
  ];
}

/** The verification answer as one outcome: `intact`, `broken` (with the first broken revision) or `empty`. */
export function verifyOutcome(report) {
  if (!report) return { outcome: 'empty' };
  if (report.ok) return { outcome: 'intact', events: report.events ?? 0 };
  const first = (report.broken ?? [])[0];
  return { outcome: 'broken', events: report.events ?? 0, brokenAt: first?.brokenAt ?? null, reason: first?.reason ?? '' };
}
