import {
  complaintSlaPolicy,
  ComplaintSlaPolicyError,
  DEFAULT_COMPLAINT_SLA_POLICY,
  type ComplaintSlaPolicy,
  type SeverityHours,
} from '@rapport/projections/complaint-sla/complaint-sla-policy';
import { slaPolicyFromDocument } from '@rapport/projections/complaint-sla/sla-policy-rules';
import { readFileSync } from 'node:fs';
import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, validateSync } from 'class-validator';
import { IsEd25519PrivateKeyPem, pemWithNewlines } from './ed25519-private-key-pem';
import { IsSeverityHours, severityHoursFrom } from './severity-hours';
import { worklistConfigProblems } from './worklist-config';
import { checkEsdbSettings, type EsdbSettingsInput } from '@rapport/event-store/esdb/esdb-settings';

export const EVENT_STORE_KINDS = ['sqlite', 'esdb', 'memory'] as const;
export const READ_STORE_KINDS = ['sqlite', 'mongodb', 'memory'] as const;
export const KEY_STORE_KINDS = ['sqlite', 'mongodb', 'memory'] as const;
export const PROJECTOR_ROLES = ['in-process', 'none', 'only'] as const;
export const SYNCHRONOUS_MODES = ['OFF', 'NORMAL', 'FULL', 'EXTRA'] as const;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const upper = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toUpperCase() : value);
const integer = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
const emptyAsUnset = ({ value }: { value: unknown }) =>
  typeof value === 'string' && value.trim() === '' ? undefined : typeof value === 'string' ? value.trim() : value;

/** The engine's environment, validated once at start-up; a bad value stops the start. */
export class EngineConfig {
  @Transform(integer)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @Transform(trimmed)
  @IsString()
  @MinLength(1)
  HOST = '127.0.0.1';

  @Transform(trimmed)
  @IsString()
  @MinLength(1)
  DATA_DIR = './data';

  @Transform(trimmed)
  @IsIn(EVENT_STORE_KINDS)
  EVENT_STORE: (typeof EVENT_STORE_KINDS)[number] = 'sqlite';

  @Transform(trimmed)
  @IsIn(READ_STORE_KINDS)
  READ_STORE: (typeof READ_STORE_KINDS)[number] = 'sqlite';

  @Transform(trimmed)
  @IsIn(KEY_STORE_KINDS)
  KEY_STORE: (typeof KEY_STORE_KINDS)[number] = 'sqlite';

  @Transform(upper)
  @IsIn(SYNCHRONOUS_MODES)
  SQLITE_SYNCHRONOUS: (typeof SYNCHRONOUS_MODES)[number] = 'FULL';

