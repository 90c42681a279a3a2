import type { Doc, IndexSpec } from '@rapport/read-store';
import type { LifecycleStage, ValueTier } from '@rapport/projections/customer-vocabulary';

export type RfmSegment =
  | 'Champions'
  | 'Loyal'
  | 'Potential Loyalist'
  | 'New'
  | 'Promising'
  | 'Need Attention'
  | 'About to Sleep'
  | 'At Risk'
  | "Can't Lose Them"
  | 'Hibernating'
  | 'Lost';
export const RFM_SEGMENTS: readonly RfmSegment[] = [
  'Champions',
  'Loyal',
  'Potential Loyalist',
  'New',
  'Promising',
  'Need Attention',
  'About to Sleep',
  'At Risk',
  "Can't Lose Them",
  'Hibernating',
  'Lost',
];

export type TrendDirection = 'up' | 'flat' | 'down';

/** One customer as the analyst sees it: denormalised, flat, written by the scoring job. */
export interface AnalyticsCustomerDoc extends Doc {
  customerId: string;
  region: string | null;
  acquisitionChannel: string | null;
  registeredAt: string | null;
  erased: boolean;
  orders: number;
  netRevenue: number;
  averageOrderValue: number;
  firstPurchaseAt: string | null;
  lastPurchaseAt: string | null;
  meanInterPurchaseDays: number | null;
  historicalLifetimeValue: number;
  /** Whole days since the last purchase; null before the first. */
  recencyDays: number | null;
  frequency: number;
  monetary: number;
  revenueLast90: number;
  revenuePrev90: number;
  /** revenueLast90 − revenuePrev90. */
  valueTrend: number;
  /** valueTrend / revenuePrev90; null when the earlier window is empty. */
  valueTrendRatio: number | null;
  valueTrendDirection: TrendDirection;
  /** 1-5 each; null for customers without a purchase. */
  rScore: number | null;
  fScore: number | null;
  mScore: number | null;
  /** e.g. "545"; null without a purchase. */
  rfm: string | null;
  segment: RfmSegment | null;
  tier: ValueTier;
  stage: LifecycleStage;
  stageSince: string;
  stageReason: string;
  probabilityAlive: number | null;
  expectedPurchases90: number | null;
  predictedClv: number | null;
  /** 90% intervals from the fitted parameters' uncertainty (null without a fit or a covariance). */
  probabilityAliveLow: number | null;
  probabilityAliveHigh: number | null;
  expectedPurchases90Low: number | null;
  expectedPurchases90High: number | null;
  /** 90% predictive interval of the purchase count in 90 days: where the actual count should fall. */
  purchases90Low: number | null;
  purchases90High: number | null;
  predictedClvLow: number | null;
  predictedClvHigh: number | null;
  sentimentDrop: boolean;
  sentimentMean: number | null;
  promisesOpen: number;
  promisesDueSoon: number;
  promisesOverdue: number;
  scoredAt: string;
}

/** Fields an analyst may sort on. */
export const SORTABLE_FIELDS = [
  'customerId',
  'netRevenue',
  'orders',
  'averageOrderValue',
  'historicalLifetimeValue',
  'recencyDays',
  'frequency',
  'monetary',
  'valueTrend',
  'valueTrendRatio',
  'rScore',
  'fScore',
  'mScore',
  'probabilityAlive',
  'expectedPurchases90',
  'predictedClv',
  'sentimentMean',
  'promisesOverdue',
  'lastPurchaseAt',
  'firstPurchaseAt',
  'meanInterPurchaseDays',
] as const;
export type SortableField = (typeof SORTABLE_FIELDS)[number];

/** Kept few: every index costs the scoring job's bulk write; other sorts scan. */
export const ANALYTICS_CUSTOMER_INDEXES: IndexSpec[] = [
  { fields: ['stage', 'netRevenue'] },
  { fields: ['tier', 'netRevenue'] },
  { fields: ['segment', 'netRevenue'] },
  { fields: ['region', 'netRevenue'] },
  { fields: ['netRevenue'] },
  { fields: ['recencyDays'] },
  { fields: ['predictedClv'] },
];
