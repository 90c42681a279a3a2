export * from './sentiment-timeline.projection';
export * from './sentiment-timeline.query';
export * from './sentiment-signal';