  @Transform(emptyAsUnset)
  @IsOptional()
  @Matches(/^(esdb|kurrentdb|esdb\+discover|kurrentdb\+discover|kdb):\/\//, {
    message: 'EVENTSTORE_CONNECTION_STRING must be an esdb:// or kurrentdb:// connection string',
  })
  EVENTSTORE_CONNECTION_STRING?: string;

  /** Secure cluster settings (TLS, credentials, CA, follower reads): checked together by esdb-settings. */
  @Transform(emptyAsUnset) @IsOptional() @IsString() EVENTSTORE_USERNAME?: string;
  @Transform(emptyAsUnset) @IsOptional() @IsString() EVENTSTORE_PASSWORD?: string;
  @Transform(emptyAsUnset) @IsOptional() @IsString() EVENTSTORE_CA_FILE?: string;
  @Transform(emptyAsUnset) @IsOptional() @IsString() EVENTSTORE_READ_NODE_PREFERENCE?: string;

  @Transform(emptyAsUnset)
  @IsOptional()
  @Matches(/^mongodb(\+srv)?:\/\//, { message: 'MONGODB_URI must be a mongodb:// or mongodb+srv:// URI' })
  MONGODB_URI?: string;

  /** 32 bytes, hex (64 chars) or base64: wraps the per-customer keys. Generated into DATA_DIR in development. */
  @Transform(emptyAsUnset)
  @IsOptional()
  @Matches(/^([0-9a-fA-F]{64}|[A-Za-z0-9+/]{43}=)$/, {
    message: 'MASTER_KEY must be 32 bytes as 64 hex characters or 44 base64 characters',
  })
  MASTER_KEY?: string;

  /** Signs audit exports: an Ed25519 private key as PKCS#8 PEM (`\n` escapes allowed). Unset: development key in DATA_DIR. */
  @Transform(({ value }: { value: unknown }) =>
    typeof value !== 'string' ? value : value.trim() === '' ? undefined : pemWithNewlines(value),
  )
  @IsOptional()
  @IsEd25519PrivateKeyPem()
  EXPORT_SIGNING_KEY?: string;

  /** `role:sha256hex,...` or a path to a JSON file `[{ "role", "sha256" , "id"? }]`. Unset: development keys. */
  @Transform(emptyAsUnset)
  @IsOptional()
  @IsString()
  API_KEYS?: string;

  @Transform(integer)
  @IsInt()
  @Min(1024)
  @Max(1024 * 1024 * 1024)
  BODY_LIMIT = 1024 * 1024;

  @Transform(trimmed)
  @IsIn(PROJECTOR_ROLES)
  PROJECTOR_ROLE: (typeof PROJECTOR_ROLES)[number] = 'in-process';

  /** Seconds between scheduled scoring runs (with CLV fit and deadline watch) where projections run; 0 turns it off. */
  @Transform(integer)
  @IsInt()
  @Min(0)
  @Max(7 * 24 * 3600)
  SCORING_INTERVAL_SECONDS = 300;

  /** Seconds between deadline-watcher passes (overdue promises, complaint SLAs) between scoring runs; 0 turns it off. */
  @Transform(integer)
  @IsInt()
  @Min(0)
  @Max(24 * 3600)
  DEADLINE_WATCH_INTERVAL_SECONDS = 60;

  /** Hours to acknowledge a complaint, from filing: `low:48,medium:24,high:8,critical:2` (any subset; the rest keep the default). */
  @Transform(severityHoursFrom(DEFAULT_COMPLAINT_SLA_POLICY.acknowledgeHours))
  @IsSeverityHours()
  COMPLAINT_ACKNOWLEDGE_HOURS: SeverityHours = { ...DEFAULT_COMPLAINT_SLA_POLICY.acknowledgeHours };

  /** Hours to resolve a complaint, from filing or from its latest reopening: `low:168,medium:72,high:24,critical:8`. */
  @Transform(severityHoursFrom(DEFAULT_COMPLAINT_SLA_POLICY.resolveHours))
  @IsSeverityHours()
  COMPLAINT_RESOLVE_HOURS: SeverityHours = { ...DEFAULT_COMPLAINT_SLA_POLICY.resolveHours };

  /**
   * A service desk's SLA policy document (JSON): business-hours calendars, region calendars, rules by
   * severity and category, next-reply hours, warn-before (docs/operations.md). Read and checked at start-up.
   */
  @IsOptional()
  @IsString()
  @MinLength(1)
  COMPLAINT_SLA_POLICY_FILE?: string;

  /** Webhooks: `off` keeps this instance from delivering (run deliveries in one instance of several). */
  @Transform(trimmed)
  @IsIn(['on', 'off'])
  WEBHOOK_DELIVERY: 'on' | 'off' = 'on';

  /** Webhooks: seconds an instance holds a subscription's delivery lease without renewing it (renewed every third). */
  @Transform(integer)
  @IsInt()
  @Min(1)
  @Max(600)
  WEBHOOK_LEASE_SECONDS = 15;

  /** Webhooks: hours a delivered entry stays in the delivery log (parked ones stay until replayed); 0 keeps all. */
  @Transform(integer)
  @IsInt()
  @Min(0)
  @Max(24 * 365)
  WEBHOOK_LOG_RETENTION_HOURS = 168;

  /** Webhooks: first retry delay (ms); later ones grow exponentially with jitter up to WEBHOOK_RETRY_MAX_MS. */
  @Transform(integer)
  @IsInt()
  @Min(1)
  @Max(3_600_000)
  WEBHOOK_RETRY_INITIAL_MS = 500;

  @Transform(integer)
  @IsInt()
  @Min(1)
  @Max(24 * 3_600_000)
  WEBHOOK_RETRY_MAX_MS = 60_000;

  /** Webhooks: how long a receiver has to answer one delivery. */
  @Transform(integer)
  @IsInt()
  @Min(100)
  @Max(120_000)
  WEBHOOK_TIMEOUT_MS = 10_000;

  /** Consumer groups: seconds a member keeps its partitions without acknowledging or fetching. */
  @Transform(integer)
  @IsInt()
  @Min(1)
  @Max(3600)
  CONSUMER_GROUP_LEASE_SECONDS = 30;

  /**
   * Projector workers: seconds a worker keeps a projection's lease (and its heartbeat, and the jobs
   * leader lease) without renewing it (renewed every third); a dead worker's projections are taken
   * over after about this long.
   */
  @Transform(integer)
  @IsInt()
  @Min(1)
  @Max(600)
  PROJECTION_LEASE_SECONDS = 10;

  /**
   * Projector workers: partitions by customer hash of each projection whose documents follow one
   * customer, each owned by one worker (1: whole projections). Every worker must use the same count.
   */
  @Transform(integer)
  @IsInt()
  @Min(1)
  @Max(64)
  PROJECTION_PARTITIONS = 1;

  /** Projector workers: the name a worker goes by in GET /projections (the process id and a random suffix are added). Default: the host name. */
  @Transform(emptyAsUnset)
  @IsOptional()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, {
    message: 'WORKER_NAME must be 1-100 letters, digits, dots, dashes or underscores, starting with a letter or digit',
  })
  WORKER_NAME?: string;

  /** Customer health weights, `recency:25,probabilityAlive:20,...` (any subset; docs/read-models.md lists them). */
  @Transform(emptyAsUnset)
  @IsOptional()
  @IsString()
  HEALTH_WEIGHTS?: string;

  /** Health band thresholds: `healthy:70,watch:40` (healthy at or above the first, watch at or above the second). */
  @Transform(emptyAsUnset)
  @IsOptional()
  @IsString()
  HEALTH_BANDS?: string;

  /** Revisit interval in days per value tier, `A:30,B:90,C:0` (0: no revisits). */
  @Transform(emptyAsUnset)
  @IsOptional()
  @IsString()
  WORKLIST_REVISIT_DAYS?: string;

  /** Seconds between passes of the health watcher and the worklist engine (where projections run); 0 turns them off. */
  @Transform(integer)
  @IsInt()
  @Min(0)
  @Max(7 * 24 * 3600)
  WORKLIST_INTERVAL_SECONDS = 300;

  /** A promise due within this many hours gets a follow-up. */
  @Transform(integer)
  @IsInt()
  @Min(1)
  @Max(24 * 365)
  WORKLIST_PROMISE_DUE_SOON_HOURS = 48;

  /** A complaint SLA step due within this many hours gets a follow-up. */
  @Transform(integer)
  @IsInt()
  @Min(1)
  @Max(24 * 365)
  WORKLIST_SLA_AT_RISK_HOURS = 4;

  @Transform(trimmed)
  @IsIn(LOG_LEVELS)
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';
}

