import { startTestEngine } from './engine-test-app';
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { registration } from './touchpoint-requests';
(async () => {
  const e = await startTestEngine({ SQLITE_SYNCHRONOUS: process.env.SYNC ?? 'OFF', LOG_LEVEL: 'warn', PROJECTOR_ROLE: 'none' });
  for (let i = 0; i < 200; i++) await e.request('agent', { method: 'POST', url: '/customers', payload: registration(`c${i}`) });
  const N = 3000;
  let n = 0;
  const body = (k: number) => ({ orderId: `o-${k}`, lines: [{ sku: 'a', category: 'b', quantity: 1, unitPrice: 12.5 }, { sku: 'x', category: 'm', quantity: 1, unitPrice: 7 }], total: 19.5, currency: 'CNY', occurredAt: '2026-03-01T10:00:00.000Z', channel: 'store' });
  const session = new Session(); session.connect();
  for (const phase of ['warm', 'measure']) {
    if (phase === 'measure') { await session.post('Profiler.enable'); await session.post('Profiler.start'); }
    let t = process.hrtime.bigint();
    await Promise.all(Array.from({ length: 32 }, async () => { for (let j = 0; j < N / 32; j++) await e.request(null, { method: 'GET', url: '/ping' }); }));
    const ping = Number(process.hrtime.bigint() - t) / 1e3 / N;
    t = process.hrtime.bigint();
    await Promise.all(Array.from({ length: 32 }, async () => { for (let j = 0; j < N / 32; j++) { const k = n++; const r = await e.request('agent', { method: 'POST', url: `/customers/c${k % 200}/purchases`, payload: body(k) }); if (r.statusCode !== 201) throw new Error(r.body); } }));
    const purchase = Number(process.hrtime.bigint() - t) / 1e3 / N;
    console.log(phase, { pingUs: ping.toFixed(0), purchaseUs: purchase.toFixed(0) });
  }
  const { profile } = await session.post('Profiler.stop');
  writeFileSync('/tmp/prof/run.cpuprofile', JSON.stringify(profile));
  await e.close();
})().catch((x) => { console.error(x); process.exit(1); });
