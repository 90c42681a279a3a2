import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CURRENT_SCHEMA_VERSIONS, CUSTOMER_EVENT_TYPES, DOMAIN_RULES, PERSONAL_DATA_FIELDS } from '@rapport/domain';

const catalogue = readFileSync(join(__dirname, '../../../docs/events.md'), 'utf8');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'specs' ? [] : sources(path);
    return name.endsWith('.ts') && !name.endsWith('.spec.ts') ? [path] : [];
  });
}

describe('event catalogue (docs/events.md)', () => {
  it.each([...CUSTOMER_EVENT_TYPES])('documents %s with its current schema version', (type) => {
    expect(catalogue).toMatch(new RegExp(`\\*\\*${type}\\*\\* \\(v${CURRENT_SCHEMA_VERSIONS[type]}[,)]`));
  });

  it('lists every rule code', () => {
    for (const rule of Object.keys(DOMAIN_RULES)) expect(catalogue).toContain(`| \`${rule}\` |`);
  });

  it('marks every personal-data field as PD', () => {
    for (const paths of Object.values(PERSONAL_DATA_FIELDS)) {
      for (const path of paths) expect(catalogue).toMatch(new RegExp(`${path.split('.').pop()}\\??\\W[^\\n]*PD`));
    }
  });
});

describe('libs/domain stays pure', () => {
  it.each(sources(__dirname).map((path) => [path.slice(__dirname.length + 1), path]))(
    '%s imports no framework, driver, I/O or clock',
    (_name, path) => {
      const source = readFileSync(path, 'utf8');
      expect(source).not.toMatch(/from ['"](@nestjs|mongodb|better-sqlite3|@eventstore|node:|fs|path|crypto|uuid)/);
      expect(source).not.toMatch(/Date\.now\(|new Date\(\)|performance\.now|Math\.random/);
    },
  );
});
