import { isMongoOutage } from '@rapport/read-store/mongodb/mongo-read-store';
import { isEsdbOutage } from '../esdb/esdb-event-store';
import { BrokenCircuitError, retryPolicy, retryWithBackoff, storeCircuitBreaker } from './resilience';

const named = (name: string): Error => Object.assign(new Error(name), { name });

describe('the retry policy', () => {
  it('given a retryable failure, retries up to the attempts and answers the first success', async () => {
    let calls = 0;
    const value = await retryWithBackoff({ attempts: 4, baseDelayMs: 1 }, () => {
      calls += 1;
      if (calls < 3) throw named('Conflict');
      return 'ok';
    });
    expect({ value, calls }).toEqual({ value: 'ok', calls: 3 });
  });

  it('given failures on every attempt, throws the last; an error it may not retry is thrown at once', async () => {
    let calls = 0;
    await expect(
      retryWithBackoff({ attempts: 3, baseDelayMs: 1 }, () => Promise.reject(named(`Conflict${++calls}`))),
    ).rejects.toThrow('Conflict3');
    let refused = 0;
    const retryable = (error: Error) => error.name === 'Conflict';
    await expect(
      retryWithBackoff({ attempts: 3, baseDelayMs: 1, retryable }, () => Promise.reject(named(`Refused${++refused}`))),
    ).rejects.toThrow('Refused1');
  });
});

describe('the store circuit breaker', () => {
  it('given consecutive outages, fails fast without calling the store, and closes again after a trial succeeds', async () => {
    const breaker = storeCircuitBreaker({
      isOutage: (e) => e.name === 'UnavailableError',
      threshold: 3,
      halfOpenAfterMs: 50,
    });
    let calls = 0;
    const down = () =>
      breaker.execute(async () => {
        calls += 1;
        throw named('UnavailableError');
      });
    for (let i = 0; i < 3; i++) await expect(down()).rejects.toThrow('UnavailableError');
    await expect(down()).rejects.toBeInstanceOf(BrokenCircuitError);
    expect(calls).toBe(3);
    await new Promise((r) => setTimeout(r, 60));
    expect(await breaker.execute(async () => 'up again')).toBe('up again');
    expect(await breaker.execute(async () => 'closed')).toBe('closed');
  });

  it('refusals (a wrong expected revision, a duplicate key) never open it', async () => {
    const breaker = storeCircuitBreaker({ isOutage: isEsdbOutage, threshold: 2 });
    for (let i = 0; i < 5; i++)
      await expect(
        breaker.execute(async () => {
          throw named('WrongExpectedVersionError');
        }),
      ).rejects.toThrow();
    expect(await breaker.execute(async () => 'still closed')).toBe('still closed');
  });

  it('knows the outages of each server client by name', () => {
    expect(['UnavailableError', 'DeadlineExceededError', 'NotLeaderError'].map((n) => isEsdbOutage(named(n)))).toEqual([
      true,
      true,
      true,
    ]);
    expect(isEsdbOutage(named('WrongExpectedVersionError'))).toBe(false);
    expect(
      ['MongoNetworkError', 'MongoServerSelectionError', 'MongoNetworkTimeoutError'].map((n) =>
        isMongoOutage(named(n)),
      ),
    ).toEqual([true, true, true]);
    expect(isMongoOutage(named('MongoServerError'))).toBe(false);
  });
});

describe('one retry policy shared by many calls', () => {
  it('given one policy, each execution gets its own bounded attempts, and only what it may retry is retried', async () => {
    const policy = retryPolicy({ attempts: 3, baseDelayMs: 1, maxDelayMs: 4, retryable: (e) => e.name === 'Conflict' });
    const calls: string[] = [];
    await expect(
      policy.execute(({ attempt }) => {
        calls.push(`first ${attempt}`);
        throw named('Conflict');
      }),
    ).rejects.toThrow('Conflict');
    const value = await policy.execute(({ attempt }) => {
      calls.push(`second ${attempt}`);
      if (attempt < 2) throw named('Conflict');
      return 'ok';
    });
    await expect(
      policy.execute(() => {
        calls.push('refused');
        throw named('Refused');
      }),
    ).rejects.toThrow('Refused');
    expect({ value, calls }).toEqual({
      value: 'ok',
      calls: ['first 0', 'first 1', 'first 2', 'second 0', 'second 1', 'second 2', 'refused'],
    });
  });
});
