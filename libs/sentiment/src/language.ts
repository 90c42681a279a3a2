import type { TextLanguage } from './sentiment.types';

const CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/g;
const LATIN = /[a-z]/gi;

/** Share of CJK ideographs among letters at which a text counts as Chinese (brand names stay English). */
export const CJK_SHARE_FOR_CHINESE = 0.3;

/**
 * Detects English or Chinese by the share of CJK characters among letters. A Latin letter counts a
 * third of an ideograph: an English word carries about as much as one or two Chinese characters.
 */
export function detectLanguage(text: string): TextLanguage {
  const cjk = text.match(CJK)?.length ?? 0;
  const latin = (text.match(LATIN)?.length ?? 0) / 3;
  if (cjk + latin === 0) return 'unknown';
  return cjk / (cjk + latin) >= CJK_SHARE_FOR_CHINESE ? 'zh' : 'en';
}
