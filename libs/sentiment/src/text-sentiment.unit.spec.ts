import { detectLanguage } from './language';
import { labelOf, scoreText } from './text-sentiment';

describe('scoreText', () => {
  it('scores English praise positive and complaints negative, within -1..1, with the matched terms', () => {
    const praise = scoreText('The agent was very helpful and polite, thanks!');
    expect(praise.language).toBe('en');
    expect(praise.score).toBeGreaterThan(0.5);
    expect(praise.score).toBeLessThanOrEqual(1);
    expect(praise.terms.map((t) => t.term)).toEqual(expect.arrayContaining(['helpful', 'polite']));
    expect(scoreText('Terrible, rude and useless support. Worst ever!!!').score).toBeLessThan(-0.8);
  });

  it('flips negated English words and weighs "not good" less than "bad"', () => {
    const notGood = scoreText('The service was not good').score;
    expect(notGood).toBeLessThan(0);
    expect(notGood).toBeGreaterThan(scoreText('The service was bad').score - 0.2);
    expect(scoreText('Honestly not bad at all').score).toBeGreaterThan(0);
    expect(scoreText('I never received my refund').score).toBeLessThan(0);
  });

  it('weighs what follows "but" more than what precedes it', () => {
    expect(scoreText('Nice product but the delivery was awful').score).toBeLessThan(0);
    expect(scoreText('The delivery was slow but the product is excellent').score).toBeGreaterThan(0);
  });

  it('scores Chinese with degree adverbs and negators', () => {
    const happy = scoreText('非常满意,会推荐给朋友');
    expect(happy.language).toBe('zh');
    expect(happy.score).toBeGreaterThan(0.5);
    expect(scoreText('非常满意').score).toBeGreaterThan(scoreText('满意').score);
    expect(scoreText('有点失望').score).toBeGreaterThan(scoreText('太失望了').score);
    expect(scoreText('我不满意').score).toBeLessThan(0);
    expect(scoreText('没有问题,谢谢').score).toBeGreaterThan(0);
    expect(scoreText('不太好用').score).toBeLessThan(0);
  });

  it('recognises customer-service vocabulary in Chinese, simplified and traditional', () => {
    const complaint = scoreText('客服态度差,快递慢,我要退款');
    expect(complaint.score).toBeLessThan(-0.7);
    expect(complaint.terms.map((t) => t.term)).toEqual(expect.arrayContaining(['态度差', '快递慢', '退款']));
    expect(scoreText('客服態度很差,非常不滿意').score).toBeLessThan(-0.7);
    expect(scoreText('好是好,但是太贵了').score).toBeLessThan(0);
  });

  it('gives 0 and language unknown to text without letters, and 0 to factual notes', () => {
    expect(scoreText('')).toEqual({ score: 0, language: 'unknown', terms: [] });
    expect(scoreText('12345 !!!')).toEqual({ score: 0, language: 'unknown', terms: [] });
    expect(scoreText('客户咨询门店营业时间。').score).toBe(0);
    expect(scoreText('Customer asked for the opening hours of the store.').score).toBe(0);
  });

  it('tokenises English as the sentiment package does: lower case, split on its punctuation, emoji scored', () => {
    expect(scoreText('GOOD/bad (great) "awful"').terms.map((t) => t.term)).toEqual(['good', 'bad', 'great', 'awful']);
    expect(scoreText('Delivered on time 😂').terms.map((t) => t.term)).toEqual(['😂']);
    expect(scoreText("don't like it").score).toBeLessThan(0); // the apostrophe stays inside the negator
  });

  it('is deterministic', () => {
    const text = '东西还可以,但是物流太慢了,等了一周。';
    expect(scoreText(text)).toEqual(scoreText(text));
  });
});

describe('detectLanguage', () => {
  it('uses the share of CJK characters, so brand names in Chinese text stay Chinese', () => {
    expect(detectLanguage('iPhone的屏幕碎了,太失望了')).toBe('zh');
    expect(detectLanguage('Great app and fast delivery, 谢谢')).toBe('en');
    expect(detectLanguage('...')).toBe('unknown');
    expect(detectLanguage('Ünïcödé, ñ and 😂 are not Latin letters: ÅÉÎ')).toBe('en');
    expect(detectLanguage('ÅÉÎ ñ 😂')).toBe('unknown');
    expect(detectLanguage('㐀豈')).toBe('zh'); // Extension A and compatibility ideographs count too
  });
});

describe('labelOf', () => {
  it('labels a band around zero neutral', () => {
    expect([labelOf(0.5), labelOf(0.1), labelOf(-0.1), labelOf(-0.5)]).toEqual(['positive', 'neutral', 'neutral', 'negative']);
  });
});
