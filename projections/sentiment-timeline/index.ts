import { defineReadModel } from '@rapport/projection-engine';
import { SENTIMENT_TEXT_FIELDS, sentimentTimelineProjection } from './sentiment-timeline.projection';
import { populationSentiment, sentimentDrops, sentimentOf, weeklySentiment } from './sentiment-timeline.query';

/** Every scored moment of a customer over time, rolling mean, peak-end, trend and drop. */
export const sentimentTimelineReadModel = defineReadModel({
  projection: sentimentTimelineProjection,
  // Its evolve copies the moments on every event: quadratic over a long stream, linear as a fold.
  fastFold: (doc, events) => sentimentTimelineProjection.fold(doc, events),
  asOf: { name: 'sentiment', readsPlaintext: SENTIMENT_TEXT_FIELDS },
  query: { sentimentOf, sentimentDrops, weeklySentiment, populationSentiment },
});