/** Thrown when the environment is invalid; the message lists every failing variable. */
export class InvalidConfigError extends Error {
  override readonly name = 'InvalidConfigError';
}

export type EngineEnv = Record<string, string | undefined>;

/** Secrets are never echoed in an error message, only their length. */
const SECRET_VARIABLES = new Set(['MASTER_KEY', 'EXPORT_SIGNING_KEY', 'EVENTSTORE_PASSWORD']);
const shown = (name: string, value: string | undefined): string =>
  SECRET_VARIABLES.has(name) && value !== undefined ? `(secret, ${value.length} characters)` : JSON.stringify(value);

/** Validates the environment (unknown variables are ignored, empty ones mean unset). */
export function validateEngineConfig(env: EngineEnv): EngineConfig {
  const defaults = new EngineConfig();
  const known = Object.keys(defaults).concat(
    'EVENTSTORE_CONNECTION_STRING',
    ...ESDB_SETTING_VARIABLES,
    'COMPLAINT_SLA_POLICY_FILE',
    'MONGODB_URI',
    'MASTER_KEY',
    'API_KEYS',
    'EXPORT_SIGNING_KEY',
    'HEALTH_WEIGHTS',
    'HEALTH_BANDS',
    'WORKLIST_REVISIT_DAYS',
    'WORKER_NAME',
  );
  const given = Object.fromEntries(
    known.filter((key) => env[key] !== undefined && env[key] !== '').map((key) => [key, env[key]]),
  );
  const config = plainToInstance(EngineConfig, given, { exposeDefaultValues: true });
  const errors = validateSync(config, { skipMissingProperties: false, forbidUnknownValues: true });
  const problems = errors.flatMap((e) =>
    Object.values(e.constraints ?? {}).map(
      (message) => `${e.property}=${shown(e.property, env[e.property])}: ${message}`,
    ),
  );
  if (config.EVENT_STORE === 'esdb' && !config.EVENTSTORE_CONNECTION_STRING)
    problems.push('EVENTSTORE_CONNECTION_STRING: required when EVENT_STORE=esdb');
  if (config.EVENT_STORE === 'esdb' && config.EVENTSTORE_CONNECTION_STRING && problems.length === 0)
    // The settings alone here (the CA file is read when the store is made, at start-up too).
    problems.push(...checkEsdbSettings(esdbSettingsInput(config), null).problems);
  if ((config.READ_STORE === 'mongodb' || config.KEY_STORE === 'mongodb') && !config.MONGODB_URI)
    problems.push('MONGODB_URI: required when READ_STORE or KEY_STORE is mongodb');
  if (problems.length === 0) {
    try {
      complaintSlaPolicyOf(config);
    } catch (error) {
      if (!(error instanceof ComplaintSlaPolicyError)) throw error;
      // Named as the operator sets them: COMPLAINT_ACKNOWLEDGE_HOURS.low (500) must not exceed COMPLAINT_RESOLVE_HOURS.low (168);
      // a problem inside the policy file is named by its path there.
      problems.push(
        error instanceof SlaPolicyFileError
          ? error.message
          : error.message
              .replace(/acknowledgeHours/g, 'COMPLAINT_ACKNOWLEDGE_HOURS')
              .replace(/resolveHours/g, 'COMPLAINT_RESOLVE_HOURS'),
      );
    }
  }
  if (problems.length === 0) problems.push(...worklistConfigProblems(config));
  if (problems.length > 0) throw new InvalidConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`);
  return config;
}

/** A problem with COMPLAINT_SLA_POLICY_FILE: unreadable, not JSON, or a field of it out of range (named by its path). */
export class SlaPolicyFileError extends ComplaintSlaPolicyError {}

/** The complaint SLA policy the configuration sets (validated: throws ComplaintSlaPolicyError naming the field). */
export function complaintSlaPolicyOf(
  config: Pick<EngineConfig, 'COMPLAINT_ACKNOWLEDGE_HOURS' | 'COMPLAINT_RESOLVE_HOURS'> & {
    COMPLAINT_SLA_POLICY_FILE?: string;
  },
): ComplaintSlaPolicy {
  const base = complaintSlaPolicy({
    acknowledgeHours: config.COMPLAINT_ACKNOWLEDGE_HOURS,
    resolveHours: config.COMPLAINT_RESOLVE_HOURS,
  });
  const file = config.COMPLAINT_SLA_POLICY_FILE;
  if (file === undefined) return base;
  const field = `COMPLAINT_SLA_POLICY_FILE (${file})`;
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new SlaPolicyFileError(field, `cannot be read as JSON: ${(error as Error).message}`);
  }
  try {
    return slaPolicyFromDocument(doc, base);
  } catch (error) {
    if (error instanceof ComplaintSlaPolicyError)
      throw new SlaPolicyFileError(`${field} ${error.field}`, error.message.slice(error.field.length + 1));
    throw error;
  }
}

const ESDB_SETTING_VARIABLES = [
  'EVENTSTORE_USERNAME',
  'EVENTSTORE_PASSWORD',
  'EVENTSTORE_CA_FILE',
  'EVENTSTORE_READ_NODE_PREFERENCE',
];

/** The EventStoreDB connection settings of a configuration that names a connection string. */
export const esdbSettingsInput = (
  config: Pick<
    EngineConfig,
    | 'EVENTSTORE_CONNECTION_STRING'
    | 'EVENTSTORE_USERNAME'
    | 'EVENTSTORE_PASSWORD'
    | 'EVENTSTORE_CA_FILE'
    | 'EVENTSTORE_READ_NODE_PREFERENCE'
  >,
): EsdbSettingsInput => ({
  connectionString: config.EVENTSTORE_CONNECTION_STRING ?? '',
  username: config.EVENTSTORE_USERNAME,
  password: config.EVENTSTORE_PASSWORD,
  caFile: config.EVENTSTORE_CA_FILE,
  readNodePreference: config.EVENTSTORE_READ_NODE_PREFERENCE,
});
