import { keyStoreContract } from '../testing/key-store.contract';
import { MemoryKeyStore } from './memory-key-store';

describe('MemoryKeyStore', () => {
  keyStoreContract(async () => {
    const store = new MemoryKeyStore();
    return { store, cleanup: () => store.close() };
  });
});
