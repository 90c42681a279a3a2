// sentiment.score.en / sentiment.score.zh: scoreText throughput on one core over short customer texts
// (the comments and reviews written for Rapport in libs/sentiment/data), against the AFINN package's
// analyze (English) and jieba's cut alone (Chinese) on the same texts in the same run.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict';
import Sentiment from 'sentiment';
import { scoreText } from '@rapport/sentiment';
import type { Scenario, ScenarioResult } from '../scenario';

const scale = Number(process.env.BENCH_SCALE ?? 1);
const ROUND_MS = Math.max(200, 1000 * scale);
const ROUNDS = 5;

function texts(language: 'en' | 'zh'): string[] {
  const dir = join(__dirname, '../../libs/sentiment/data');
  return ['labelled-comments.jsonl', 'own-reviews.jsonl'].flatMap((file) =>
    readFileSync(join(dir, file), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { lang: string; text: string })
      .filter((row) => row.lang === language)
      .map((row) => row.text),
  );
}

/** Texts per second of `score` over the texts, run for about ROUND_MS. */
function rate(items: readonly string[], score: (text: string) => unknown): number {
  let n = 0;
  let sink = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ROUND_MS) {
    for (const text of items) if (score(text)) sink++;
    n += items.length;
    elapsed = performance.now() - start;
  }
  if (sink < 0) console.log(sink); // keeps the calls observable
  return (n / elapsed) * 1000;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Alternates rounds of ours and the baseline so a load change on the shared machine hits both alike. */
function measure(items: readonly string[], ours: (text: string) => unknown, baseline: (text: string) => unknown) {
  rate(items, ours); // warm-up: loads the weights, compiles the hot paths
  rate(items, baseline);
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    a.push(rate(items, ours));
    b.push(rate(items, baseline));
  }
  return { value: Math.round(median(a)), baseline: Math.round(median(b)) };
}

function result(language: 'en' | 'zh', items: string[], measured: { value: number; baseline: number }): ScenarioResult {
  const chars = items.reduce((sum, t) => sum + t.length, 0) / items.length;
  return {
    ...measured,
    unit: 'per_second',
    baselineLabel:
      language === 'en'
        ? 'the sentiment package (AFINN-165) analyze on the same texts, same run'
        : 'jieba cut alone (@node-rs/jieba, default dictionary) on the same texts, same run',
    target: language === 'en' ? '>= 20,000 texts/s' : '>= 10,000 texts/s',
    extra: { texts: items.length, meanChars: Number(chars.toFixed(1)), roundMs: ROUND_MS, rounds: ROUNDS },
  };
}

export const sentimentScoreEnglish: Scenario = {
  name: 'sentiment.score.en',
  run: async () => {
    const items = texts('en');
    const afinn = new Sentiment();
    return result(
      'en',
      items,
      measure(
        items,
        (t) => scoreText(t),
        (t) => afinn.analyze(t),
      ),
    );
  },
};

export const sentimentScoreChinese: Scenario = {
  name: 'sentiment.score.zh',
  run: async () => {
    const items = texts('zh');
    const jieba = Jieba.withDict(dict);
    return result(
      'zh',
      items,
      measure(
        items,
        (t) => scoreText(t),
        (t) => jieba.cut(t, false),
      ),
    );
  },
};
