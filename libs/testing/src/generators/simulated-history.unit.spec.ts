import { CUSTOMER_EVENT_TYPES, customerDecider, type CustomerState } from '@rapport/domain';
import { simulatedHistory } from './simulated-history';

describe('simulatedHistory', () => {
  const config = { customers: 40, days: 365, seed: 'history-spec', followUpRate: 0.5 };

  it('given a population and its epilogue, then every event type occurs', () => {
    const seen = new Set(simulatedHistory(config).map(({ event }) => event.type));
    expect(CUSTOMER_EVENT_TYPES.filter((type) => !seen.has(type))).toEqual([]);
  });

  it('without the epilogue, then only what the simulator records (no erasure, no watcher records)', () => {
    const types = new Set(simulatedHistory(config, false).map(({ event }) => event.type));
    expect(types.has('PurchaseRecorded')).toBe(true);
    for (const type of ['CustomerErased', 'LifecycleStageChanged', 'FollowUpReassigned'] as const)
      expect(types.has(type)).toBe(false);
  });

  it('is the same for the same seed, with unique event ids', () => {
    const first = simulatedHistory(config);
    expect(simulatedHistory(config)).toEqual(first);
    expect(new Set(first.map(({ event }) => event.metadata.eventId)).size).toBe(first.length);
  });

  it('each stream is one customer whose events the decider folds, erasure last', () => {
    const states = new Map<string, CustomerState>();
    for (const { streamId, event } of simulatedHistory(config)) {
      expect(streamId).toBe(`customer-${event.data.customerId}`);
      const state = states.get(streamId) ?? customerDecider.initialState();
      expect(state.status).toBe(event.type === 'CustomerRegistered' ? 'unknown' : 'active');
      states.set(streamId, customerDecider.evolve(state, event));
    }
    expect([...states.values()].filter((s) => s.status === 'erased').length).toBeGreaterThan(0);
  });
});
