/**
 * A token bucket per key (an operator): `burst` requests at once, refilled at `perMinute`. Held in
 * memory: a restart forgets it, which is harmless (the limit protects the witness's CPU and the
 * attestation verifiers, not its state).
 */
import { refuse } from '../codes.js';

/** Per-key token buckets. */
export class RateLimiter {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  /**
   * Takes one token for `key`, or refuses.
   * @throws WitnessError `RATE_LIMITED` (429) with a `Retry-After` header, in seconds.
   */
  take(key: string, now: number, perMinute: number, burst: number): void {
    const rate = perMinute / 60_000;
    const b = this.#buckets.get(key) ?? { tokens: burst, at: now };
    b.tokens = Math.min(burst, b.tokens + Math.max(0, now - b.at) * rate);
    b.at = now;
    if (b.tokens < 1) {
      this.#buckets.set(key, b);
      const wait = Math.max(1, Math.ceil((1 - b.tokens) / rate / 1000));
      refuse(
        'RATE_LIMITED',
        'operator',
        `${JSON.stringify(key)} made more than ${perMinute} requests per minute (burst ${burst}); retry in ${wait} s`,
        {
          headers: { 'retry-after': String(wait) },
        },
      );
    }
    b.tokens -= 1;
    this.#buckets.set(key, b);
    if (this.#buckets.size > 10_000) this.#buckets.clear();
  }
}
