import type { CustomerEvent } from '@rapport/domain';
import type { ProjectedEvent } from '@rapport/projection-engine';
import {
  evolveSentimentTimeline,
  type SentimentTimelineConfig,
  type SentimentTimelineDoc,
} from './sentiment-timeline.projection';

type Data<T extends CustomerEvent['type']> = Omit<Extract<CustomerEvent, { type: T }>['data'], 'customerId'>;

/** Builds projected events for one customer; positions follow the order they are built in. */
export function eventsFor(customerId: string) {
  let position = 0;
  const make = (type: CustomerEvent['type'], occurredAt: string, data: object): ProjectedEvent => {
    position += 1;
    return {
      type,
      data: { customerId, ...data },
      metadata: {
        eventId: `${customerId}-${position}`,
        occurredAt,
        recordedAt: occurredAt,
        actor: { id: 'agent-1', role: 'agent' },
        channel: 'phone',
        correlationId: `c-${position}`,
        causationId: null,
        schemaVersion: 1,
      },
      streamId: `customer-${customerId}`,
      revision: position - 1,
      position,
    } as ProjectedEvent;
  };
  return {
    survey: (at: string, data: Partial<Data<'SurveyResponded'>> & Pick<Data<'SurveyResponded'>, 'kind'>) =>
      make('SurveyResponded', at, { surveyId: `s-${position + 1}`, ...data }),
    complaint: (at: string, description: string) =>
      make('ComplaintFiled', at, {
        complaintId: `k-${position + 1}`,
        category: 'delivery',
        severity: 'medium',
        description,
      }),
    call: (at: string, notes?: string) =>
      make('CallLogged', at, {
        callId: `call-${position + 1}`,
        direction: 'inbound',
        durationSeconds: 120,
        agentId: 'agent-1',
        topic: 'order',
        outcome: 'resolved',
        ...(notes ? { notes } : {}),
      }),
    purchase: (at: string) =>
      make('PurchaseRecorded', at, { orderId: `o-${position + 1}`, lines: [], total: 10, currency: 'EUR' }),
    erased: (at: string) => make('CustomerErased', at, { reason: 'customer request' }),
  };
}

export function fold(events: ProjectedEvent[], config?: SentimentTimelineConfig): SentimentTimelineDoc | null {
  return events.reduce<SentimentTimelineDoc | null>((doc, event) => evolveSentimentTimeline(doc, event, config), null);
}
