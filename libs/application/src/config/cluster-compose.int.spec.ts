import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { validateEngineConfig } from './engine-config';

// docker-compose.cluster.yml cannot be started on these machines (no Docker engine); this checks
// what can be checked without one: every engine process gets a configuration the engine accepts,
// with each variable one it reads, and the layout the scale-out docs describe.

interface Service {
  environment?: Record<string, string | number>;
  profiles?: string[];
  command?: unknown;
}

const ROOT = join(__dirname, '..', '..', '..', '..');
const compose = parse(readFileSync(join(ROOT, 'docker-compose.cluster.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
};
const services = Object.entries(compose.services);
// Compose's `${VAR:?message}` and `${VAR:-default}`, given the values an operator exports.
const exported: Record<string, string> = { MASTER_KEY: 'a'.repeat(64), API_KEYS: `admin:${'b'.repeat(64)}` };
const interpolate = (value: string): string =>
  value.replace(
    /\$\{([A-Z_]+)(?::([?-])([^}]*))?\}/g,
    (_, name: string, kind?: string, rest?: string) => exported[name] ?? (kind === '-' ? (rest ?? '') : ''),
  );
const engineEnv = (service: Service): Record<string, string> =>
  Object.fromEntries(Object.entries(service.environment ?? {}).map(([k, v]) => [k, interpolate(String(v))]));
const engines = services.filter(([, service]) => service.environment?.PROJECTOR_ROLE !== undefined);

describe('docker-compose.cluster.yml', () => {
  it('runs two HTTP engines and two projector workers sharing the projections', () => {
    const roles = engines.map(
      ([name, service]) => `${name}:${service.environment?.PROJECTOR_ROLE}:${service.profiles?.join(',') ?? ''}`,
    );
    expect(roles.sort()).toEqual(['engine-1:none:', 'engine-2:none:', 'projector-1:only:', 'projector-2:only:']);
  });

  it('has the projector workers read from KurrentDB followers, the HTTP engines from the leader', () => {
    const preferences = engines.map(
      ([name, service]) => `${name}:${engineEnv(service).EVENTSTORE_READ_NODE_PREFERENCE}`,
    );
    expect(preferences.sort()).toEqual([
      'engine-1:undefined',
      'engine-2:undefined',
      'projector-1:follower',
      'projector-2:follower',
    ]);
  });

  it.each(engines.map(([name, service]) => [name, service] as const))(
    'gives %s a configuration the engine accepts, every variable one it reads',
    (_, service) => {
      const env = engineEnv(service);
      const config = validateEngineConfig(env) as unknown as Record<string, unknown>;
      // Unknown variables are dropped by validation: each one set must come back with its value.
      for (const [name, value] of Object.entries(env)) expect([name, String(config[name])]).toEqual([name, value]);
      expect(config.EVENTSTORE_CONNECTION_STRING).toMatch(
        /kurrentdb-1:2113,kurrentdb-2:2113,kurrentdb-3:2113\?tls=true/,
      );
      expect(config.MONGODB_URI).toMatch(/mongo-1:27017,mongo-2:27017,mongo-3:27017\/rapport\?replicaSet=rs0/);
    },
  );

  it('requires the master key and API keys instead of letting each container generate its own', () => {
    const raw = compose.services['engine-1']?.environment ?? {};
    expect(String(raw.MASTER_KEY)).toMatch(/^\$\{MASTER_KEY:\?/);
    expect(String(raw.API_KEYS)).toMatch(/^\$\{API_KEYS:\?/);
  });

  it('has a 3-node KurrentDB cluster whose nodes seed each other and a 3-member MongoDB replica set', () => {
    const nodes = services.filter(([name]) => name.startsWith('kurrentdb-'));
    expect(nodes.map(([name]) => name)).toEqual(['kurrentdb-1', 'kurrentdb-2', 'kurrentdb-3']);
    for (const [name, node] of nodes) {
      const env = node.environment ?? {};
      expect(env.KURRENTDB_CLUSTER_SIZE).toBe('3');
      const seeds = String(env.KURRENTDB_GOSSIP_SEED).split(',');
      expect(seeds.sort()).toEqual(nodes.map(([other]) => `${other}:2113`).filter((seed) => !seed.startsWith(name)));
      expect(env.KURRENTDB_ADVERTISE_HOST_TO_CLIENT_AS).toBe(name);
    }
    const mongos = services.filter(([name]) => name.startsWith('mongo-'));
    expect(mongos).toHaveLength(3);
    for (const [, mongo] of mongos) expect(mongo.command).toEqual(['--replSet', 'rs0', '--bind_ip_all']);
  });
});
