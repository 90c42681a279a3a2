import { readFileSync } from 'node:fs';
import { parseConnectionString } from '@eventstore/db-client/dist/Client/parseConnectionString';

// The settings of an EventStoreDB/KurrentDB connection, checked before the engine starts: a secure
// cluster (TLS, credentials, the cluster's CA) and where reads go. Every problem names its variable.

export const ESDB_NODE_PREFERENCES = ['leader', 'follower', 'random', 'readonlyreplica'] as const;

/** The query options the client knows (it ignores any other with a console warning). */
const KNOWN_OPTIONS = [
  'userCertFile',
  'userKeyFile',
  'maxDiscoverAttempts',
  'connectionName',
  'defaultDeadline',
  'discoveryInterval',
  'gossipTimeout',
  'nodePreference',
  'tls',
  'tlsVerifyCert',
  'tlsCAFile',
  'throwOnAppendFailure',
  'keepAliveInterval',
  'keepAliveTimeout',
];
const flat = (key: string): string => key.trim().toLowerCase().replace(/[_-]/g, '');

export interface EsdbSettingsInput {
  /** EVENTSTORE_CONNECTION_STRING */
  connectionString: string;
  /** EVENTSTORE_USERNAME / EVENTSTORE_PASSWORD: credentials kept out of the connection string. */
  username?: string | undefined;
  password?: string | undefined;
  /** EVENTSTORE_CA_FILE: the PEM certificate of the CA that signed the cluster's node certificates. */
  caFile?: string | undefined;
  /** EVENTSTORE_READ_NODE_PREFERENCE: where projection catch-ups, listings and verification read. */
  readNodePreference?: string | undefined;
}

export interface EsdbSettings {
  /** For appends and the reads a command decides on: always the leader. */
  connectionString: string;
  /** For bulk reads (projections, listings, verification), when they go elsewhere than the leader. */
  readConnectionString: string | null;
}

export class EsdbSettingsError extends Error {
  override readonly name = 'EsdbSettingsError';
  constructor(readonly problems: string[]) {
    super(`invalid EventStoreDB settings:\n  ${problems.join('\n  ')}`);
  }
}

/** Hides the password of `user:password@` in anything echoed back. */
const masked = (text: string): string => text.replace(/(\/\/[^:/@]+:)[^@]+@/g, '$1***@');

function queryOf(connectionString: string): Map<string, string> {
  const query = connectionString.split('?')[1] ?? '';
  const pairs = query.split('&').filter((pair) => pair !== '');
  return new Map(pairs.map((pair) => [flat(pair.split('=')[0] ?? ''), decodeURIComponent(pair.split('=')[1] ?? '')]));
}

function caProblem(variable: string, path: string, readFile: FileReader | null): string | null {
  if (readFile === null) return null;
  let text: string;
  try {
    text = readFile(path);
  } catch (error) {
    return `${variable} (${path}): cannot be read: ${(error as Error).message}`;
  }
  return text.includes('-----BEGIN CERTIFICATE-----')
    ? null
    : `${variable} (${path}): not a PEM certificate (no -----BEGIN CERTIFICATE----- line)`;
}

type FileReader = (path: string) => string;
const readText: FileReader = (path) => readFileSync(path, 'utf8');

/**
 * The problems of the settings, or the connection strings to use (credentials and CA merged in).
 * `readFile` null checks the settings alone (a configuration checked away from its machine), else
 * the CA file must be readable and PEM.
 */
