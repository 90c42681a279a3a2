import type { CustomerEvent } from '@rapport/domain';

/** What the command side needs from personal-data encryption (implemented over the cipher and key store). */
export interface PersonalDataProtection {
  /** The event with its personal-data fields encrypted under the customer's key (created on first use). */
  encrypt(customerId: string, event: CustomerEvent): Promise<CustomerEvent>;
  /**
   * HMAC-SHA-256 of a request under the customer's data key (created on first use): comparable while
   * the customer exists, meaningless once the key is destroyed. Null when it is.
   */
  requestDigest(customerId: string, request: string): Promise<string | null>;
  /** Crypto-shredding: the customer's key is gone for good; idempotent. */
  destroyKey(customerId: string): Promise<void>;
}

export const PERSONAL_DATA_PROTECTION = Symbol('PERSONAL_DATA_PROTECTION');
