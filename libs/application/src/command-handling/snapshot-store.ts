import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import {
  CURRENT_SCHEMA_VERSIONS,
  CUSTOMER_SNAPSHOT_VERSION,
  encodeCustomerState,
  rehydrate,
  type CustomerEvent,
  type CustomerState,
  type EncodedCustomerState,
} from '@rapport/domain';
import { READ_STORE, type ReadStore } from '@rapport/read-store';

/** A customer's decision state at a revision, persisted so a cold load reads only the events after it. */
export interface PersistedSnapshot {
  revision: number;
  state: CustomerState;
}

/** A persisted snapshot as read back: still encoded, for `restoreCustomerState` with the events after it. */
export interface EncodedSnapshot {
  revision: number;
  encoded: EncodedCustomerState;
}

/** Bump when the decider's fold changes meaning without changing the state's shape. */
const SNAPSHOT_FORMAT = 2;

interface StoredSnapshot {
  format: string;
  revision: number;
  state: EncodedCustomerState;
}

/**
 * Snapshots of decision state, kept beside the read models (meta records `snapshot:<stream>`) in the
 * domain's compact column form. They hold no personal data (the decision state has none), so erasure
 * leaves nothing in them to shred. Losing one only costs a longer load.
 */
@Injectable()
export class SnapshotStore {
  private readonly logger = new Logger(SnapshotStore.name);

  /** Snapshots written by a decider whose state looks different are ignored (see stateFingerprint). */
  private readonly formatTag = `${SNAPSHOT_FORMAT}:${stateFingerprint()}`;

  constructor(@Inject(READ_STORE) private readonly readStore: ReadStore) {}

  async get(streamId: string): Promise<EncodedSnapshot | null> {
    try {
      const stored = await this.readStore.getMeta<StoredSnapshot>(`snapshot:${streamId}`);
      if (!stored || stored.format !== this.formatTag) return null;
      return { revision: stored.revision, encoded: stored.state };
    } catch (error) {
      this.logger.warn(`snapshot of ${streamId} unreadable, folding from the start: ${(error as Error).message}`);
      return null;
    }
  }

  async put(streamId: string, snapshot: PersistedSnapshot): Promise<void> {
    const stored: StoredSnapshot = {
      format: this.formatTag,
      revision: snapshot.revision,
      state: encodeCustomerState(snapshot.state),
    };
    await this.readStore.setMeta<StoredSnapshot>(`snapshot:${streamId}`, stored);
  }
}

/**
 * A hash of the schema and snapshot versions and of the encoded state the decider folds from a small
 * fixed history: when the domain changes how it represents its state, the fingerprint changes and
 * older snapshots are simply not used.
 */
function stateFingerprint(): string {
  const meta = (minute: number) => ({
    eventId: `e${minute}`,
    occurredAt: new Date(Date.UTC(2020, 0, 1, 0, minute)).toISOString(),
  });
  const c = 'fingerprint';
  const history = [
    {
      type: 'CustomerRegistered',
      data: {
        customerId: c,
        name: 'n',
        acquisitionChannel: 'web',
        acquisitionCost: 1,
        region: 'r',
        city: 'c',
        demographics: {},
      },
    },
    {
      type: 'CallLogged',
      data: {
        customerId: c,
        callId: 'k1',
        direction: 'inbound',
        durationSeconds: 1,
        agentId: 'a',
        topic: 't',
        outcome: 'resolved',
      },
    },
    {
      type: 'PurchaseRecorded',
      data: {
        customerId: c,
        orderId: 'o1',
        lines: [{ sku: 's', category: 'c', quantity: 1, unitPrice: 10 }],
        total: 10,
        currency: 'CNY',
      },
    },
    { type: 'PurchaseRefunded', data: { customerId: c, orderId: 'o1', refundId: 'r1', amount: 1, currency: 'CNY' } },
    {
      type: 'PromiseMade',
      data: {
        customerId: c,
        promiseId: 'p1',
        description: 'd',
        dueAt: '2020-02-01T00:00:00.000Z',
        madeBy: 'a',
        withinPolicy: true,
      },
    },
    {
      type: 'ComplaintFiled',
      data: { customerId: c, complaintId: 'q1', category: 'c', severity: 'low', description: 'd' },
    },
    { type: 'SurveyResponded', data: { customerId: c, surveyId: 's1', kind: 'nps', score: 9 } },
  ].map((event, minute) => ({ ...event, metadata: meta(minute) })) as unknown as CustomerEvent[];
  const state = JSON.stringify(encodeCustomerState(rehydrate(history)));
  return createHash('sha256')
    .update(JSON.stringify({ CURRENT_SCHEMA_VERSIONS, CUSTOMER_SNAPSHOT_VERSION }))
    .update(state)
    .digest('hex')
    .slice(0, 16);
}
