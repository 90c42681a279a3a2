import { InvalidClvInputError, requireNonNegative, requirePositive } from './clv-errors';
import { expectedPurchases, type BgNbdParams } from './bg-nbd';
import { expectedAverageSpend, type GammaGammaParams } from './gamma-gamma';
import type { CustomerSummary } from './rfm-summary';

export interface LifetimeValueOptions {
  /** Number of discounting periods to sum over (lifetimes' `time`, e.g. 12 months). */
  horizonPeriods: number;
  /**
   * Length of one discounting period in the models' time unit (lifetimes: 30 for days, 4.345 for
   * weeks when periods are months).
   */
  periodLength: number;
  /** Discount rate per period (lifetimes' `discount_rate`, e.g. 0.01 a month). */
  discountRate: number;
}

/**
 * Discounted expected revenue over the horizon, as lifetimes' `customer_lifetime_value`:
 *   CLV = Σ_{i=1..H} E[spend] · (E[Y(i·L)] - E[Y((i-1)·L)]) / (1 + d)^i
 * with E[Y(t)] the BG/NBD expected purchases and E[spend] the Gamma-Gamma expected average spend.
 * In the currency of the monetary values.
 */
export function customerLifetimeValue(
  models: { bgNbd: BgNbdParams; gammaGamma: GammaGammaParams },
  customer: CustomerSummary,
  options: LifetimeValueOptions,
): number {
  const { horizonPeriods, periodLength, discountRate } = options;
  if (!Number.isInteger(horizonPeriods) || horizonPeriods < 0) {
    throw new InvalidClvInputError('horizonPeriods', 'must be an integer >= 0');
  }
  requirePositive(periodLength, 'periodLength');
  requireNonNegative(discountRate, 'discountRate');
  const spend = expectedAverageSpend(models.gammaGamma, customer);
  let value = 0;
  let previous = 0;
  for (let i = 1; i <= horizonPeriods; i++) {
    const cumulative = expectedPurchases(models.bgNbd, customer, i * periodLength);
    value += (spend * (cumulative - previous)) / (1 + discountRate) ** i;
    previous = cumulative;
  }
  return value;
}
