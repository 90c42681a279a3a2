import { randomBytes } from 'node:crypto';
import { seal, unseal } from './webhook-subscription-store';

describe('sealed signing secrets', () => {
  const key = randomBytes(32);

  it('round-trips, with a fresh nonce each time', () => {
    const a = seal(key, 'whsec_abc');
    const b = seal(key, 'whsec_abc');
    expect(a).not.toBe(b);
    expect(a).not.toContain('whsec_abc');
    expect(unseal(key, a)).toBe('whsec_abc');
  });

  it('refuses a sealed secret that was altered or is opened with another key', () => {
    const sealed = seal(key, 'whsec_abc');
    const altered = `${sealed.slice(0, -2)}${sealed.endsWith('A') ? 'B' : 'A'}=`;
    expect(() => unseal(key, altered)).toThrow();
    expect(() => unseal(randomBytes(32), sealed)).toThrow();
  });

  it('reads a secret stored before sealing as it is', () => {
    expect(unseal(key, 'whsec_plain')).toBe('whsec_plain');
  });
});
