import { detectLanguage } from './language';
import { labelOf, MAX_TERMS, NEUTRAL_BAND, scoreText } from './text-sentiment';

const terms = (text: string): string[] => scoreText(text).terms.map((t) => t.term);

describe('scoreText', () => {
  it('given English praise or complaints, then the sign is the polarity, within -1..1, with a confidence', () => {
    const praise = scoreText('The agent was very helpful and polite, thanks!');
    expect(praise.language).toBe('en');
    expect(praise.score).toBeGreaterThan(0.8);
    expect(praise.score).toBeLessThanOrEqual(1);
    expect(praise.confidence).toBeGreaterThan(0.9);
    expect(praise.confidence).toBeCloseTo((1 + praise.score) / 2, 2); // P(positive) when the score is positive
    const complaint = scoreText('Terrible, rude and useless support. Worst ever!!!');
    expect(complaint.score).toBeLessThan(-0.8);
    expect(complaint.confidence).toBeCloseTo((1 - complaint.score) / 2, 2);
  });

  it('given a text, then the words and phrases that drove it come strongest first, signed as they pushed', () => {
    const praise = scoreText('The agent was very helpful and polite, thanks!');
    expect(praise.terms.map((t) => t.term)).toEqual(expect.arrayContaining(['helpful', 'polite', 'thanks']));
    expect(praise.terms.length).toBeLessThanOrEqual(MAX_TERMS);
    const weights = praise.terms.map((t) => Math.abs(t.weight));
    expect(weights).toEqual([...weights].sort((a, b) => b - a));
    expect(praise.terms.find((t) => t.term === 'helpful')!.weight).toBeGreaterThan(0);
    expect(scoreText('客服态度差,快递慢,我要退款').terms[0]).toEqual({
      term: expect.stringContaining('态度差'),
      weight: expect.any(Number),
    });
    expect(scoreText('客服态度差,快递慢,我要退款').terms[0]!.weight).toBeLessThan(0);
  });

  it('given negation, then "not good" reads negative and "not bad" positive, shown with the negator', () => {
    expect(scoreText('The service was not good').score).toBeLessThan(-0.5);
    expect(terms('The service was not good').join(' ')).toContain('not good');
    const notBad = scoreText('Honestly not bad at all');
    expect(notBad.score).toBeGreaterThan(0); // right, but mild: "bad" still pulls
    expect(notBad.terms[0]).toEqual({ term: 'not bad', weight: expect.any(Number) });
    expect(scoreText("It doesn't work and I can't get a refund").score).toBeLessThan(-0.5);
  });

  it('given "but", then what follows it weighs more than what precedes it', () => {
    expect(scoreText('Nice product but the delivery was awful').score).toBeLessThan(-0.5);
    expect(scoreText('The delivery was slow but the product is excellent').score).toBeGreaterThan(0.5);
    expect(scoreText('好是好,但是太贵了').score).toBeLessThan(-0.5);
  });

  it('scores Chinese with degree adverbs and negators, simplified and traditional', () => {
    const happy = scoreText('非常满意,会推荐给朋友');
    expect(happy.language).toBe('zh');
    expect(happy.score).toBeGreaterThan(0.8);
    expect(scoreText('太失望了').score).toBeLessThan(scoreText('有点失望').score);
    expect(scoreText('我不满意').score).toBeLessThan(-0.5);
    expect(scoreText('没有问题,谢谢').score).toBeGreaterThan(0.5);
    expect(scoreText('不太好用').score).toBeLessThan(-0.5);
    expect(scoreText('客服態度很差,非常不滿意').score).toBeLessThan(-0.8);
  });

  it('given reviews from domains the model was not trained on, then it reads their polarity', () => {
    // clear cases only: the accuracy spec measures the whole own-review set (implicit complaints such as
    // "stopped working after two days" or 饭菜都凉了 are among its misses)
    const positive = ['Best burger I have had in years.', '房间很干净，前台也很热情。', '送餐很快，味道不错。'];
    const negative = ['The soup was cold and the waiter ignored us.', '隔音太差了，一晚上没睡好。'];
    expect(positive.map((t) => labelOf(scoreText(t).score))).toEqual(positive.map(() => 'positive'));
    expect(negative.map((t) => labelOf(scoreText(t).score))).toEqual(negative.map(() => 'negative'));
  });

  it('given text without an opinion, then it reads neutral', () => {
    const factual = [
      'I called about order 1234',
      'Customer asked for the opening hours of the store.',
      '请帮我查一下物流',
      '客户咨询门店营业时间。',
      '客户要求把发票寄到公司',
    ];
    expect(factual.map((t) => [t, labelOf(scoreText(t).score)])).toEqual(factual.map((t) => [t, 'neutral']));
    expect(scoreText('I called about order 1234').confidence).toBeLessThan(0.6);
  });

  it('given text mixing English and Chinese, then both parts count', () => {
    const mixed = scoreText('这家店的服务 really bad, 再也不来了');
    expect(mixed.language).toBe('zh');
    expect(mixed.score).toBeLessThan(-0.5);
    expect(mixed.terms.map((t) => t.term)).toEqual(expect.arrayContaining(['bad']));
    expect(scoreText('Great app and fast delivery, 谢谢').score).toBeGreaterThan(0.5);
  });

  it('given a language, then that model scores the text without detection', () => {
    expect(scoreText('满意', 'zh')).toEqual(scoreText('满意'));
    expect(scoreText('ok', 'en').language).toBe('en');
  });

  it('given a name or an order number in the text, then no driving phrase shows it', () => {
    const texts = ['Zbigniew Kowalczyk from order 88412 was rude and unhelpful', '客户王建国先生说快递员态度很差'];
    for (const text of texts) {
      const shown = scoreText(text)
        .terms.map((t) => t.term)
        .join(' ');
      expect(shown).not.toMatch(/zbigniew|kowalczyk|88412|王建国/);
      expect(shown).not.toBe('');
    }
  });

  it('gives 0 and language unknown to text without letters', () => {
    expect(scoreText('')).toEqual({ score: 0, language: 'unknown', confidence: 0, terms: [] });
    expect(scoreText('12345 !!!')).toEqual({ score: 0, language: 'unknown', confidence: 0, terms: [] });
  });

  it('scores emoji', () => {
    expect(
      scoreText('The food was great 😍')
        .terms.map((t) => t.term)
        .join(' '),
    ).toContain('😍');
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
  it('labels the band around zero neutral', () => {
    expect(NEUTRAL_BAND).toBe(0.45);
    expect([labelOf(0.8), labelOf(0.4), labelOf(-0.4), labelOf(-0.8)]).toEqual([
      'positive',
      'neutral',
      'neutral',
      'negative',
    ]);
    expect(labelOf(0.1, 0.05)).toBe('positive');
  });
});
