import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConnectionString } from '@eventstore/db-client/dist/Client/parseConnectionString';
import { categoryOf, parseLink } from './esdb-category';
import { checkEsdbSettings, esdbSettings, EsdbSettingsError } from './esdb-settings';

const CLUSTER = 'esdb://node1:2113,node2:2113,node3:2113';

describe('EventStoreDB settings for a secure cluster', () => {
  let dir: string;
  let ca: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rapport-esdb-settings-'));
    ca = join(dir, 'ca.crt');
    writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----\n');
    writeFileSync(join(dir, 'key.txt'), 'not a certificate');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const problems = (input: Parameters<typeof checkEsdbSettings>[0]): string[] => checkEsdbSettings(input).problems;

  it('given TLS, credentials, the CA file and follower reads, when checked, then appends stay on the leader and bulk reads prefer followers', () => {
    const settings = esdbSettings({
      connectionString: `${CLUSTER}?tls=true`,
      username: 'rapport',
      password: 'p@ss:word',
      caFile: ca,
      readNodePreference: 'Follower',
    });
    const main = parseConnectionString(settings.connectionString);
    expect(main.defaultCredentials).toEqual({ username: 'rapport', password: 'p@ss:word' });
    expect(main.tlsCAFile).toBe(ca);
    expect(main.nodePreference).toBeUndefined();
    expect(main.hosts).toHaveLength(3);
    const reads = parseConnectionString(settings.readConnectionString!);
    expect(reads.nodePreference).toBe('follower');
    expect(reads.defaultCredentials).toEqual(main.defaultCredentials);
  });

  it('given a plain development string, when checked, then it is used as it is with no second connection', () => {
    expect(esdbSettings({ connectionString: 'esdb://localhost:2113?tls=false' })).toEqual({
      connectionString: 'esdb://localhost:2113?tls=false',
      readConnectionString: null,
    });
  });

  it('given credentials over tls=false, when checked, then it is refused: the password would travel in clear', () => {
    expect(problems({ connectionString: 'esdb://admin:changeit@localhost:2113?tls=false' })).toEqual([
      expect.stringMatching(/^EVENTSTORE_CONNECTION_STRING: tls=false with credentials.*use TLS/),
    ]);
    expect(
      problems({ connectionString: 'esdb://localhost:2113?tls=false', username: 'a', password: 'b' }).join('\n'),
    ).toMatch(/tls=false with credentials/);
  });

  it('given half the credentials or credentials twice, when checked, then each is named', () => {
    expect(problems({ connectionString: CLUSTER, username: 'rapport' })).toEqual([
      'EVENTSTORE_USERNAME and EVENTSTORE_PASSWORD: give both or neither',
    ]);
    expect(problems({ connectionString: `esdb://a:b@node1:2113`, username: 'c', password: 'd' })).toEqual([
      'EVENTSTORE_USERNAME: EVENTSTORE_CONNECTION_STRING already carries credentials; give them once',
    ]);
  });

  it('given a CA file that is missing, not PEM, or set beside tls=false, when checked, then the path and rule are named', () => {
    expect(problems({ connectionString: CLUSTER, caFile: join(dir, 'missing.crt') })).toEqual([
      expect.stringMatching(/^EVENTSTORE_CA_FILE \(.*missing\.crt\): cannot be read: ENOENT/),
    ]);
    expect(problems({ connectionString: CLUSTER, caFile: join(dir, 'key.txt') })).toEqual([
      expect.stringMatching(/key\.txt\): not a PEM certificate/),
    ]);
    expect(problems({ connectionString: `${CLUSTER}?tls=false`, caFile: ca })).toEqual([
      'EVENTSTORE_CA_FILE: a CA is for TLS, but EVENTSTORE_CONNECTION_STRING says tls=false',
    ]);
    expect(problems({ connectionString: `${CLUSTER}?tlsCAFile=${encodeURIComponent(join(dir, 'nope'))}` })).toEqual([
      expect.stringMatching(/^EVENTSTORE_CONNECTION_STRING tlsCAFile \(.*nope\): cannot be read/),
    ]);
  });

  it('given follower preference in the connection string itself, when checked, then it is refused in favour of the read setting', () => {
    expect(problems({ connectionString: `${CLUSTER}?nodePreference=follower` })).toEqual([
      expect.stringMatching(/nodePreference=follower would send appends.*EVENTSTORE_READ_NODE_PREFERENCE=follower/),
    ]);
  });

  it('given an unknown read preference, follower reads on one node, or unknown and useless options, when checked, then each is named', () => {
    expect(problems({ connectionString: CLUSTER, readNodePreference: 'nearest' })).toEqual([
      'EVENTSTORE_READ_NODE_PREFERENCE: must be one of leader, follower, random, readonlyreplica',
    ]);
    expect(problems({ connectionString: 'esdb://node1:2113', readNodePreference: 'follower' })).toEqual([
      expect.stringMatching(/^EVENTSTORE_READ_NODE_PREFERENCE=follower: needs a cluster/),
    ]);
    expect(
      problems({ connectionString: 'esdb+discover://cluster.local:2113', readNodePreference: 'follower' }),
    ).toEqual([]);
    expect(problems({ connectionString: `${CLUSTER}?tlsVerifyCert=false&colour=blue` })).toEqual([
      expect.stringMatching(/unknown option "colour"/),
      expect.stringMatching(/tlsVerifyCert=false has no effect.*EVENTSTORE_CA_FILE/),
    ]);
  });

  it('given a string the client cannot parse, when checked, then the error names the variable and never echoes the password', () => {
    const [problem] = problems({ connectionString: 'kurrentdb://admin:secret@node1:2113' });
    expect(problem).toMatch(/^EVENTSTORE_CONNECTION_STRING: cannot be parsed/);
    expect(problem).not.toContain('secret');
    expect(() => esdbSettings({ connectionString: 'http://x' })).toThrow(EsdbSettingsError);
  });
});

describe('category links', () => {
  it('cuts a category as $by_category does and reads link data', () => {
    expect(categoryOf('customer-')).toBe('customer');
    expect(categoryOf('customer-c1')).toBe('customer');
    expect(categoryOf('customer')).toBeNull();
    expect(parseLink(Buffer.from('0@customer-42'))).toEqual({ revision: 0, streamId: 'customer-42' });
    expect(parseLink('12@customer-a-b')).toEqual({ revision: 12, streamId: 'customer-a-b' });
    expect(parseLink('garbage')).toBeNull();
  });
});
