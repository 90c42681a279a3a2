import type { LifecycleStageName } from '../events/alert-events';

interface AlertCommandBase<TType extends string> {
  type: TType;
  customerId: string;
  /** ISO-8601 business time: the moment the alert is about. */
  occurredAt: string;
  /** The watcher's clock when it noticed; never before `occurredAt`. */
  noticedAt: string;
}

/** Issued by the alert watcher when a scoring run puts a customer in another stage than last recorded. */
export type RecordLifecycleStageChange = AlertCommandBase<'RecordLifecycleStageChange'> & {
  from: LifecycleStageName | null;
  to: LifecycleStageName;
  reason: string;
  run: string | null;
};

/** Issued by the alert watcher when a customer's rolling sentiment falls past the drop threshold. */
export type RecordSentimentDrop = AlertCommandBase<'RecordSentimentDrop'> & {
  amount: number;
  rollingMean: number;
  highMean: number;
  highAt: string | null;
  positions: number[];
};

export type AlertCommand = RecordLifecycleStageChange | RecordSentimentDrop;

export const ALERT_COMMAND_TYPES = [
  'RecordLifecycleStageChange',
  'RecordSentimentDrop',
] as const satisfies readonly AlertCommand['type'][];
