import {
  BrokenCircuitError,
  ConsecutiveBreaker,
  ExponentialBackoff,
  circuitBreaker,
  handleAll,
  handleWhen,
  retry,
  type CircuitBreakerPolicy,
} from 'cockatiel';

export { BrokenCircuitError };

/**
 * The one retry policy of the engine (cockatiel): up to `attempts` tries, exponential backoff with
 * decorrelated jitter from `baseDelayMs`, so writers that collided do not collide again in lockstep.
 * Only errors `retryable` accepts are retried; the last error is thrown.
 */
export function retryWithBackoff<T>(
  options: { attempts: number; baseDelayMs: number; maxDelayMs?: number; retryable?: (error: Error) => boolean },
  work: (attempt: number) => Promise<T> | T,
): Promise<T> {
  const policy = retry(options.retryable ? handleWhen(options.retryable) : handleAll, {
    maxAttempts: Math.max(0, options.attempts - 1),
    backoff: new ExponentialBackoff({ initialDelay: options.baseDelayMs, maxDelay: options.maxDelayMs ?? 30_000 }),
  });
  return policy.execute(({ attempt }) => work(attempt));
}

/**
 * The pause before retry number `attempt` (1-based) under the same backoff as `retryWithBackoff`, for a
 * loop that retries by itself (the command path, whose retries depend on what the conflict was).
 */
export function backoffDelay(attempt: number, options: { baseDelayMs: number; maxDelayMs: number }): Promise<void> {
  let backoff = new ExponentialBackoff({ initialDelay: options.baseDelayMs, maxDelay: options.maxDelayMs }).next();
  for (let i = 1; i < attempt; i++) backoff = backoff.next(undefined);
  return new Promise((resolve) => setTimeout(resolve, backoff.duration));
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
