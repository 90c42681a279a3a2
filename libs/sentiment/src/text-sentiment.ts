import { scoreEnglish } from './en/english-scorer';
import { detectLanguage } from './language';
import type { SentimentLabel, TextSentiment } from './sentiment.types';
import { scoreChinese } from './zh/chinese-scorer';

/** VADER's normalisation constant: a raw sum of ±4 maps to about ±0.72, ±8 to ±0.9. */
export const NORMALISATION_ALPHA = 15;
/** Scores within ±NEUTRAL_BAND are labelled neutral. */
export const NEUTRAL_BAND = 0.15;

/** Maps an unbounded sum of AFINN-scale weights into -1..1: x / sqrt(x² + alpha). */
export function normaliseSum(sum: number, alpha = NORMALISATION_ALPHA): number {
  return sum / Math.sqrt(sum * sum + alpha);
}

/**
 * Sentiment of a customer comment, complaint description or call note, in English or Chinese.
 * Deterministic; the Chinese segmenter is loaded once, on the first Chinese text.
 */
export function scoreText(text: string): TextSentiment {
  const language = detectLanguage(text);
  if (language === 'unknown') return { score: 0, language, terms: [] };
  const raw = language === 'zh' ? scoreChinese(text) : scoreEnglish(text);
  return { score: Math.round(normaliseSum(raw.sum) * 1000) / 1000, language, terms: raw.terms };
}

export function labelOf(score: number, neutralBand = NEUTRAL_BAND): SentimentLabel {
  if (score > neutralBand) return 'positive';
  if (score < -neutralBand) return 'negative';
  return 'neutral';
}