export function checkEsdbSettings(
  input: EsdbSettingsInput,
  readFile: FileReader | null = readText,
): { problems: string[]; settings: EsdbSettings | null } {
  const problems: string[] = [];
  const CS = 'EVENTSTORE_CONNECTION_STRING';
  let parsed: ReturnType<typeof parseConnectionString>;
  try {
    parsed = parseConnectionString(input.connectionString);
  } catch (error) {
    return { problems: [`${CS}: cannot be parsed: ${masked((error as Error).message)}`], settings: null };
  }
  const query = queryOf(input.connectionString);
  const known = new Set(KNOWN_OPTIONS.map(flat));
  for (const key of query.keys())
    if (!known.has(key)) problems.push(`${CS}: unknown option "${key}" (known: ${KNOWN_OPTIONS.join(', ')})`);
  const tls = parsed.tls !== false;
  if (parsed.tlsVerifyCert === false)
    problems.push(
      `${CS}: tlsVerifyCert=false has no effect with this client; give the cluster's CA in EVENTSTORE_CA_FILE`,
    );
  if (parsed.nodePreference !== undefined && parsed.nodePreference !== 'leader')
    problems.push(
      `${CS}: nodePreference=${parsed.nodePreference} would send appends and the reads commands decide on away from the leader; keep the leader there and set EVENTSTORE_READ_NODE_PREFERENCE=${parsed.nodePreference} for projection reads`,
    );

  const { username, password } = input;
  if ((username === undefined) !== (password === undefined))
    problems.push('EVENTSTORE_USERNAME and EVENTSTORE_PASSWORD: give both or neither');
  if (username !== undefined && parsed.defaultCredentials)
    problems.push(`EVENTSTORE_USERNAME: ${CS} already carries credentials; give them once`);
  if (!tls && (username !== undefined || password !== undefined || parsed.defaultCredentials))
    problems.push(
      `${CS}: tls=false with credentials: an insecure node has no users, and the password would travel in clear; use TLS`,
    );

  if (input.caFile !== undefined) {
    if (parsed.tlsCAFile !== undefined)
      problems.push(`EVENTSTORE_CA_FILE: ${CS} already names tlsCAFile; give it once`);
    if (!tls) problems.push(`EVENTSTORE_CA_FILE: a CA is for TLS, but ${CS} says tls=false`);
    const problem = caProblem('EVENTSTORE_CA_FILE', input.caFile, readFile);
    if (problem) problems.push(problem);
  } else if (parsed.tlsCAFile !== undefined) {
    const problem = caProblem(`${CS} tlsCAFile`, parsed.tlsCAFile, readFile);
    if (problem) problems.push(problem);
  }

  const read = input.readNodePreference?.trim().toLowerCase();
  if (read !== undefined) {
    if (!(ESDB_NODE_PREFERENCES as readonly string[]).includes(read))
      problems.push(`EVENTSTORE_READ_NODE_PREFERENCE: must be one of ${ESDB_NODE_PREFERENCES.join(', ')}`);
    else if (read !== 'leader' && !parsed.dnsDiscover && parsed.hosts.length < 2)
      problems.push(
        `EVENTSTORE_READ_NODE_PREFERENCE=${read}: needs a cluster (several hosts, or esdb+discover://) in ${CS}`,
      );
  }
  if (problems.length > 0) return { problems, settings: null };

  let connectionString = input.connectionString.trim();
  if (username !== undefined && password !== undefined)
    connectionString = connectionString.replace(
      /^([a-z+]+:\/\/)/,
      `$1${encodeURIComponent(username)}:${encodeURIComponent(password)}@`,
    );
  const withOption = (text: string, key: string, value: string): string =>
    `${text}${text.includes('?') ? '&' : '?'}${key}=${encodeURIComponent(value)}`;
  if (input.caFile !== undefined) connectionString = withOption(connectionString, 'tlsCAFile', input.caFile);
  const readConnectionString =
    read === undefined || read === 'leader' ? null : withOption(connectionString, 'nodePreference', read);
  return { problems, settings: { connectionString, readConnectionString } };
}

/** The settings to connect with; throws EsdbSettingsError listing every problem. */
export function esdbSettings(input: EsdbSettingsInput, readFile: FileReader = readText): EsdbSettings {
  const { problems, settings } = checkEsdbSettings(input, readFile);
  if (!settings) throw new EsdbSettingsError(problems);
  return settings;
}
