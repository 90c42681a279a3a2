// Valid request bodies for every command route, shared by the e2e suites and the benchmark.
export const T0 = '2026-01-01T09:00:00.000Z';
export const at = (day: number, hour = 9): string => new Date(Date.UTC(2026, 0, day, hour)).toISOString();

export const registration = (customerId: string, extra: Record<string, unknown> = {}) => ({
  customerId,
  name: `Name of ${customerId}`,
  email: `${customerId}@example.com`,
  phone: '+86 138 0000 0000',
  address: `1 Road of ${customerId}`,
  acquisitionChannel: 'referral',
  acquisitionCost: 12.5,
  region: 'East China',
  city: 'Shanghai',
  demographics: { ageBand: '25-34' },
  occurredAt: T0,
  channel: 'web',
  ...extra,
});

export const purchase = (orderId: string, day = 2, extra: Record<string, unknown> = {}) => ({
  orderId,
  lines: [
    { sku: 'SKU-1', category: 'books', quantity: 2, unitPrice: 10 },
    { sku: 'SKU-2', category: 'music', quantity: 1, unitPrice: 5.5 },
  ],
  total: 25.5,
  currency: 'CNY',
  occurredAt: at(day),
  ...extra,
});
