import { minimizeNelderMead } from './nelder-mead';

const rosenbrock = (x: readonly number[]): number => {
  let sum = 0;
  for (let i = 0; i + 1 < x.length; i++)
    sum += 100 * ((x[i + 1] as number) - (x[i] as number) ** 2) ** 2 + (1 - (x[i] as number)) ** 2;
  return sum;
};

describe('minimizeNelderMead', () => {
  it.each([2, 4])('finds the minimum of the %i-dimensional Rosenbrock function', (n) => {
    const result = minimizeNelderMead(rosenbrock, new Array<number>(n).fill(-1.2), {
      functionTolerance: 1e-14,
      pointTolerance: 1e-8,
    });
    expect(result.converged).toBe(true);
    for (const coordinate of result.point) expect(coordinate).toBeCloseTo(1, 4);
    expect(result.value).toBeLessThan(1e-8);
  });

  it('stays inside the box and finds the constrained minimum on its edge', () => {
    const result = minimizeNelderMead((x) => ((x[0] as number) - 5) ** 2 + ((x[1] as number) + 1) ** 2, [0, 0], {
      lower: [-2, -2],
      upper: [2, 2],
    });
    expect(result.point[0]).toBeCloseTo(2, 5);
    expect(result.point[1]).toBeCloseTo(-1, 5);
  });

  it('treats NaN and Infinity as infeasible rather than failing', () => {
    const f = (x: readonly number[]): number =>
      (x[0] as number) < 0 ? Number.NaN : ((x[0] as number) - 1) ** 2 + (x[1] as number) ** 2;
    const result = minimizeNelderMead(f, [0.1, 0.5]);
    expect(result.point[0]).toBeCloseTo(1, 5);
    expect(result.point[1]).toBeCloseTo(0, 5);
  });

  it('stops without restarts once its best point has stayed on a bound for boundPatience evaluations', () => {
    // given a function that falls without end in x0 (the box holds it at 5) and needs a long search in the others
    const f = (x: readonly number[]): number => -(x[0] as number) + rosenbrock(x.slice(1));
    const box = { lower: [-5, -5, -5], upper: [5, 5, 5] };
    // when minimised with and without patience
    const patient = minimizeNelderMead(f, [0, -1.2, 1], { ...box, boundPatience: 30 });
    const thorough = minimizeNelderMead(f, [0, -1.2, 1], box);
    // then the patient search stops on the bound early, saying so; the thorough one converges later
    expect(patient.stoppedAtBound).toBe(true);
    expect(patient.converged).toBe(false);
    expect(patient.point[0]).toBe(5);
    expect(patient.evaluations).toBeLessThan(thorough.evaluations / 2);
    expect(thorough.converged).toBe(true);
    expect(thorough.stoppedAtBound).toBeUndefined();
  });

  it('reports non-convergence when the evaluation budget is too small', () => {
    const result = minimizeNelderMead(rosenbrock, [-1.2, 1], { maxEvaluations: 10, maxRestarts: 0 });
    expect(result.converged).toBe(false);
  });
});
