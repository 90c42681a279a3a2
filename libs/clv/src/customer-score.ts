import { expectedPurchases, probabilityAlive, type BgNbdParams } from './bg-nbd';
import { expectedAverageSpend, type GammaGammaParams } from './gamma-gamma';
import { customerLifetimeValue, type LifetimeValueOptions } from './lifetime-value';
import type { CustomerSummary } from './rfm-summary';

/** Everything the scoring job writes for one customer. */
export interface CustomerScore {
  probabilityAlive: number;
  /** Expected purchases in the next `purchaseHorizon` time units. */
  expectedPurchases: number;
  /** Gamma-Gamma conditional expected spend per purchase. */
  expectedAverageSpend: number;
  /** Discounted expected revenue over the lifetime-value horizon. */
  lifetimeValue: number;
}

/** Scores one customer with fitted models; `purchaseHorizon` is in the models' time unit (e.g. 90 days). */
export function scoreCustomer(
  models: { bgNbd: BgNbdParams; gammaGamma: GammaGammaParams },
  customer: CustomerSummary,
  options: { purchaseHorizon: number; lifetimeValue: LifetimeValueOptions },
): CustomerScore {
  return {
    probabilityAlive: probabilityAlive(models.bgNbd, customer),
    expectedPurchases: expectedPurchases(models.bgNbd, customer, options.purchaseHorizon),
    expectedAverageSpend: expectedAverageSpend(models.gammaGamma, customer),
    lifetimeValue: customerLifetimeValue(models, customer, options.lifetimeValue),
  };
}
