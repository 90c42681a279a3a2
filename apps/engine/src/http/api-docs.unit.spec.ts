import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { READ_MODEL_PROJECTIONS } from '@rapport/projections/read-models';
import type { ClvModelRecord } from '@rapport/scoring/clv-model';

// docs/api.md against the code: what a reader is promised is what the engine answers.
const API_DOC = readFileSync(join(__dirname, '../../../../docs/api.md'), 'utf8');
const READ_MODELS_DOC = readFileSync(join(__dirname, '../../../../docs/read-models.md'), 'utf8');

// Every status the model record can carry, and only those (the compiler checks both directions).
const CLV_STATUSES = ['fitted', 'partial', 'failed'] as const satisfies readonly ClvModelRecord['status'][];
type Undocumented = Exclude<ClvModelRecord['status'], (typeof CLV_STATUSES)[number]>;
const allListed: Undocumented extends never ? true : false = true;

describe('docs/api.md', () => {
  it('names the statuses GET /analytics/models/clv answers, and no other', () => {
    expect(allListed).toBe(true);
    const paragraph = API_DOC.slice(API_DOC.indexOf('**`GET /analytics/models/clv`**'));
    const described = paragraph.slice(0, paragraph.indexOf('```'));
    const named = [...described.matchAll(/`(\w+)`/g)].map((m) => m[1]).filter((w) => w !== 'errors' && w !== 'status');
    expect(named.sort()).toEqual([...CLV_STATUSES].sort());
  });
});

describe('docs/read-models.md', () => {
  it('has a section for every read model the engine runs', () => {
    const missing = READ_MODEL_PROJECTIONS.map((p) => p.name).filter(
      (name) => !READ_MODELS_DOC.includes(`\n## ${name} (`),
    );
    expect(missing).toEqual([]);
  });
});
