import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { complaintSlaPolicyOf, InvalidConfigError, validateEngineConfig } from './engine-config';

const pkcs8 = (type: 'ed25519' | 'ec') =>
  (type === 'ed25519' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'P-256' })).privateKey
    .export({ type: 'pkcs8', format: 'pem' })
    .toString();

describe('engine configuration', () => {
  it('defaults to the embedded SQLite store under ./data on port 3000', () => {
    expect(validateEngineConfig({})).toMatchObject({
      PORT: 3000,
      DATA_DIR: './data',
      EVENT_STORE: 'sqlite',
      READ_STORE: 'sqlite',
      KEY_STORE: 'sqlite',
      SQLITE_SYNCHRONOUS: 'FULL',
      PROJECTOR_ROLE: 'in-process',
      BODY_LIMIT: 1024 * 1024,
    });
  });

  it('reads and converts given values', () => {
    expect(
      validateEngineConfig({ PORT: '8080', SQLITE_SYNCHRONOUS: 'normal', BODY_LIMIT: '2048', EVENT_STORE: 'memory' }),
    ).toMatchObject({
      PORT: 8080,
      SQLITE_SYNCHRONOUS: 'NORMAL',
      BODY_LIMIT: 2048,
      EVENT_STORE: 'memory',
    });
  });

  it('stops with one message naming every bad variable', () => {
    const attempt = () =>
      validateEngineConfig({ PORT: 'eighty', EVENT_STORE: 'postgres', MASTER_KEY: 'short', MONGODB_URI: 'http://x' });
    expect(attempt).toThrow(InvalidConfigError);
    expect(attempt).toThrow(/PORT="eighty"/);
    expect(attempt).toThrow(/EVENT_STORE="postgres"/);
    expect(attempt).toThrow(/MASTER_KEY/);
    expect(attempt).toThrow(/MONGODB_URI/);
  });

  it('requires the server addresses of the adapters it names', () => {
    expect(() => validateEngineConfig({ EVENT_STORE: 'esdb' })).toThrow(/EVENTSTORE_CONNECTION_STRING: required/);
    expect(() => validateEngineConfig({ READ_STORE: 'mongodb' })).toThrow(/MONGODB_URI: required/);
    expect(
      validateEngineConfig({ EVENT_STORE: 'esdb', EVENTSTORE_CONNECTION_STRING: 'esdb://localhost:2113?tls=false' })
        .EVENT_STORE,
    ).toBe('esdb');
  });

  it('EventStoreDB secure cluster: TLS, credentials, CA and follower reads are accepted; unsafe or inconsistent settings stop the start, naming each variable', () => {
    const cluster = 'esdb://n1:2113,n2:2113,n3:2113?tls=true';
    expect(
      validateEngineConfig({
        EVENT_STORE: 'esdb',
        EVENTSTORE_CONNECTION_STRING: cluster,
        EVENTSTORE_USERNAME: 'rapport',
        EVENTSTORE_PASSWORD: 'hunter22',
        EVENTSTORE_CA_FILE: '/certs/ca/ca.crt',
        EVENTSTORE_READ_NODE_PREFERENCE: 'follower',
      }),
    ).toMatchObject({ EVENTSTORE_USERNAME: 'rapport', EVENTSTORE_READ_NODE_PREFERENCE: 'follower' });
    const attempt = (): unknown =>
      validateEngineConfig({
        EVENT_STORE: 'esdb',
        EVENTSTORE_CONNECTION_STRING: 'esdb://n1:2113?tls=false&nodePreference=follower',
        EVENTSTORE_PASSWORD: 'hunter22',
        EVENTSTORE_READ_NODE_PREFERENCE: 'closest',
      });
    expect(attempt).toThrow(InvalidConfigError);
    expect(attempt).toThrow(/EVENTSTORE_USERNAME and EVENTSTORE_PASSWORD: give both or neither/);
    expect(attempt).toThrow(/tls=false with credentials/);
    expect(attempt).toThrow(/nodePreference=follower would send appends/);
    expect(attempt).toThrow(/EVENTSTORE_READ_NODE_PREFERENCE: must be one of leader, follower/);
    expect(attempt).not.toThrow(/hunter22/);
  });

  it('projector workers: a 10 s projection lease by default; a lease outside 1..600 s or an unfit worker name stops the start', () => {
    expect(validateEngineConfig({})).toMatchObject({ PROJECTION_LEASE_SECONDS: 10 });
    expect(validateEngineConfig({ PROJECTION_LEASE_SECONDS: '5', WORKER_NAME: 'node-1.eu' })).toMatchObject({
      PROJECTION_LEASE_SECONDS: 5,
      WORKER_NAME: 'node-1.eu',
    });
    expect(() => validateEngineConfig({ PROJECTION_LEASE_SECONDS: '0' })).toThrow(/PROJECTION_LEASE_SECONDS="0"/);
    expect(() => validateEngineConfig({ PROJECTION_LEASE_SECONDS: '601' })).toThrow(/PROJECTION_LEASE_SECONDS/);
    expect(() => validateEngineConfig({ WORKER_NAME: 'node 1' })).toThrow(/WORKER_NAME="node 1"/);
  });

  it('projection partitions: 1 (whole projections) by default; a count outside 1..64 or not an integer stops the start', () => {
    expect(validateEngineConfig({})).toMatchObject({ PROJECTION_PARTITIONS: 1 });
    expect(validateEngineConfig({ PROJECTION_PARTITIONS: '4' })).toMatchObject({ PROJECTION_PARTITIONS: 4 });
    expect(() => validateEngineConfig({ PROJECTION_PARTITIONS: '0' })).toThrow(/PROJECTION_PARTITIONS="0"/);
    expect(() => validateEngineConfig({ PROJECTION_PARTITIONS: '65' })).toThrow(/PROJECTION_PARTITIONS/);
    expect(() => validateEngineConfig({ PROJECTION_PARTITIONS: '2.5' })).toThrow(/PROJECTION_PARTITIONS/);
  });

  describe('EXPORT_SIGNING_KEY', () => {
    it('is unset by default (the development key in DATA_DIR signs)', () => {
      expect(validateEngineConfig({}).EXPORT_SIGNING_KEY).toBeUndefined();
      expect(validateEngineConfig({ EXPORT_SIGNING_KEY: '  ' }).EXPORT_SIGNING_KEY).toBeUndefined();
    });

    it('takes an Ed25519 PKCS#8 PEM, also on one line with \\n escapes', () => {
      const pem = pkcs8('ed25519');
      expect(validateEngineConfig({ EXPORT_SIGNING_KEY: pem }).EXPORT_SIGNING_KEY).toBe(pem);
      expect(validateEngineConfig({ EXPORT_SIGNING_KEY: pem.replace(/\n/g, '\\n') }).EXPORT_SIGNING_KEY).toBe(pem);
    });

    it('stops the start on a bad PEM, naming the variable and never echoing the key', () => {
      const broken = pkcs8('ed25519').replace(/[A-Za-z]{8}/, 'AAAAAAAA!');
      for (const [value, reason] of [
        ['not a key', /EXPORT_SIGNING_KEY=.*must be a PKCS#8 PEM private key/],
        [broken, /EXPORT_SIGNING_KEY=.*(must be a PKCS#8 PEM|not a readable private key)/],
        [pkcs8('ec'), /EXPORT_SIGNING_KEY=.*must be an Ed25519 key, found ec/],
      ] as const) {
        const attempt = () => validateEngineConfig({ EXPORT_SIGNING_KEY: value });
        expect(attempt).toThrow(InvalidConfigError);
        expect(attempt).toThrow(reason);
        expect(attempt).not.toThrow(/PRIVATE KEY-----\n[A-Za-z0-9]/);
      }
    });

    it('hides MASTER_KEY values in the message too', () => {
      expect(() => validateEngineConfig({ MASTER_KEY: 'topsecretvalue' })).toThrow(
        /MASTER_KEY=\(secret, 14 characters\)/,
      );
      expect(() => validateEngineConfig({ MASTER_KEY: 'topsecretvalue' })).not.toThrow(/topsecretvalue/);
    });
  });

  describe('complaint SLA policy (COMPLAINT_ACKNOWLEDGE_HOURS, COMPLAINT_RESOLVE_HOURS)', () => {
    it('defaults to acknowledge within 48/24/8/2 h and resolve within 168/72/24/8 h', () => {
      expect(complaintSlaPolicyOf(validateEngineConfig({}))).toEqual({
        acknowledgeHours: { low: 48, medium: 24, high: 8, critical: 2 },
        resolveHours: { low: 168, medium: 72, high: 24, critical: 8 },
      });
    });

    it('takes severity:hours pairs; the severities not given keep their default', () => {
      const config = validateEngineConfig({
        COMPLAINT_ACKNOWLEDGE_HOURS: 'critical:1, high:4',
        COMPLAINT_RESOLVE_HOURS: 'low:240',
      });
      expect(complaintSlaPolicyOf(config)).toEqual({
        acknowledgeHours: { low: 48, medium: 24, high: 4, critical: 1 },
        resolveHours: { low: 240, medium: 72, high: 24, critical: 8 },
      });
    });

    it('stops the start on a bad value, naming the variable and the severity', () => {
      for (const [env, reason] of [
        [
          { COMPLAINT_ACKNOWLEDGE_HOURS: 'urgent:1' },
          /COMPLAINT_ACKNOWLEDGE_HOURS="urgent:1": .*"urgent" is not a severity/,
        ],
        [
          { COMPLAINT_RESOLVE_HOURS: 'high:0' },
          /COMPLAINT_RESOLVE_HOURS="high:0": COMPLAINT_RESOLVE_HOURS\.high must be more than 0/,
        ],
        [{ COMPLAINT_RESOLVE_HOURS: 'soon' }, /COMPLAINT_RESOLVE_HOURS="soon": .*must be severity:hours/],
        [
          { COMPLAINT_ACKNOWLEDGE_HOURS: 'low:500' },
          /COMPLAINT_ACKNOWLEDGE_HOURS\.low \(500\) must not exceed COMPLAINT_RESOLVE_HOURS\.low \(168\)/,
        ],
      ] as const) {
        const attempt = () => validateEngineConfig(env);
        expect(attempt).toThrow(InvalidConfigError);
        expect(attempt).toThrow(reason);
      }
    });
  });

  describe('complaint SLA policy file (COMPLAINT_SLA_POLICY_FILE)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rapport-sla-policy-'));
    const file = (name: string, content: string) => {
      const path = join(dir, name);
      writeFileSync(path, content);
      return path;
    };

    it('reads calendars, region calendars and rules by severity and category on top of the severity hours', () => {
      const path = file(
        'desk.json',
        JSON.stringify({
          calendars: {
            shanghai: {
              utcOffsetMinutes: 480,
              hours: { mon: '09:00-18:00', fri: '09:00-18:00' },
              holidays: ['2026-10-01'],
            },
          },
          regionCalendars: { 'East China': 'shanghai' },
          rules: [{ name: 'billing', category: ['billing'], resolveHours: 12 }],
          warnFraction: 0.1,
        }),
      );
      const policy = complaintSlaPolicyOf(
        validateEngineConfig({ COMPLAINT_SLA_POLICY_FILE: path, COMPLAINT_ACKNOWLEDGE_HOURS: 'high:4' }),
      );
      expect(policy).toMatchObject({
        acknowledgeHours: { high: 4 },
        regionCalendars: { 'East China': 'shanghai' },
        rules: [{ name: 'billing', category: ['billing'], resolveHours: 12 }],
        warnFraction: 0.1,
      });
    });

    it('stops the start on a missing file, bad JSON or a bad field, naming the file and the field path', () => {
      for (const [path, reason] of [
        [join(dir, 'missing.json'), /COMPLAINT_SLA_POLICY_FILE \(.*missing\.json\) cannot be read as JSON/],
        [file('bad.json', '{ rules: '), /COMPLAINT_SLA_POLICY_FILE \(.*bad\.json\) cannot be read as JSON/],
        [
          file('rule.json', JSON.stringify({ rules: [{ name: 'x', severity: ['urgent'] }] })),
          /rule\.json\) rules\[0\]\.severity "urgent" is not one of/,
        ],
        [
          file(
            'cal.json',
            JSON.stringify({ calendars: { sh: { utcOffsetMinutes: 480, hours: { mon: '18:00-09:00' } } } }),
          ),
          /cal\.json\) calendars\.sh\.hours\.mon/,
        ],
      ] as const) {
        const attempt = () => validateEngineConfig({ COMPLAINT_SLA_POLICY_FILE: path });
        expect(attempt).toThrow(InvalidConfigError);
        expect(attempt).toThrow(reason);
      }
    });
  });
});
