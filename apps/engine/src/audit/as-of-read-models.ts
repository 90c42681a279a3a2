import type { ProjectedEvent, Projection } from '@rapport/projection-engine';
import type { Doc } from '@rapport/read-store';
import {
  customerProfileProjection,
  foldCustomerProfile,
  type CustomerProfile,
} from '@rapport/projections/customer-profile/customer-profile.projection';
import {
  customerValueProjection,
  foldCustomerValue,
  type CustomerValueDoc,
} from '@rapport/projections/customer-value/customer-value.projection';
import {
  foldLifecycleFacts,
  lifecycleStageProjection,
  type LifecycleFactsDoc,
} from '@rapport/projections/lifecycle-stage/lifecycle-stage.projection';
import { complaintSlaProjection } from '@rapport/projections/complaint-sla/complaint-sla.projection';
import { promiseFulfilmentProjection } from '@rapport/projections/promise-fulfilment/promise-fulfilment.projection';
import {
  SENTIMENT_TEXT_FIELDS,
  sentimentTimelineProjection,
  type SentimentTimelineDoc,
} from '@rapport/projections/sentiment-timeline/sentiment-timeline.projection';
import type { SealedDataRevealer } from '../read-models/sealed-data-revealer';
import type { PersonalDataView } from './personal-data-reader';

/** A per-customer read model an as-of state replays. */
export interface AsOfReadModel {
  /** The name it answers under. */
  name: string;
  projection: Projection;
  /** The projection's one-pass fold of a run of events, equal to folding its `evolve` (when it has one). */
  fold?: (doc: Doc | null, events: ProjectedEvent[]) => Doc | null;
  /** How its sealed personal fields are revealed to a role, as its live query reveals them (none: it keeps none). */
  reveal?: (revealer: SealedDataRevealer, view: PersonalDataView, doc: Doc) => Doc;
  /**
   * The personal fields its `evolve` reads as plaintext, by event type: the replay decrypts them as it
   * decodes the event. Only a matter of speed: any other field is still decrypted when first read.
   */
  readsPlaintext?: Readonly<Partial<Record<string, readonly string[]>>>;
}

/**
 * The per-customer read models an as-of state replays. The very projections the runner uses (same
 * pure `evolve`, or the projection's own fold proven equal to it), so the past is computed, never
 * kept as copies. Add a per-customer projection here and it shows up in every as-of answer.
 */
export const AS_OF_READ_MODELS: ReadonlyArray<AsOfReadModel> = [
  {
    name: 'profile',
    projection: customerProfileProjection as unknown as Projection,
    fold: (doc, events) => foldCustomerProfile(doc as CustomerProfile | null, events) as Doc | null,
    reveal: (revealer, view, doc) => revealer.revealProfileWith(view, doc as CustomerProfile),
  },
  {
    name: 'value',
    projection: customerValueProjection as unknown as Projection,
    fold: (doc, events) => foldCustomerValue(doc as CustomerValueDoc | null, events),
  },
  {
    name: 'lifecycle',
    projection: lifecycleStageProjection as unknown as Projection,
    fold: (doc, events) => foldLifecycleFacts(doc as LifecycleFactsDoc | null, events),
  },
  {
    name: 'promises',
    projection: promiseFulfilmentProjection as unknown as Projection,
    reveal: (revealer, view, doc) => revealer.revealWith(view, doc),
  },
  {
    name: 'sentiment',
    projection: sentimentTimelineProjection as unknown as Projection,
    // Its evolve copies the moments on every event: quadratic over a long stream, linear as a fold.
    fold: (doc, events) => sentimentTimelineProjection.fold(doc as SentimentTimelineDoc | null, events),
    readsPlaintext: SENTIMENT_TEXT_FIELDS,
  },
  { name: 'complaints', projection: complaintSlaProjection as unknown as Projection },
];

/** Said in every as-of answer: what an as-of state does not contain, and why. */
export const AS_OF_NOT_INCLUDED =
  'Scores that depend on the whole population or on the clock (RFM quintiles, 80/20 value tier, predicted lifetime value, lifecycle stage, overdue status, complaint SLA deadlines) are computed by the scoring job over all customers at a given time and are not part of an as-of state; the read models here hold the event-derived facts they are computed from.';
