import { readStoreContract } from '../testing/read-store.contract';
import { MemoryReadStore } from './memory-read-store';

readStoreContract('memory', async () => new MemoryReadStore());
