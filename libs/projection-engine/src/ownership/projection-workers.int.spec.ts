import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectionWorkersSuite } from '../testing/projection-workers.suite';

const dir = mkdtempSync(join(tmpdir(), 'rapport-workers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

projectionWorkersSuite('one SQLite read store file', dir, (name) => `sqlite:${join(dir, `${name}-reads.db`)}`);
