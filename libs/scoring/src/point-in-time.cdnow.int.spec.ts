// The acceptance test of point-in-time scoring on real data: CDNOW scored as of T on the full store
// equals CDNOW scored as of T on a store holding only the purchases made by T, for the fitted models
// and for every customer and field.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReadStore } from '@rapport/read-store';
import { SqliteReadStore } from '@rapport/read-store/sqlite';
import type { AnalyticsCustomerDoc } from './analytics-customer';
import { ScoringJob } from './scoring-job';
import type { ScoringRunRecord } from './scoring-run';
import { scoringRequest } from './scoring-request.fixture';
import type { ClvModelRecord } from './clv-model';
import { readCdnowMaster, type CdnowPurchase } from '@rapport/testing/fixtures/cdnow-master';
import { storeCdnowCustomerValues } from './clv-cdnow.fixture';
import { scoringModels } from './scoring-models';

const NOW = '2026-01-01T00:00:00.000Z';

async function storeOf(dir: string, name: string, purchases: readonly CdnowPurchase[]): Promise<ReadStore> {
  const store = new SqliteReadStore({ filename: join(dir, `${name}.db`) });
  await storeCdnowCustomerValues(store, purchases);
  return store;
}

async function customersOf(store: ReadStore, run: ScoringRunRecord): Promise<AnalyticsCustomerDoc[]> {
  const docs: AnalyticsCustomerDoc[] = [];
  for await (const doc of store.scan<AnalyticsCustomerDoc>(run.customers as string, 5000)) docs.push(doc);
  return docs;
}

/** What a fit found, without how long it took. */
const fitOf = (run: ScoringRunRecord) => {
  const { durationMs: _ms, ...fit } = run.clvModel as ClvModelRecord;
  return { fit, stageModels: run.stageModels };
};

describe('point-in-time scoring on CDNOW', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rapport-pit-'));
  const purchases = readCdnowMaster();
  let full: ReadStore;
  beforeAll(async () => {
    full = await storeOf(dir, 'full', purchases);
  }, 60_000);
  afterAll(async () => {
    await full.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The customers whose scored documents differ between two runs (compared as JSON: 20,000 deep comparisons are slow in jest). */
  const differing = (a: AnalyticsCustomerDoc[], b: AnalyticsCustomerDoc[]) => {
    const other = new Map(b.map((doc) => [doc.id, JSON.stringify(doc)]));
    return a
      .filter((doc) => other.get(doc.id) !== JSON.stringify(doc))
      .map((doc) => ({ full: doc, cut: other.get(doc.id) ?? null }));
  };
  const scoredOnFull = new Map<string, AnalyticsCustomerDoc[]>();

  // 1997-01-20: three weeks in, the fit finds almost no dropout (b ~ 3·10^5); its predictions once took minutes.
  it.each(['1997-01-20T00:00:00.000Z', '1997-09-30T00:00:00.000Z', '1998-02-28T00:00:00.000Z'])(
    'as of %s: the full store scores what the store cut at that time scores',
    async (asOf) => {
      const cut = await storeOf(
        dir,
        `cut-${asOf.slice(0, 10)}`,
        purchases.filter((p) => p.at <= asOf),
      );
      const options = scoringModels();
      const onFull = await new ScoringJob(full, options).run(scoringRequest(asOf, NOW, 'on-demand'));
      const onCut = await new ScoringJob(cut, options).run(scoringRequest(asOf, NOW, 'on-demand'));
      expect((onFull.clvModel as ClvModelRecord).status).not.toBe('failed');
      expect(fitOf(onFull)).toEqual(fitOf(onCut));
      expect(onFull.population).toEqual(onCut.population);
      expect(onFull.segments).toEqual(onCut.segments);
      const [a, b] = [await customersOf(full, onFull), await customersOf(cut, onCut)];
      expect(a.length).toBe(b.length);
      expect(differing(a, b).slice(0, 3)).toEqual([]);
      // Nobody whose first purchase came after T was scored.
      expect(a.every((doc) => doc.firstPurchaseAt !== null && doc.firstPurchaseAt <= asOf)).toBe(true);
      scoredOnFull.set(asOf, a);
      await cut.close();
    },
    120_000,
  );

  it('scores the same with part of the customers on a thread of their own as on one thread', async () => {
    const asOf = '1998-02-28T00:00:00.000Z';
    const { scoringPart, ...oneThread } = scoringModels();
    const single = await new ScoringJob(full, oneThread).run(scoringRequest(asOf, NOW, 'on-demand'));
    let threads = 0;
    const counted = () => ((threads += 1), scoringPart());
    const parted = await new ScoringJob(full, { ...oneThread, scoringPart: counted, partFrom: 1_000 }).run(
      scoringRequest(asOf, NOW, 'on-demand'),
    );
    // A store the part's thread cannot open: the run reads every customer and sends the part its own.
    const unshared: ReadStore = Object.assign(Object.create(full) as ReadStore, { shareWithThread: () => null });
    const sent = await new ScoringJob(unshared, { ...oneThread, scoringPart: counted, partFrom: 1_000 }).run(
      scoringRequest(asOf, NOW, 'on-demand'),
    );
    expect(threads).toBe(2);
    expect([sent.population, sent.segments]).toEqual([single.population, single.segments]);
    expect(differing(await customersOf(full, sent), await customersOf(full, single)).slice(0, 3)).toEqual([]);
    expect(fitOf(parted)).toEqual(fitOf(single));
    // Early in 1997 fewer customers had bought than the store holds: the part that read its half scores it.
    const early = '1997-02-28T00:00:00.000Z';
    const [earlySingle, earlyParted] = [
      await new ScoringJob(full, oneThread).run(scoringRequest(early, NOW, 'on-demand')),
      await new ScoringJob(full, { ...oneThread, scoringPart: counted, partFrom: 20_000 }).run(
        scoringRequest(early, NOW, 'on-demand'),
      ),
    ];
    expect(threads).toBe(3);
    expect(earlyParted.population?.customers).toBeLessThan(20_000);
    expect(earlyParted.segments).toEqual(earlySingle.segments);
    expect(differing(await customersOf(full, earlyParted), await customersOf(full, earlySingle)).slice(0, 3)).toEqual(
      [],
    );
    expect([parted.population, parted.segments, parted.agents]).toEqual([
      single.population,
      single.segments,
      single.agents,
    ]);
    const [a, b] = [await customersOf(full, parted), await customersOf(full, single)];
    expect(a.length).toBe(b.length);
    expect(differing(a, b).slice(0, 3)).toEqual([]);
    expect(await full.count(parted.customers as string, { field: 'stage', eq: 'departure' })).toBe(
      await full.count(single.customers as string, { field: 'stage', eq: 'departure' }),
    );
  }, 120_000);

  it('as of 1997-09-30, customer 00003 has the three orders it had made by then, not the six it made in all', () => {
    const c3 = scoredOnFull.get('1997-09-30T00:00:00.000Z')?.find((doc) => doc.id === '00003');
    expect(c3).toMatchObject({ orders: 3, recencyDays: 181, lastPurchaseAt: '1997-04-02T00:00:00.000Z' });
    expect(c3?.probabilityAlive).toBeLessThan(0.5);
  });
});
