import type { Doc } from '@rapport/read-store';
import { projected } from '@rapport/testing';
import type { ProjectedEvent, Projection } from './projection';
import { defineReadModel, type ReadModel, type ReadModelSource } from './read-model';

// A read model of a toy document: what its replay folds (evolve, or the fast fold a run at a time),
// whose documents it takes (its keyOf), and how a reader sees them (its reveal rule).

interface CallsDoc extends Doc {
  customerId: string;
  calls: number;
  notes: string[];
}

const call = (customerId: string, notes: string): ProjectedEvent =>
  projected('CallLogged', '2024-03-01T10:00:00.000Z', {
    customerId,
    callId: `call-${notes}`,
    direction: 'inbound',
    durationSeconds: 60,
    agentId: 'agent-1',
    topic: 'billing',
    outcome: 'resolved',
    notes,
  });

const evolve = (doc: CallsDoc | null, event: ProjectedEvent): CallsDoc | null =>
  event.type === 'CallLogged'
    ? {
        id: event.data.customerId,
        customerId: event.data.customerId,
        calls: (doc?.calls ?? 0) + 1,
        notes: [...(doc?.notes ?? []), event.data.notes ?? ''],
      }
    : doc;

const calls: Projection<CallsDoc> = { name: 'calls', version: 1, handles: ['CallLogged'], indexes: [], evolve };
const runs: number[] = [];
const fastFold = (doc: CallsDoc | null, events: readonly ProjectedEvent[]): CallsDoc | null => {
  runs.push(events.length);
  return events.reduce(evolve, doc);
};
const count = ({ store, collection }: ReadModelSource, _params: Record<string, never>) => store.count(collection);

describe('defineReadModel', () => {
  beforeEach(() => (runs.length = 0));

  it('given a projection, then the read model answers under its name and sits in a list of any read models', () => {
    const model = defineReadModel({ projection: calls, query: { count } });
    const list: readonly ReadModel[] = [model];
    expect(list[0]!.name).toBe('calls');
    expect(model.asOf).toBeNull();
    expect(model.query.count).toBe(count);
  });

  it('given no fast fold, then the replay evolves event by event', () => {
    const replay = defineReadModel({ projection: calls, query: {} }).replay('c1');
    replay.apply(call('c1', 'a'));
    expect(replay.document()).toMatchObject({ calls: 1 });
    replay.apply(call('c1', 'b'));
    replay.flush();
    expect(replay.document()).toEqual({ id: 'c1', customerId: 'c1', calls: 2, notes: ['a', 'b'] });
  });

  it('given a fast fold, then the replay keeps the events and folds them a run at a time', () => {
    const replay = defineReadModel({ projection: calls, fastFold, query: {} }).replay('c1');
    replay.apply(call('c1', 'a'));
    replay.apply(call('c1', 'b'));
    expect(replay.document()).toBeNull();
    replay.flush();
    replay.flush();
    replay.apply(call('c1', 'c'));
    replay.flush();
    expect(runs).toEqual([2, 1]);
    expect(replay.document()).toEqual({ id: 'c1', customerId: 'c1', calls: 3, notes: ['a', 'b', 'c'] });
  });

  it("given a projection keyed by another id, then the replay takes only the customer's own document's events", () => {
    const keyed: Projection<CallsDoc> = { ...calls, keyOf: (event) => [event.data.customerId, 'everyone'] };
    const replay = defineReadModel({ projection: keyed, query: {} }).replay('c1');
    const other: Projection<CallsDoc> = { ...calls, keyOf: () => 'someone-else' };
    const none = defineReadModel({ projection: other, query: {} }).replay('c1');
    for (const r of [replay, none]) r.apply(call('c1', 'a'));
    expect(replay.document()).toMatchObject({ calls: 1 });
    expect(none.document()).toBeNull();
  });

  it('given reveal rules, then a reader sees the document through them, and without rules as it is', () => {
    const asIs = { open: <T>(value: T): T => value };
    const revealed = defineReadModel({
      projection: calls,
      reveal: (doc, sealed) => sealed.open({ ...doc, notes: doc.notes.map((n) => n.toUpperCase()) }),
      query: {},
    }).replay('c1');
    const plain = defineReadModel({ projection: calls, query: {} }).replay('c1');
    for (const r of [revealed, plain]) r.apply(call('c1', 'quiet'));
    expect(revealed.revealed(asIs)).toMatchObject({ notes: ['QUIET'] });
    expect(plain.revealed(asIs)).toBe(plain.document());
    expect(defineReadModel({ projection: calls, query: {} }).replay('c1').revealed(asIs)).toBeNull();
  });
});
