import type { ProjectedEvent } from '@rapport/projection-engine';
import { sentimentSignalAt } from './sentiment-signal';
import { eventsFor, fold } from './sentiment-timeline.fixtures';

/** The same event, learned of later than it happened. */
const recordedAt = (event: ProjectedEvent, at: string): ProjectedEvent => ({
  ...event,
  metadata: { ...event.metadata, recordedAt: at },
});

describe('sentimentSignalAt', () => {
  // Five promoters, then five detractors (NPS 10 -> 1, NPS 0 -> -1): the window of five drops from 1 to -1.
  const e = eventsFor('s1');
  const happy = [1, 2, 3, 4, 5].map((d) => e.survey(`2024-01-0${d}T10:00:00Z`, { kind: 'nps', score: 10 }));
  const unhappy = [6, 7, 8].map((d) => e.survey(`2024-01-0${d}T10:00:00Z`, { kind: 'nps', score: 0 }));
  const late = recordedAt(e.survey('2024-01-09T10:00:00Z', { kind: 'nps', score: 0 }), '2024-03-01T00:00:00Z');
  const doc = fold([...happy, ...unhappy, late])!;

  it('given a timeline, when asked as of now, then it equals the live rolling mean and drop flag', () => {
    const signal = sentimentSignalAt(doc, '2024-12-31T00:00:00Z');
    expect(signal).toEqual({ mean: doc.rollingMean, drop: doc.drop.flagged });
    expect(signal).toEqual({ mean: -0.6, drop: true });
  });

  it('given moments after asOf, when asked as of an earlier time, then only the moments by then count', () => {
    expect(sentimentSignalAt(doc, '2024-01-05T10:00:00Z')).toEqual({ mean: 1, drop: false });
    // Two detractors in: mean (1+1+1-1-1)/5 = 0.2, down 0.8 from the high of 1.
    expect(sentimentSignalAt(doc, '2024-01-07T12:00:00Z')).toEqual({ mean: 0.2, drop: true });
    expect(sentimentSignalAt(doc, '2024-01-06T10:00:00Z')).toEqual({ mean: 0.6, drop: false });
  });

  it('given a moment recorded late, when asked as known before it was recorded, then it is left out', () => {
    expect(sentimentSignalAt(doc, '2024-12-31T00:00:00Z', '2024-02-01T00:00:00Z')).toEqual(
      sentimentSignalAt(doc, '2024-01-08T23:00:00Z'),
    );
    expect(sentimentSignalAt(doc, '2024-12-31T00:00:00Z', '2024-03-01T00:00:00Z')).toEqual({ mean: -0.6, drop: true });
  });

  it('given nothing by asOf or no document, then no mean and no drop', () => {
    expect(sentimentSignalAt(doc, '2023-12-31T00:00:00Z')).toEqual({ mean: null, drop: false });
    expect(sentimentSignalAt(null, '2024-12-31T00:00:00Z')).toEqual({ mean: null, drop: false });
  });

  it('rejects a time that is not a date, naming the parameter', () => {
    expect(() => sentimentSignalAt(doc, 'yesterday')).toThrow('asOf: must be an ISO-8601 date-time');
    expect(() => sentimentSignalAt(doc, '2024-12-31T00:00:00Z', 'later')).toThrow('knownAt: must be');
  });
});
