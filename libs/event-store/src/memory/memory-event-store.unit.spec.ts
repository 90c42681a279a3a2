import { byteToTamper, describeEventStoreContract } from '../testing/event-store.contract';
import { MemoryEventStore } from './memory-event-store';

describeEventStoreContract(
  'memory',
  async () => {
    const store = new MemoryEventStore();
    return {
      store,
      cleanup: () => store.close(),
      tamper: async (streamId, revision) => store.corruptStoredByte(streamId, revision, byteToTamper),
    };
  },
  { uniqueEventIdsAcrossStreams: true },
);
