import { CUSTOMER_EVENT_TYPES } from '@rapport/domain';
import { alertEventTypes, eventCategories, selectedEventTypes } from './event-categories';

describe('event categories', () => {
  it('alerts are the five alert events the domain records', () => {
    expect(alertEventTypes().sort()).toEqual([
      'ComplaintSlaBreached',
      'CustomerHealthBandChanged',
      'LifecycleStageChanged',
      'PromiseBecameOverdue',
      'SentimentDropped',
    ]);
  });

  it('every touchpoint event belongs to the category of its first word', () => {
    const categories = eventCategories();
    expect(categories.purchase).toEqual(['PurchaseRecorded', 'PurchaseRefunded']);
    expect(categories.complaint).toContain('ComplaintSlaBreached');
    expect(categories['follow-up']).toContain('FollowUpScheduled');
    const categorised = new Set(Object.values(categories).flat());
    expect(CUSTOMER_EVENT_TYPES.filter((t) => !categorised.has(t))).toEqual([]);
  });

  it('types and categories select their union, in catalogue order; neither selects everything', () => {
    expect(selectedEventTypes([], [])).toBeNull();
    expect(selectedEventTypes(['CallLogged'], ['purchase'])).toEqual([
      'CallLogged',
      'PurchaseRecorded',
      'PurchaseRefunded',
    ]);
  });
});
