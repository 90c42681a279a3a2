export * from './sentiment.types';
export * from './language';
export * from './survey-score';
export * from './text-sentiment';
