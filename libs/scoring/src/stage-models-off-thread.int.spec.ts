import { sampleBeta, sampleGamma, seededRandom } from '@rapport/clv';
import type { BuyerDays } from './read-population';
import { fitStageModelsOffThread } from './stage-models-off-thread';
import { fitStageModels } from './stage-models';

const DAY = 86_400_000;

/** Buyers from 2023 on as BG/NBD assumes them: each its own purchase rate, each may leave after a purchase. */
function buyers(count: number): BuyerDays[] {
  const rand = seededRandom(11);
  const start = Date.UTC(2023, 0, 1) / DAY;
  return Array.from({ length: count }, (_, i) => {
    const days: number[] = [start + Math.floor(rand() * 300)];
    const meanGap = Math.min(365, 1 / sampleGamma(rand, 2, 60));
    const dropout = sampleBeta(rand, 1, 9);
    while (rand() >= dropout && (days[days.length - 1] as number) < start + 700)
      days.push((days[days.length - 1] as number) + 1 + Math.floor(-Math.log(1 - rand()) * meanGap));
    return { id: `b${i}`, days };
  });
}

describe('fitStageModelsOffThread', () => {
  const at = { asOfMs: Date.UTC(2025, 0, 1), knownAtMs: Date.UTC(2025, 0, 1) };

  it('fits on its thread the same quarterly models as on the caller thread', async () => {
    const population = buyers(2_000);
    const inline = fitStageModels(population, at);
    expect(inline.length).toBeGreaterThan(3);
    await expect(fitStageModelsOffThread(population, at, 1)).resolves.toEqual(inline);
  });

  it('fits a population below the threshold where it is asked', async () => {
    const population = buyers(50);
    await expect(fitStageModelsOffThread(population, at, 1_000)).resolves.toEqual(fitStageModels(population, at));
  });
});
