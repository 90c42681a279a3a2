import {
  BrokenCircuitError,
  ConsecutiveBreaker,
  ExponentialBackoff,
  circuitBreaker,
  handleAll,
  handleWhen,
  retry,
  type CircuitBreakerPolicy,
  type RetryPolicy,
} from 'cockatiel';

export { BrokenCircuitError, type RetryPolicy };

/** What the engine's one retry policy retries, how often and how long it waits in between. */
export interface RetryOptions {
  /** Tries in all, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs?: number;
  /** Only errors it accepts are retried (all when absent); the last error is thrown. */
  retryable?: (error: Error) => boolean;
}

/**
 * The one retry policy of the engine (cockatiel): up to `attempts` tries, exponential backoff with
 * decorrelated jitter from `baseDelayMs`, so writers that collided do not collide again in lockstep.
 * A policy keeps no state between executions: build it once and share it.
 */
export function retryPolicy(options: RetryOptions): RetryPolicy {
  return retry(options.retryable ? handleWhen(options.retryable) : handleAll, {
    maxAttempts: Math.max(0, options.attempts - 1),
    backoff: new ExponentialBackoff({ initialDelay: options.baseDelayMs, maxDelay: options.maxDelayMs ?? 30_000 }),
  });
}

/** Runs `work` under a policy built from `options`, retrying as it allows (attempt numbers start at 0). */
export function retryWithBackoff<T>(options: RetryOptions, work: (attempt: number) => Promise<T> | T): Promise<T> {
  return retryPolicy(options).execute(({ attempt }) => work(attempt));
}

/**
 * A circuit breaker around a server-backed store (EventStoreDB, MongoDB): after `threshold` failures
 * in a row that `isOutage` counts (transport errors, not a refused append), calls fail at once with
 * BrokenCircuitError for `halfOpenAfterMs`, then one trial call decides. Share one per client.
 */
export function storeCircuitBreaker(options: {
  isOutage: (error: Error) => boolean;
  threshold?: number;
  halfOpenAfterMs?: number;
}): CircuitBreakerPolicy {
  return circuitBreaker(handleWhen(options.isOutage), {
    halfOpenAfter: options.halfOpenAfterMs ?? 5_000,
    breaker: new ConsecutiveBreaker(options.threshold ?? 5),
  });
}
