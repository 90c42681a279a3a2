export type TextLanguage = 'en' | 'zh' | 'unknown';

export type SentimentLabel = 'positive' | 'negative' | 'neutral';

/** A lexicon term found in the text and the weight it contributed (after negation, degree, contrast). */
export interface MatchedTerm {
  term: string;
  weight: number;
}

export interface TextSentiment {
  /** -1 (very negative) .. 1 (very positive); 0 when nothing sentiment-bearing was found. */
  score: number;
  language: TextLanguage;
  terms: MatchedTerm[];
}
