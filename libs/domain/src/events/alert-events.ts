import type { DomainEvent } from './event-metadata';

// Alerts the system records about a moment a job noticed in the read models: a lifecycle stage change
// (scoring runs) and a sentiment drop (the sentiment timeline). Dated at that moment; no personal data.

/** The lifecycle stages of the seeds, plus prospect before the first purchase. */
export type LifecycleStageName = 'prospect' | 'acquisition' | 'growth' | 'maturity' | 'decline' | 'departure';
export const LIFECYCLE_STAGE_NAMES: readonly LifecycleStageName[] = [
  'prospect',
  'acquisition',
  'growth',
  'maturity',
  'decline',
  'departure',
];

export type LifecycleStageChanged = DomainEvent<
  'LifecycleStageChanged',
  {
    customerId: string;
    /** The stage last recorded for the customer, null for the first one. */
    from: LifecycleStageName | null;
    to: LifecycleStageName;
    /** Why the scoring run put the customer in `to`. */
    reason: string;
    /** The scoring run that noticed it. */
    run: string | null;
  }
>;

export type SentimentDropped = DomainEvent<
  'SentimentDropped',
  {
    customerId: string;
    /** How far the rolling mean fell below its recent high (sentiment on -1..1). */
    amount: number;
    rollingMean: number;
    highMean: number;
    /** When the recent high was. */
    highAt: string | null;
    /** Global positions of the scored events behind the drop (the customer's stream), oldest first. */
    positions: number[];
  }
>;

export type AlertEvent = LifecycleStageChanged | SentimentDropped;

export const ALERT_EVENT_TYPES = [
  'LifecycleStageChanged',
  'SentimentDropped',
] as const satisfies readonly AlertEvent['type'][];

export const ALERT_PERSONAL_DATA_FIELDS = {
  LifecycleStageChanged: [],
  SentimentDropped: [],
} as const satisfies Record<AlertEvent['type'], readonly string[]>;
