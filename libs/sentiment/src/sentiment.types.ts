export type TextLanguage = 'en' | 'zh' | 'unknown';

export type SentimentLabel = 'positive' | 'negative' | 'neutral';

/**
 * A word or phrase of the text that drove its score, and how much: its share of the model's
 * log-odds (positive pushes towards positive). Largest first.
 */
export interface MatchedTerm {
  term: string;
  weight: number;
}

export interface TextSentiment {
  /** -1 (very negative) .. 1 (very positive): 2·P(positive) − 1 under the language's model; its sign is the polarity. */
  score: number;
  language: TextLanguage;
  /** P(the polarity is right) as the model sees it, 0.5..1 (0 for text without letters). */
  confidence: number;
  /** The words and phrases that drove the score, strongest first (at most five). */
  terms: MatchedTerm[];
}
