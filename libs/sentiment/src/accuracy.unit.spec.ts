import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { labelOf, scoreText } from './text-sentiment';
import type { SentimentLabel } from './sentiment.types';

interface Row {
  lang: 'en' | 'zh';
  label: SentimentLabel;
  text: string;
  split?: 'dev' | 'test';
  domain?: string;
}

const LABELS: SentimentLabel[] = ['positive', 'neutral', 'negative'];
const read = (file: string): Row[] =>
  readFileSync(join(__dirname, '../data', file), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Row);
/** Customer-service comments written for Rapport (positive, neutral, negative). */
const comments = read('labelled-comments.jsonl');
/** Reviews written for Rapport in domains the training text lacks (restaurants, hotels, delivery, apps...). */
const reviews = read('own-reviews.jsonl');

/** Three-way accuracy with labelOf's neutral band, and polarity accuracy (the sign) on the polar rows. */
function evaluate(rows: Row[]) {
  const confusion = Object.fromEntries(LABELS.map((a) => [a, Object.fromEntries(LABELS.map((p) => [p, 0]))]));
  let correct = 0;
  let polar = 0;
  let polarRight = 0;
  for (const row of rows) {
    const { score } = scoreText(row.text);
    const predicted = labelOf(score);
    confusion[row.label]![predicted]! += 1;
    if (predicted === row.label) correct++;
    if (row.label === 'neutral') continue;
    polar++;
    if (score > 0 === (row.label === 'positive')) polarRight++;
  }
  return { n: rows.length, accuracy: correct / rows.length, polarity: polarRight / polar, confusion };
}

describe('text scorer accuracy on text written for Rapport (never trained on; it chose the regularisation and the neutral band)', () => {
  const results = {
    comments: evaluate(comments),
    commentsEn: evaluate(comments.filter((c) => c.lang === 'en')),
    commentsZh: evaluate(comments.filter((c) => c.lang === 'zh')),
    commentsTest: evaluate(comments.filter((c) => c.split === 'test')),
    reviewsEn: evaluate(reviews.filter((r) => r.lang === 'en')),
    reviewsZh: evaluate(reviews.filter((r) => r.lang === 'zh')),
  };

  afterAll(() => {
    const lines = Object.entries(results).map(
      ([name, r]) => `${name.padEnd(13)} n=${r.n} three-way=${r.accuracy.toFixed(3)} polarity=${r.polarity.toFixed(3)}`,
    );
    const matrix = LABELS.map(
      (actual) =>
        `  ${actual.padEnd(9)} ${LABELS.map((p) => String(results.comments.confusion[actual]![p]).padStart(9)).join('')}`,
    );
    console.log(
      [...lines, 'comments confusion (rows actual, columns predicted: positive neutral negative)', ...matrix].join(
        '\n',
      ),
    );
  });

  it('has the comments in both languages with all three labels, and balanced reviews', () => {
    expect(comments.length).toBeGreaterThanOrEqual(200);
    for (const label of LABELS) expect(comments.filter((c) => c.label === label).length).toBeGreaterThan(50);
    expect(reviews.filter((r) => r.lang === 'en' && r.label === 'positive').length).toBe(20);
    expect(reviews.filter((r) => r.lang === 'zh' && r.label === 'negative').length).toBe(20);
  });

  // Floors sit just under what was measured (docs/sentiment-model-card.md): a model that reads worse fails here.
  it('reads polarity on the reviews from other domains above the floors', () => {
    expect(results.reviewsEn.polarity).toBeGreaterThanOrEqual(0.92);
    expect(results.reviewsZh.polarity).toBeGreaterThanOrEqual(0.95);
  });

  it('reads the customer-service comments above the floors, neutral ones included', () => {
    expect(results.comments.polarity).toBeGreaterThanOrEqual(0.97);
    expect(results.comments.accuracy).toBeGreaterThanOrEqual(0.87);
    expect(results.commentsTest.accuracy).toBeGreaterThanOrEqual(0.83);
    expect(results.comments.confusion.neutral!.neutral!).toBeGreaterThanOrEqual(49);
  });

  it('detects the language the comment is labelled with', () => {
    const wrong = [...comments, ...reviews].filter((c) => scoreText(c.text).language !== c.lang).map((c) => c.text);
    expect(wrong).toEqual([]);
  });
});
