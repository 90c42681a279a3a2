import { simulatedEventId } from '@rapport/testing/generators';
import { eventIdFor } from './event-ids';

describe('simulated event ids', () => {
  it('are the ids the engine derives from the same customer and Idempotency-Key (the simulator links completions to calls by them)', () => {
    for (const [customer, key, index] of [
      ['c-1', 'sim:s:c-1:fu1:call', 0],
      ['x', 'k', 2],
    ] as const) {
      expect(simulatedEventId(customer, key, index)).toBe(eventIdFor(customer, key, index));
    }
  });
});
