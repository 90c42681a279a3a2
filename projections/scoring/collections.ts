/**
 * Physical collection names the scoring job and the analyst queries read and write. The engine may
 * serve a projection from a versioned collection; it passes the live names in.
 */
export interface CollectionNames {
  customerValue: string;
  lifecycleStage: string;
  promiseFulfilment: string;
  sentimentTimeline: string;
  /** Written by the scoring job: one denormalised document per customer. */
  analyticsCustomers: string;
}

export const DEFAULT_COLLECTIONS: CollectionNames = {
  customerValue: 'customer-value',
  lifecycleStage: 'lifecycle-stage',
  promiseFulfilment: 'promise-fulfilment',
  sentimentTimeline: 'sentiment-timeline',
  analyticsCustomers: 'analytics-customers',
};

export const withCollections = (names?: Partial<CollectionNames>): CollectionNames => ({
  ...DEFAULT_COLLECTIONS,
  ...names,
});
