export * from './clv-errors';
export * from './rfm-summary';
export type { FrequencyRecencyAge } from './population';
export * from './bg-nbd';
export * from './gamma-gamma';
export * from './lifetime-value';
export * from './customer-score';
export { logGamma, logAddExp, hyp2f1, logHyp2f1, type Hyp2f1Options } from './special-functions';
export { minimizeNelderMead, type MinimizeOptions, type MinimizeResult } from './nelder-mead';
export { minimizeBfgs, type BfgsOptions } from './quasi-newton';
export {
  seededRandom,
  sampleNormal,
  sampleGamma,
  sampleBeta,
  simulateCustomers,
  simulateHistories,
  type SimulatedHistory,
} from './simulate';
export * from './parameter-covariance';
export * from './purchase-count-distribution';
export * from './prediction-intervals';
export * from './backtest';
export { normalQuantile } from './matrix';
