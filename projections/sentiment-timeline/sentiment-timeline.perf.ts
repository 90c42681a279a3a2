// Throughput of evolve on text events: node -r @swc-node/register -r tsconfig-paths/register projections/sentiment-timeline/sentiment-timeline.perf.ts [events]
import { readFileSync } from 'node:fs';
import { scoreText } from '@rapport/sentiment';
import { eventsFor } from './sentiment-timeline.fixtures';
import { evolveSentimentTimeline, type SentimentTimelineDoc } from './sentiment-timeline.projection';
const texts = readFileSync('libs/sentiment/data/labelled-comments.jsonl', 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l).text as string);
const N = Number(process.argv[2] ?? 100000),
  customers = 2000;
const builders = Array.from({ length: customers }, (_, i) => eventsFor(`c${i}`));
const events = Array.from({ length: N }, (_, i) => {
  const b = builders[i % customers]!;
  const at = new Date(Date.UTC(2023, 0, 1) + i * 60000).toISOString();
  const t = texts[i % texts.length]!;
  return i % 3 === 0
    ? b.complaint(at, t)
    : i % 3 === 1
      ? b.call(at, t)
      : b.survey(at, { kind: 'csat', score: 1 + (i % 5), comment: t });
});
for (let i = 0; i < 20000; i++) scoreText(texts[i % texts.length]!);
const docs = new Map<string, SentimentTimelineDoc | null>();
let t = process.hrtime.bigint();
for (const e of events) {
  const id = e.data.customerId;
  docs.set(id, evolveSentimentTimeline(docs.get(id) ?? null, e));
}
let ms = Number(process.hrtime.bigint() - t) / 1e6;
console.log(
  `evolve: ${N} text events (${N / customers}/customer) in ${ms.toFixed(0)} ms = ${Math.round((N / ms) * 1000)} events/s`,
);
t = process.hrtime.bigint();
for (let i = 0; i < N; i++) scoreText(texts[i % texts.length]!);
ms = Number(process.hrtime.bigint() - t) / 1e6;
console.log(`scoreText alone: ${Math.round((N / ms) * 1000)} texts/s`);
const zh = texts.filter((x) => /[\u4e00-\u9fff]/.test(x)),
  en = texts.filter((x) => !/[\u4e00-\u9fff]/.test(x));
for (const [name, set] of [
  ['zh', zh],
  ['en', en],
] as const) {
  t = process.hrtime.bigint();
  for (let i = 0; i < N; i++) scoreText(set[i % set.length]!);
  ms = Number(process.hrtime.bigint() - t) / 1e6;
  console.log(`scoreText ${name}: ${Math.round((N / ms) * 1000)} texts/s`);
}
const scoreOnly = Array.from({ length: N }, (_, i) =>
  builders[i % customers]!.survey(new Date(Date.UTC(2023, 0, 1) + i * 60000).toISOString(), {
    kind: 'csat',
    score: 1 + (i % 5),
  }),
);
const docs2 = new Map<string, SentimentTimelineDoc | null>();
t = process.hrtime.bigint();
for (const e of scoreOnly) {
  const id = e.data.customerId;
  docs2.set(id, evolveSentimentTimeline(docs2.get(id) ?? null, e));
}
ms = Number(process.hrtime.bigint() - t) / 1e6;
console.log(`evolve score-only: ${Math.round((N / ms) * 1000)} events/s`);
t = process.hrtime.bigint();
for (const e of events) {
  const d = e.data as { description?: string; notes?: string; comment?: string };
  scoreText(d.description ?? d.notes ?? d.comment ?? '');
}
ms = Number(process.hrtime.bigint() - t) / 1e6;
console.log(`scoreText over the same event texts: ${Math.round((N / ms) * 1000)} texts/s`);
