import { minimizeBfgs } from './quasi-newton';

const rosenbrock = (x: readonly number[], gradient: Float64Array): number => {
  const [a, b] = x as [number, number];
  gradient[0] = -400 * a * (b - a * a) - 2 * (1 - a);
  gradient[1] = 200 * (b - a * a);
  return 100 * (b - a * a) ** 2 + (1 - a) ** 2;
};

describe('minimizeBfgs', () => {
  it('finds the Rosenbrock minimum from the classic start in few evaluations', () => {
    const result = minimizeBfgs(rosenbrock, [-1.2, 1]);
    expect(result.converged).toBe(true);
    expect(result.point[0]).toBeCloseTo(1, 6);
    expect(result.point[1]).toBeCloseTo(1, 6);
    expect(result.evaluations).toBeLessThan(200);
  });

  it('stops on an active bound with the gradient pointing out of the box', () => {
    const f = (x: readonly number[], g: Float64Array): number => {
      g[0] = 2 * ((x[0] as number) - 5);
      g[1] = 2 * ((x[1] as number) + 1);
      return ((x[0] as number) - 5) ** 2 + ((x[1] as number) + 1) ** 2;
    };
    const result = minimizeBfgs(f, [0, 0], { lower: [-2, -2], upper: [2, 2] });
    expect(result.converged).toBe(true);
    expect(result.point).toEqual([2, expect.closeTo(-1, 6)]);
  });

  it('reports failure instead of throwing when the objective is not finite at the start', () => {
    const result = minimizeBfgs(() => Number.NaN, [0, 0]);
    expect(result.converged).toBe(false);
  });
});
