import type { EventStore, StoredEvent } from '@rapport/event-store';
import type { ReadStore } from '@rapport/read-store';
import type { ProjectedEvent, Projection } from '../projection';

/** Turns a stored event into what projections see (decrypts, upcasts); null skips it. */
export type EventDecoder = (stored: StoredEvent) => Promise<ProjectedEvent | null>;

export type TrackPhase = 'catching_up' | 'live' | 'rebuilding';

export interface ProjectionProgress {
  projection: string;
  version: number;
  collection: string;
  phase: TrackPhase;
  /** Checkpoint after the batch just committed. */
  position: number;
  /** Head of the event store when the pass started. */
  head: number;
  /** Events read and applied by this track since it started. */
  processed: number;
}

export interface RunnerLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface ProjectionRunnerOptions {
  eventStore: EventStore;
  readStore: ReadStore;
  decoder: EventDecoder;
  projections: Projection[];
  /** Events per read batch and per commit. Default 1000. */
  batchSize?: number;
  /**
   * A rebuild (shadow collection, read by nobody) keeps its documents in memory across batches and
   * commits them with the checkpoint at least every this many events, and at the end of each pass.
   * Default 1,000,000 (a crash loses at most that much rebuild work; memory is bounded apart).
   */
  shadowFlushEvents?: number;
  /**
   * Builds from scratch: `maxCachedDocs` bounds the documents a build holds in memory (default 200,000;
   * a per-customer build commits at most every 20,000); `perCustomer: false` makes every build fold in
   * global order (per-customer is used for projections whose documents each follow one customer).
   */
  rebuild?: { maxCachedDocs?: number; perCustomer?: boolean };
  /**
   * Splits each projection whose documents each follow one customer into this many partitions by
   * customer hash (`<name>#<i>/<n>`), each owned and run on its own (see `units()`). Default 1.
   */
  partitions?: number;
  /** How often a partition re-reads the record its partitions share (a rebuild, a switch). Default 500 ms. */
  recordPollMs?: number;
  /** A failing event is tried this many times, with exponential backoff, before it is parked. */
  retry?: { attempts: number; baseDelayMs: number };
  /** Milliseconds since the epoch; for lag figures and parking times. */
  clock?: () => number;
  onProgress?: (progress: ProjectionProgress) => void;
  logger?: RunnerLogger;
}

export const silentLogger: RunnerLogger = { log: () => undefined, warn: () => undefined, error: () => undefined };
