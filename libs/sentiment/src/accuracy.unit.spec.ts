import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { labelOf, scoreText } from './text-sentiment';
import type { SentimentLabel } from './sentiment.types';

interface LabelledComment {
  id: string;
  lang: 'en' | 'zh';
  label: SentimentLabel;
  source: 'survey' | 'complaint' | 'call';
  split: 'dev' | 'test';
  text: string;
}

const LABELS: SentimentLabel[] = ['positive', 'neutral', 'negative'];
const comments: LabelledComment[] = readFileSync(join(__dirname, '../data/labelled-comments.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line) as LabelledComment);

function evaluate(rows: LabelledComment[]) {
  const confusion = Object.fromEntries(LABELS.map((a) => [a, Object.fromEntries(LABELS.map((p) => [p, 0]))]));
  let correct = 0;
  for (const row of rows) {
    const predicted = labelOf(scoreText(row.text).score);
    confusion[row.label]![predicted]! += 1;
    if (predicted === row.label) correct++;
  }
  return { n: rows.length, accuracy: correct / rows.length, confusion };
}

describe('text scorer accuracy on the labelled customer comments', () => {
  const results = {
    all: evaluate(comments),
    en: evaluate(comments.filter((c) => c.lang === 'en')),
    zh: evaluate(comments.filter((c) => c.lang === 'zh')),
    dev: evaluate(comments.filter((c) => c.split === 'dev')),
    heldOut: evaluate(comments.filter((c) => c.split === 'test')),
  };

  afterAll(() => {
    const lines = Object.entries(results).map(([name, r]) => `${name.padEnd(8)} n=${r.n} accuracy=${r.accuracy.toFixed(3)}`);
    const matrix = LABELS.map((actual) => `  ${actual.padEnd(9)} ${LABELS.map((p) => String(results.all.confusion[actual]![p]).padStart(9)).join('')}`);
    console.log([...lines, 'confusion (rows actual, columns predicted: positive neutral negative)', ...matrix].join('\n'));
  });

  it('has at least 200 comments, about half of them Chinese, with all three labels', () => {
    expect(comments.length).toBeGreaterThanOrEqual(200);
    const zhShare = results.zh.n / results.all.n;
    expect(zhShare).toBeGreaterThan(0.45);
    expect(zhShare).toBeLessThan(0.55);
    for (const label of LABELS) expect(comments.filter((c) => c.label === label).length).toBeGreaterThan(50);
  });

  // Floors sit just under what was measured (README): a lexicon change that costs accuracy fails here.
  it('stays above the measured accuracy floors', () => {
    expect(results.all.accuracy).toBeGreaterThanOrEqual(0.93);
    expect(results.en.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(results.zh.accuracy).toBeGreaterThanOrEqual(0.95);
    expect(results.heldOut.accuracy).toBeGreaterThanOrEqual(0.85);
  });

  it('detects the language the comment is labelled with', () => {
    const wrong = comments.filter((c) => scoreText(c.text).language !== c.lang).map((c) => c.id);
    expect(wrong).toEqual([]);
  });
});
