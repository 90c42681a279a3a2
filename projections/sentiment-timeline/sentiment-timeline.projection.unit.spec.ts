import { PERSONAL_DATA_FIELDS } from '@rapport/domain';
import type { ProjectedEvent } from '@rapport/projection-engine';
import { scoreText } from '@rapport/sentiment';
import { eventsFor, fold } from './sentiment-timeline.fixtures';
import {
  DEFAULT_SENTIMENT_TIMELINE_CONFIG,
  evolveSentimentTimeline,
  MOMENT_TERMS,
  SENTIMENT_TEXT_FIELDS,
  SENTIMENT_TIMELINE_HANDLES,
  SENTIMENT_TIMELINE_VERSION,
  sentimentTimelineProjection,
} from './sentiment-timeline.projection';

describe('sentiment-timeline projection', () => {
  it('declares its name, version and the events it handles', () => {
    expect(sentimentTimelineProjection.name).toBe('sentiment-timeline');
    expect(sentimentTimelineProjection.version).toBe(SENTIMENT_TIMELINE_VERSION);
    expect([...SENTIMENT_TIMELINE_HANDLES].sort()).toEqual([
      'CallLogged',
      'ComplaintFiled',
      'CustomerErased',
      'SurveyResponded',
    ]);
  });

  it('records survey scores normalised on their own scales, one moment per response', () => {
    const e = eventsFor('c1');
    const doc = fold([
      e.survey('2024-01-01T10:00:00Z', { kind: 'nps', score: 10 }),
      e.survey('2024-01-02T10:00:00Z', { kind: 'csat', score: 2 }),
      e.survey('2024-01-03T10:00:00Z', { kind: 'ces', score: 7 }),
      e.survey('2024-01-04T10:00:00Z', { kind: 'feedback', comment: 'Great service, I will recommend you' }),
    ])!;
    expect(doc.moments.map((m) => [m.source, m.kind, m.score])).toEqual([
      ['survey', 'nps', 1],
      ['survey', 'csat', -0.5],
      ['survey', 'ces', 1],
      ['survey', 'text', scoreText('Great service, I will recommend you').score],
    ]);
    expect(doc.moments[3]!.language).toBe('en');
    expect(doc.moments[3]!.score).toBeGreaterThan(0.5);
  });

  describe('given a survey answered with both a rating and a comment at the same instant', () => {
    const e = eventsFor('pe');
    const doc = fold([
      e.complaint('2024-01-01T10:00:00Z', 'The courier was rude and my parcel is damaged'),
      e.survey('2024-01-05T10:00:00Z', { kind: 'csat', score: 4, comment: 'Terrible support, never again' }),
    ])!;

    it('then it is one moment whose score is the rating, the comment kept beside it', () => {
      expect(doc.count).toBe(2);
      const survey = doc.moments[1]!;
      expect(survey).toMatchObject({ source: 'survey', kind: 'csat', score: 0.5, language: 'en' });
      expect(survey.textScore).toBe(scoreText('Terrible support, never again').score);
      expect(survey.textScore).toBeLessThan(0);
      expect(survey.terms!.length).toBeGreaterThan(0);
    });

    it('then the end of the peak-end rule is that response, read by its rating, not the comment alone', () => {
      expect(doc.end).toBe(doc.moments[1]);
      expect(doc.end!.score).toBe(0.5);
      expect(doc.peakEnd).toBeCloseTo((doc.peak!.score + 0.5) / 2, 3);
    });
  });

  it('keeps for each text moment the words that drove it, strongest first', () => {
    const e = eventsFor('why');
    const doc = fold([e.complaint('2024-01-01T10:00:00Z', 'The agent was rude and the parcel arrived damaged')])!;
    const terms = doc.moments[0]!.terms!;
    expect(terms.length).toBeGreaterThan(0);
    expect(terms.length).toBeLessThanOrEqual(MOMENT_TERMS);
    expect(terms.map((t) => t.term).join(' ')).toMatch(/rude|damaged/);
    expect(terms[0]!.weight).toBeLessThan(0);
    expect(terms).toEqual(scoreText('The agent was rude and the parcel arrived damaged').terms.slice(0, MOMENT_TERMS));
  });

  it('scores Chinese complaint descriptions and call notes', () => {
    const e = eventsFor('c2');
    const doc = fold([
      e.complaint('2024-02-01T08:00:00Z', '客服态度差,快递慢得要死,我要退款'),
      e.call('2024-02-02T08:00:00Z', '客户确认问题已解决,对处理结果非常满意'),
    ])!;
    expect(doc.moments.map((m) => [m.source, m.language])).toEqual([
      ['complaint', 'zh'],
      ['call', 'zh'],
    ]);
    expect(doc.moments[0]!.score).toBeLessThan(-0.7);
    expect(doc.moments[1]!.score).toBeGreaterThan(0.5);
    expect(doc.end).toEqual(doc.moments[1]);
  });

  it('stores no text beyond the few words that drove each moment', () => {
    const e = eventsFor('c3');
    const doc = fold([
      e.complaint('2024-02-01T08:00:00Z', 'My neighbour Alice Smith said the courier was rude'),
      e.call('2024-02-02T08:00:00Z', '客户王先生在北京,对处理结果很满意'),
    ])!;
    const stored = JSON.stringify(doc);
    for (const fragment of ['Alice', 'Smith', 'neighbour', '王先生', '北京']) expect(stored).not.toContain(fragment);
  });

  it('skips factual notes, missing texts, erased texts and free feedback without a score', () => {
    const e = eventsFor('c4');
    const doc = fold([
      e.call('2024-03-01T08:00:00Z', 'Customer asked for the opening hours.'),
      e.call('2024-03-02T08:00:00Z'),
      e.complaint('2024-03-03T08:00:00Z', '[erased]'),
      e.survey('2024-03-04T08:00:00Z', { kind: 'feedback' }),
    ]);
    expect(doc).toBeNull();
  });

  it('inserts an out-of-order event at its place in time and recomputes the end', () => {
    const e = eventsFor('c5');
    const doc = fold([
      e.survey('2024-01-10T00:00:00Z', { kind: 'csat', score: 5 }),
      e.survey('2024-01-30T00:00:00Z', { kind: 'csat', score: 4 }),
      e.complaint('2024-01-20T00:00:00Z', 'Terrible service, the agent was rude'),
    ])!;
    expect(doc.moments.map((m) => m.at)).toEqual([
      '2024-01-10T00:00:00Z',
      '2024-01-20T00:00:00Z',
      '2024-01-30T00:00:00Z',
    ]);
    expect(doc.end!.at).toBe('2024-01-30T00:00:00Z');
    expect(doc.end!.score).toBe(0.5);
  });

  it('computes rolling mean, most positive, most negative, peak (most intense) and peak-end', () => {
    const e = eventsFor('c6');
    const doc = fold([
      e.survey('2024-01-01T00:00:00Z', { kind: 'nps', score: 8 }), // 0.6
      e.survey('2024-01-08T00:00:00Z', { kind: 'csat', score: 1 }), // -1
      e.survey('2024-01-15T00:00:00Z', { kind: 'csat', score: 4 }), // 0.5
      e.survey('2024-01-22T00:00:00Z', { kind: 'nps', score: 9 }), // 0.8
    ])!;
    expect(doc.count).toBe(4);
    expect(doc.rollingMean).toBeCloseTo((0.6 - 1 + 0.5 + 0.8) / 4, 3);
    expect(doc.mostPositive!.score).toBe(0.8);
    expect(doc.mostNegative!.score).toBe(-1);
    expect(doc.peak!.score).toBe(-1);
    expect(doc.peakEnd).toBeCloseTo((-1 + 0.8) / 2, 3);
  });

  it('keeps the rolling mean over the last window of moments on a long history', () => {
    const e = eventsFor('long');
    const csat = [5, 1, 4, 2, 3, 5, 5, 1, 1, 2, 4, 4, 3, 5, 1, 2, 2, 5, 4, 1];
    const events = csat.map((score, i) =>
      e.survey(new Date(Date.UTC(2024, 0, 1 + i)).toISOString(), { kind: 'csat', score }),
    );
    const doc = fold(events)!;
    const last5 = csat.slice(-5).map((s) => (s - 3) / 2);
    expect(doc.rollingMean).toBeCloseTo(last5.reduce((a, b) => a + b, 0) / 5, 3);
    // Recent high: the largest 5-moment mean among the last 10 moments.
    const means = csat
      .map((_, i) => (i < 4 ? null : csat.slice(i - 4, i + 1).reduce((a, s) => a + (s - 3) / 2, 0) / 5))
      .slice(-10) as number[];
    expect(doc.drop.amount).toBeCloseTo(Math.max(...means) - means[means.length - 1]!, 3);
  });

  it('measures the trend as a slope per 30 days', () => {
    const e = eventsFor('c7');
    const falling = fold([
      e.survey('2024-01-01T00:00:00Z', { kind: 'csat', score: 5 }),
      e.survey('2024-01-31T00:00:00Z', { kind: 'csat', score: 3 }),
      e.survey('2024-03-01T00:00:00Z', { kind: 'csat', score: 1 }),
    ])!;
    expect(falling.trendPer30Days).toBeCloseTo(-1, 1);
    expect(falling.trend).toBe('falling');
    const single = fold([eventsFor('c8').survey('2024-01-01T00:00:00Z', { kind: 'csat', score: 5 })])!;
    expect(single.trend).toBeNull();
  });

  it('flags a drop when the rolling mean falls more than the threshold below its recent high', () => {
    const e = eventsFor('c9');
    const happy = Array.from({ length: 5 }, (_, i) =>
      e.survey(`2024-01-0${i + 1}T00:00:00Z`, { kind: 'csat', score: 5 }),
    );
    const beforeDrop = fold(happy)!;
    expect(beforeDrop.drop).toEqual({ flagged: false, amount: 0, highAt: null });

    const doc = fold([
      ...happy,
      e.complaint('2024-01-10T00:00:00Z', 'Worst service ever, rude agent and a broken product. Unacceptable!'),
      e.complaint('2024-01-11T00:00:00Z', '太失望了,再也不会买了,要投诉'),
    ])!;
    expect(doc.drop.flagged).toBe(true);
    expect(doc.drop.amount).toBeGreaterThan(0.4);
    expect(doc.drop.highAt).toBe('2024-01-05T00:00:00Z');

    const lenient = fold(
      [...happy, ...doc.moments.slice(5).map(() => e.survey('2024-01-12T00:00:00Z', { kind: 'csat', score: 2 }))],
      {
        ...DEFAULT_SENTIMENT_TIMELINE_CONFIG,
        dropThreshold: 0.9,
      },
    )!;
    expect(lenient.drop.flagged).toBe(false);
  });

  it('keeps the numbers, flags the document and drops the driving words after CustomerErased', () => {
    const e = eventsFor('c10');
    const before = fold([
      e.survey('2024-01-01T00:00:00Z', { kind: 'nps', score: 3, comment: 'slow and expensive' }),
      e.complaint('2024-01-02T00:00:00Z', 'The agent was rude'),
    ])!;
    expect(JSON.stringify(before)).toContain('rude');
    const after = evolveSentimentTimeline(before, e.erased('2024-02-01T00:00:00Z'))!;
    expect(after.erased).toBe(true);
    expect(after.erasedAt).toBe('2024-02-01T00:00:00Z');
    expect(after.moments.map((m) => [m.at, m.score, m.textScore])).toEqual(
      before.moments.map((m) => [m.at, m.score, m.textScore]),
    );
    expect(after.moments.every((m) => m.terms === undefined)).toBe(true);
    for (const figure of [after.peak, after.end, after.mostNegative, after.mostPositive])
      expect(figure?.terms).toBeUndefined();
    expect(JSON.stringify(after)).not.toMatch(/rude|slow|expensive/);
    expect(after.rollingMean).toBe(before.rollingMean);
    expect(evolveSentimentTimeline(null, eventsFor('c11').erased('2024-02-01T00:00:00Z'))).toBeNull();
  });

  it('is idempotent: an event at or below the applied position changes nothing', () => {
    const e = eventsFor('c12');
    const first = e.survey('2024-01-01T00:00:00Z', { kind: 'csat', score: 5 });
    const doc = fold([first, e.survey('2024-01-02T00:00:00Z', { kind: 'csat', score: 1 })])!;
    expect(evolveSentimentTimeline(doc, first)).toBe(doc);
  });

  it('ignores events it does not score but moves its position', () => {
    const e = eventsFor('c13');
    const doc = fold([e.survey('2024-01-01T00:00:00Z', { kind: 'csat', score: 5 })])!;
    const purchase = e.purchase('2024-01-02T00:00:00Z');
    const after = evolveSentimentTimeline(doc, purchase)!;
    expect(after.moments).toEqual(doc.moments);
    expect(after.lastPosition).toBe(purchase.position);
  });

  it('reads as plaintext exactly the personal fields SENTIMENT_TEXT_FIELDS names (the as-of replay decrypts those up front)', () => {
    const e = eventsFor('c14');
    const at = '2024-01-01T00:00:00Z';
    const read = new Set<string>();
    const watched = (event: ProjectedEvent): ProjectedEvent => {
      const personal: readonly string[] = PERSONAL_DATA_FIELDS[event.type];
      const data = new Proxy(event.data, {
        get(target, key, receiver) {
          if (personal.includes(String(key))) read.add(`${event.type}.${String(key)}`);
          return Reflect.get(target, key, receiver) as unknown;
        },
      });
      return { ...event, data } as ProjectedEvent;
    };
    const events = [
      e.survey(at, { kind: 'nps', score: 9, comment: 'great service' }),
      e.complaint(at, 'the delivery was late'),
      e.call(at, '服务很好'),
      e.erased(at),
    ].map(watched);
    expect(new Set(events.map((event) => event.type))).toEqual(new Set(SENTIMENT_TIMELINE_HANDLES));
    events.reduce<ReturnType<typeof evolveSentimentTimeline>>(
      (doc, event) => evolveSentimentTimeline(doc, event),
      null,
    );
    const listed = Object.entries(SENTIMENT_TEXT_FIELDS).flatMap(([type, paths]) =>
      (paths ?? []).map((path) => `${type}.${path}`),
    );
    expect([...read].sort()).toEqual(listed.sort());
  });
});
