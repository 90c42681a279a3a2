import fc from 'fast-check';
import type { ProjectedEvent } from '@rapport/projection-engine';
import { eventsFor } from './sentiment-timeline.fixtures';
import {
  createSentimentTimelineProjection,
  evolveSentimentTimeline,
  foldSentimentTimeline,
  type SentimentTimelineConfig,
  type SentimentTimelineDoc,
} from './sentiment-timeline.projection';

const BASE = Date.UTC(2024, 0, 1);
const TEXTS = [
  'great service, thank you',
  'the delivery was late again',
  '服务很好，送货很快',
  'Customer asked for the invoice.',
  '[erased]',
  '客服态度差',
];

/** One customer's events, times jumbled (late arrivals, equal times), sometimes one replayed. */
const history = fc
  .array(
    fc.record({
      kind: fc.constantFrom('survey', 'complaint', 'call', 'erased'),
      hour: fc.integer({ min: 0, max: 40 }),
      text: fc.option(fc.constantFrom(...TEXTS), { nil: undefined }),
      survey: fc.constantFrom('nps', 'csat', 'ces', 'feedback'),
      score: fc.integer({ min: 0, max: 11 }),
    }),
    { maxLength: 60 },
  )
  .chain((steps) => fc.tuple(fc.constant(steps), fc.option(fc.nat(), { nil: undefined })))
  .map(([steps, replay]) => {
    const e = eventsFor('c1');
    const events: ProjectedEvent[] = steps.map(({ kind, hour, text, survey, score }) => {
      const at = new Date(BASE + hour * 3_600_000).toISOString();
      if (kind === 'survey') return e.survey(at, { kind: survey as 'nps', score, ...(text ? { comment: text } : {}) });
      if (kind === 'complaint') return e.complaint(at, text ?? 'late');
      if (kind === 'call') return e.call(at, text);
      return e.erased(at);
    });
    if (replay !== undefined && events.length > 0) events.push(events[replay % events.length]!);
    return events;
  });

const config = fc.record({
  rollingWindow: fc.integer({ min: 1, max: 6 }),
  dropThreshold: fc.constantFrom(0.1, 0.4),
  dropLookback: fc.integer({ min: 1, max: 12 }),
  trendMoments: fc.integer({ min: 2, max: 12 }),
});

const reduce = (events: ProjectedEvent[], cfg: SentimentTimelineConfig, from: SentimentTimelineDoc | null = null) =>
  events.reduce<SentimentTimelineDoc | null>((doc, event) => evolveSentimentTimeline(doc, event, cfg), from);

describe('foldSentimentTimeline', () => {
  it('equals folding evolve over the same events, from nothing or from a document', () => {
    fc.assert(
      fc.property(history, history, config, (first, more, cfg) => {
        expect(foldSentimentTimeline(null, first, cfg)).toEqual(reduce(first, cfg));
        const start = reduce(first, cfg);
        const before = JSON.stringify(start);
        expect(foldSentimentTimeline(start, more, cfg)).toEqual(reduce(more, cfg, start));
        expect(JSON.stringify(start)).toBe(before); // the starting document is not changed
      }),
      { numRuns: 150 },
    );
  });

  it('is what the projection offers as its fold, with the projection configuration', () => {
    const cfg = { rollingWindow: 2, dropThreshold: 0.1, dropLookback: 3, trendMoments: 3 };
    const e = eventsFor('c2');
    const events = [
      e.complaint('2024-01-02T00:00:00Z', 'the delivery was late again'),
      e.call('2024-01-01T00:00:00Z', 'great service, thank you'),
    ];
    expect(createSentimentTimelineProjection(cfg).fold(null, events)).toEqual(reduce(events, cfg));
  });
});
