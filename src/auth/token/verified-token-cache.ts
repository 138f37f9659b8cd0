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
 * - Admission `'repeat'` (what the access-token verifiers use): a token enters
 *   the cache the second time it is stored, not the first. A token used once
 *   (a client that fetches a new token per call, a burst of distinct tokens)
 *   then costs no entry: it cannot push out the entries of tokens that are
 *   reused, and it leaves nothing behind for the garbage collector to copy
 *   and promote, which on a stream of one-off tokens costs more than the
 *   entry saves. A reused token pays one extra verification. The "seen once"
 *   memory (a doorkeeper, as in TinyLFU) holds a 30-bit hash of each key as a
 *   small integer, which V8 keeps inline: no heap object per token. A collision
 *   only admits a token one use early; it never returns anything.
 */
import { hash } from 'node:crypto';
import { TOKEN_DEFAULTS } from './defaults';

/** `'first'`: store on the first `set`; `'repeat'`: only once the same key is set a second time. */
export type CacheAdmission = 'first' | 'repeat';

export interface VerifiedTokenCacheOptions {
  /** 0 turns caching off. */
  maxEntries?: number;
  maxTtlMs?: number;
  /** Default `'first'`. */
  admission?: CacheAdmission;
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
  /** Keys stored once and not yet admitted, as 30-bit tags; same bound and FIFO order as the entries. */
  private readonly seenOnce: Set<number> | undefined;

  constructor(options: VerifiedTokenCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? TOKEN_DEFAULTS.tokenCacheMaxEntries;
    this.maxTtlMs = options.maxTtlMs ?? TOKEN_DEFAULTS.tokenCacheMaxTtlMs;
    this.now = options.now ?? (() => Date.now());
    this.seenOnce = options.admission === 'repeat' ? new Set<number>() : undefined;
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
    if (!this.entries.has(key)) {
      if (!this.admit(key)) return;
      if (this.entries.size >= this.maxEntries) {
        const oldest = this.entries.keys().next();
        if (!oldest.done) this.entries.delete(oldest.value);
      }
    }
    this.entries.set(key, { value, expiresAt });
  }

  /** Whether a key not yet cached may enter now; under `'repeat'`, the first time only records it. */
  private admit(key: string): boolean {
    const seenOnce = this.seenOnce;
    if (seenOnce === undefined) return true;
    const tag = tagOf(key);
    if (seenOnce.delete(tag)) return true;
    if (seenOnce.size >= this.maxEntries) {
      const oldest = seenOnce.values().next();
      if (!oldest.done) seenOnce.delete(oldest.value);
    }
    seenOnce.add(tag);
    return false;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
    this.seenOnce?.clear();
  }
}

/**
 * 30 bits of a key (FNV-1a over its characters): small enough to be a V8 small
 * integer, so the doorkeeper allocates nothing per key.
 */
function tagOf(key: string): number {
  let fnv = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) fnv = Math.imul(fnv ^ key.charCodeAt(i), 0x01000193);
  return fnv >>> 2;
}
