import { CUSTOMER_EVENT_TYPES, type CustomerEventType, type Demographics } from '@rapport/domain';
import { sealedField, type ProjectedEvent, type Projection } from '@rapport/projection-engine';

/**
 * The customer 360. Personal fields hold only the sealed (encrypted) form the decoder hands over
 * (`sealedField`), never plaintext; the app reveals them per role at query time.
 */
export interface CustomerProfile {
  id: string;
  customerId: string;
  registered: boolean;
  registeredAt: string | null;
  personal: { name: string | null; email: string | null; phone: string | null; address: string | null } | null;
  region: string | null;
  city: string | null;
  demographics: Demographics;
  acquisition: { channel: string; cost: number } | null;
  touchpoints: { total: number; byType: Record<string, number>; byChannel: Record<string, number> };
  firstTouchpointAt: string | null;
  lastTouchpointAt: string | null;
  openPromiseIds: string[];
  openPromises: number;
  openComplaintIds: string[];
  openComplaints: number;
  erased: boolean;
  erasedAt: string | null;
  [field: string]: unknown;
}

/** Which touchpoint kind each customer-facing event counts as; system-recorded events count as none. */
const TOUCHPOINT_KIND: Partial<Record<CustomerEventType, string>> = {
  CallLogged: 'call',
  PurchaseRecorded: 'purchase',
  PurchaseRefunded: 'refund',
  PromiseMade: 'promise',
  PromiseKept: 'promise',
  PromiseRenegotiated: 'promise',
  PromiseBroken: 'promise',
  PromiseCancelled: 'promise',
  ComplaintFiled: 'complaint',
  ComplaintAcknowledged: 'complaint',
  ComplaintEscalated: 'complaint',
  ComplaintResolved: 'complaint',
  ComplaintReopened: 'complaint',
  SurveyResponded: 'survey',
};

export function emptyProfile(customerId: string): CustomerProfile {
  return {
    id: customerId,
    customerId,
    registered: false,
    registeredAt: null,
    personal: null,
    region: null,
    city: null,
    demographics: {},
    acquisition: null,
    touchpoints: { total: 0, byType: {}, byChannel: {} },
    firstTouchpointAt: null,
    lastTouchpointAt: null,
    openPromiseIds: [],
    openPromises: 0,
    openComplaintIds: [],
    openComplaints: 0,
    erased: false,
    erasedAt: null,
  };
}

const withId = (ids: string[], id: string): string[] => (ids.includes(id) ? ids : [...ids, id]);
const withoutId = (ids: string[], id: string): string[] => ids.filter((x) => x !== id);
const earlier = (a: string | null, b: string): string => (a === null || b < a ? b : a);
const later = (a: string | null, b: string): string => (a === null || b > a ? b : a);

function countTouchpoint(profile: CustomerProfile, event: ProjectedEvent): CustomerProfile {
  const kind = TOUCHPOINT_KIND[event.type];
  if (!kind) return profile;
  const { channel, occurredAt } = event.metadata;
  const { total, byType, byChannel } = profile.touchpoints;
  return {
    ...profile,
    touchpoints: {
      total: total + 1,
      byType: { ...byType, [kind]: (byType[kind] ?? 0) + 1 },
      byChannel: { ...byChannel, [channel]: (byChannel[channel] ?? 0) + 1 },
    },
    firstTouchpointAt: earlier(profile.firstTouchpointAt, occurredAt),
    lastTouchpointAt: later(profile.lastTouchpointAt, occurredAt),
  };
}

function promises(profile: CustomerProfile, ids: string[]): CustomerProfile {
  return { ...profile, openPromiseIds: ids, openPromises: ids.length };
}

function complaints(profile: CustomerProfile, ids: string[]): CustomerProfile {
  return { ...profile, openComplaintIds: ids, openComplaints: ids.length };
}

/** Pure: the profile after one event. Never mutates its input. */
export function evolveCustomerProfile(doc: CustomerProfile | null, event: ProjectedEvent): CustomerProfile {
  const profile = countTouchpoint(doc ?? emptyProfile(event.data.customerId), event);
  switch (event.type) {
    case 'CustomerRegistered': {
      const { data } = event;
      return {
        ...profile,
        registered: true,
        registeredAt: event.metadata.occurredAt,
        personal: {
          name: sealedField(event, 'name'),
          email: sealedField(event, 'email'),
          phone: sealedField(event, 'phone'),
          address: sealedField(event, 'address'),
        },
        region: data.region,
        city: data.city,
        demographics: { ...data.demographics },
        acquisition: { channel: data.acquisitionChannel, cost: data.acquisitionCost },
      };
    }
    case 'CustomerProfileUpdated': {
      const { changes } = event.data;
      const personal = profile.personal ?? { name: null, email: null, phone: null, address: null };
      return {
        ...profile,
        personal: {
          name: sealedField(event, 'changes.name') ?? personal.name,
          email: sealedField(event, 'changes.email') ?? personal.email,
          phone: sealedField(event, 'changes.phone') ?? personal.phone,
          address: sealedField(event, 'changes.address') ?? personal.address,
        },
        region: changes.region ?? profile.region,
        city: changes.city ?? profile.city,
        demographics: { ...profile.demographics, ...changes.demographics },
      };
    }
    case 'CustomerErased':
      // The key is destroyed; the envelopes are unreadable anyway, so none are kept.
      return { ...profile, erased: true, erasedAt: event.metadata.occurredAt, personal: null };
    case 'PromiseMade':
      return promises(profile, withId(profile.openPromiseIds, event.data.promiseId));
    case 'PromiseKept':
    case 'PromiseBroken':
    case 'PromiseCancelled':
      return promises(profile, withoutId(profile.openPromiseIds, event.data.promiseId));
    case 'ComplaintFiled':
    case 'ComplaintReopened':
      return complaints(profile, withId(profile.openComplaintIds, event.data.complaintId));
    case 'ComplaintResolved':
      return complaints(profile, withoutId(profile.openComplaintIds, event.data.complaintId));
    case 'CallLogged':
    case 'PurchaseRecorded':
    case 'PurchaseRefunded':
    case 'PromiseRenegotiated':
    case 'PromiseBecameOverdue':
    case 'ComplaintAcknowledged':
    case 'ComplaintEscalated':
    case 'ComplaintSlaBreached':
    case 'SurveyResponded':
      return profile;
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

export const customerProfileProjection: Projection<CustomerProfile> = {
  name: 'customer-profile',
  version: 1,
  handles: CUSTOMER_EVENT_TYPES,
  indexes: [
    { fields: ['region', 'city'] },
    { fields: ['acquisition.channel'] },
    { fields: ['lastTouchpointAt'] },
    { fields: ['openComplaints'] },
    { fields: ['erased'] },
  ],
  evolve: evolveCustomerProfile,
};
