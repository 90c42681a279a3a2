import type { CustomerEventType } from '../events/customer-events';

/** The schema version each event type is written with today; the catalogue (docs/events.md) says the same. */
export const CURRENT_SCHEMA_VERSIONS: Readonly<Record<CustomerEventType, number>> = {
  CustomerRegistered: 1,
  CustomerProfileUpdated: 1,
  CustomerErased: 1,
  CallLogged: 2,
  PurchaseRecorded: 1,
  PurchaseRefunded: 1,
  PromiseMade: 1,
  PromiseKept: 1,
  PromiseRenegotiated: 1,
  PromiseBroken: 1,
  PromiseCancelled: 1,
  PromiseBecameOverdue: 2,
  ComplaintFiled: 1,
  ComplaintAcknowledged: 1,
  ComplaintEscalated: 1,
  ComplaintResolved: 1,
  ComplaintReopened: 1,
  ComplaintSlaBreached: 2,
  SurveyResponded: 1,
  ComplaintAwaitingCustomer: 1,
  ComplaintCustomerResponded: 1,
  FollowUpScheduled: 1,
  FollowUpCompleted: 1,
  FollowUpDismissed: 1,
  FollowUpReassigned: 1,
  CustomerHealthBandChanged: 1,
  LifecycleStageChanged: 1,
  SentimentDropped: 1,
};

export const currentSchemaVersion = (type: CustomerEventType): number => CURRENT_SCHEMA_VERSIONS[type];
