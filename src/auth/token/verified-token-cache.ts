/**
 * Remembers tokens that passed verification, so a repeated token costs a hash,
 * a Map lookup and an expiry check instead of a signature verification.
 *
 * - Keyed by SHA-256 of the token, not the token: a heap dump or a debugger
 *   shows no usable bearer token, each key is 32 bytes instead of ~1.5 KiB,
 *   and a cryptographic hash rules out two tokens sharing an entry (a fast
 *   non-cryptographic hash would let a crafted token collide with a valid one).
 * - An entry lives until min(token `exp`, now + `maxTtlMs`) and is never
 *   returned at or after `exp`, skew not included: a token in the skew window
 *   is verified again each time, which is rare and errs on the strict side.
 * - Only successes are stored; a failure is recomputed every time, so an
 *   outage or a not-yet-rotated key can never pin a rejection.
 * - Bounded: at `maxEntries` the oldest insertion is dropped (FIFO). Entries
 *   have similar lifetimes, so the oldest is nearly always the first to expire,
 *   and FIFO keeps hits free of the reordering writes an exact LRU needs.
 */
import { hash } from 'node:crypto';
import { TOKEN_DEFAULTS } from './defaults';

export interface VerifiedTokenCacheOptions {
  /** 0 turns caching off. */
  maxEntries?: number;
  maxTtlMs?: number;
  now?: () => number;
}

interface Entry<T> {
  readonly value: T;
  readonly expiresAt: number;
}

export class VerifiedTokenCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly maxEntries: number;
  private readonly maxTtlMs: number;
  private readonly now: () => number;

  constructor(options: VerifiedTokenCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? TOKEN_DEFAULTS.tokenCacheMaxEntries;
    this.maxTtlMs = options.maxTtlMs ?? TOKEN_DEFAULTS.tokenCacheMaxTtlMs;
    this.now = options.now ?? (() => Date.now());
  }

  /** The cache key of a token: its SHA-256 as a 32-character binary string (smallest to store and compare). */
  static keyOf(token: string): string {
    return hash('sha256', token, 'binary');
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string): T | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (this.now() >= entry.expiresAt) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** Stores a verified value; `expSec` is the token's `exp` (seconds since the epoch). */
  set(key: string, value: T, expSec: number | undefined): void {
    if (this.maxEntries <= 0) return;
    const now = this.now();
    const cap = now + this.maxTtlMs;
    const expiresAt = expSec === undefined ? cap : Math.min(expSec * 1000, cap);
    if (expiresAt <= now) return;
    if (!this.entries.has(key) && this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { value, expiresAt });
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}
