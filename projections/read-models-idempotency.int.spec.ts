import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteReadStore } from '@rapport/read-store/sqlite';
import { replayTwiceSuite } from './read-models-idempotency.suite';

// The same replay-twice suite on SQLite files: documents, the positions they applied and the checkpoint
// as the engine keeps them on disk.

const dir = mkdtempSync(join(tmpdir(), 'rapport-replay-twice-'));
let files = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

replayTwiceSuite('sqlite', async () => new SqliteReadStore({ filename: join(dir, `reads-${++files}.db`) }));
