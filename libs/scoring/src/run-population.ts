// How a run reads its population: on its own thread, or, for a large population in a store another
// thread can open, split with its part worker, each reading its own range of customers at once.
import type { ReadStore } from '@rapport/read-store';
import type { AsOf } from '@rapport/projections/customer-value/customer-value-as-of';
import type { CollectionNames } from './collections';
import { buyersOf, readPopulationPart, type PopulationPart } from './read-population';
import { PART_SHARE, type PartFigures, type ScoringPartWorker } from './scoring-part';

/** What reading a run's population needs. */
export interface RunPopulationRead {
  store: ReadStore;
  collections: CollectionNames;
  at: AsOf;
  asOf: string;
  knownAt: string;
  trendWindowDays: number;
  /** Customers from which a part worker is started. */
  partFrom: number;
  /** Customers up to which the part reads its own half. */
  splitReadUpTo: number;
  startPart?: () => ScoringPartWorker;
  onProgress?: (phase: string, count: number) => void;
  /** A full collection (ScoringJobOptions.collectGarbage), asked once this thread's range is read. */
  collectGarbage?: () => void;
}

/** The population read, the part worker if one was started, and from which index it holds its customers. */
export interface RunPopulation {
  population: PopulationPart;
  part: ScoringPartWorker | null;
  /** The index from which the part read (and holds) the customers itself; null: this thread read them all. */
  heldFrom: number | null;
}

/** Reads the run's population, with its part worker when that pays (see the file's comment). */
export async function readRunPopulation(read: RunPopulationRead): Promise<RunPopulation> {
  const { store, collections } = read;
  const share = read.startPart ? (store.shareWithThread?.() ?? null) : null;
  const split = share === null ? null : await store.splitPoint(collections.customerValue, 1 - PART_SHARE);
  const progress = (count: number): void => {
    if (count % 50_000 === 0) read.onProgress?.('read customer-value', count);
  };
  const sized = split !== null && split.rows >= read.partFrom && split.rows <= read.splitReadUpTo;
  if (share === null || split === null || split.id === null || !sized || !read.startPart) {
    let part: ScoringPartWorker | null = null;
    const onCustomer = (count: number): void => {
      // Started while the rest is read: its thread is ready by the time there is something to score.
      if (count === read.partFrom) part ??= read.startPart?.() ?? null;
      progress(count);
    };
    try {
      return { population: await readPopulationPart({ ...read, onCustomer }), part, heldFrom: null };
    } catch (error) {
      await (part as ScoringPartWorker | null)?.stop();
      throw error;
    }
  }
  const part = read.startPart();
  const { asOf, knownAt, trendWindowDays } = read;
  const theirs = part.read({ store: share, collections, range: { from: split.id }, asOf, knownAt, trendWindowDays });
  theirs.catch(() => undefined); // awaited once this thread's own range is read
  let own: PopulationPart;
  let figures: PartFigures;
  try {
    own = await readPopulationPart({ ...read, range: { before: split.id }, onCustomer: progress });
    read.collectGarbage?.(); // the pages read are garbage before the part's figures come in
    figures = await theirs;
  } catch (error) {
    await part.stop();
    throw error;
  }
  const heldFrom = own.values.length;
  own.values.append(figures.values);
  for (const buyer of buyersOf(figures.buyers)) own.buyers.push(buyer); // (a spread overflows the stack)
  for (const [id, doc] of figures.promises) own.promises.set(id, doc);
  if (own.earliest === null || (figures.earliest !== null && Date.parse(figures.earliest) < Date.parse(own.earliest)))
    own.earliest = figures.earliest;
  return { population: own, part, heldFrom };
}
