import type { TextLanguage } from './sentiment.types';

/** Share of CJK ideographs among letters at which a text counts as Chinese (brand names stay English). */
export const CJK_SHARE_FOR_CHINESE = 0.3;

/** CJK Extension A, Unified Ideographs, Compatibility Ideographs (UTF-16 code units). */
const isCjk = (code: number): boolean =>
  (code >= 0x3400 && code <= 0x4dbf) || (code >= 0x4e00 && code <= 0x9fff) || (code >= 0xf900 && code <= 0xfaff);

/**
 * Detects English or Chinese by the share of CJK characters among letters. A Latin letter counts a
 * third of an ideograph: an English word carries about as much as one or two Chinese characters.
 * One pass over the code units, no allocation: it runs on every scored text.
 */
export function detectLanguage(text: string): TextLanguage {
  let cjk = 0;
  let latinLetters = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) {
      const folded = code | 0x20; // ASCII upper to lower case
      if (folded >= 0x61 && folded <= 0x7a) latinLetters++;
    } else if (isCjk(code)) cjk++;
  }
  const latin = latinLetters / 3;
  if (cjk + latin === 0) return 'unknown';
  return cjk / (cjk + latin) >= CJK_SHARE_FOR_CHINESE ? 'zh' : 'en';
}
