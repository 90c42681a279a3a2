import { channel } from 'node:diagnostics_channel';

/**
 * Timings the adapters publish on Node's diagnostics channels, for whoever measures them (the engine's
 * Prometheus metrics) without the stores knowing about it. Publishing costs nothing without subscribers.
 */
export const APPEND_CHANNEL = 'rapport:event-store:append';
export const COMMIT_CHANNEL = 'rapport:event-store:commit';

/** One `appendToStream`, from the call to its answer (queueing, group commit and fsync included). */
export interface AppendTiming {
  store: 'sqlite' | 'esdb' | 'memory';
  seconds: number;
  events: number;
  outcome: 'ok' | 'error';
}

/** One transaction of the SQLite group commit: how long BEGIN to COMMIT took and how many appends it carried. */
export interface CommitTiming {
  store: 'sqlite';
  seconds: number;
  appends: number;
}

const appendChannel = channel(APPEND_CHANNEL);
const commitChannel = channel(COMMIT_CHANNEL);

/** Times `work` as one append and publishes it when it settles. */
export function timedAppend<T>(store: AppendTiming['store'], events: number, work: () => Promise<T>): Promise<T> {
  if (!appendChannel.hasSubscribers) return work();
  const started = process.hrtime.bigint();
  const publish = (outcome: AppendTiming['outcome']) =>
    appendChannel.publish({
      store,
      events,
      outcome,
      seconds: Number(process.hrtime.bigint() - started) / 1e9,
    } satisfies AppendTiming);
  return work().then(
    (result) => {
      publish('ok');
      return result;
    },
    (error: unknown) => {
      publish('error');
      throw error;
    },
  );
}

export function publishCommit(timing: CommitTiming): void {
  if (commitChannel.hasSubscribers) commitChannel.publish(timing);
}

export const commitTimingWanted = (): boolean => commitChannel.hasSubscribers;
