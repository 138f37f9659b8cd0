/**
 * Remembers identifiers (logout token `jti`s) for as long as their token could
 * still be accepted, so each is accepted once (Back-Channel Logout §2.6 step 8).
 * The interface is async so a shared store (Redis `SET NX EX`) can implement it
 * when several replicas receive logout calls.
 */
import { TOKEN_DEFAULTS } from './defaults';

export interface ReplayStore {
  /** True if `id` was not seen within its TTL (and records it); false for a replay. */
  markIfNew(id: string, ttlSec: number): Promise<boolean>;
}

export interface InMemoryReplayStoreOptions {
  maxEntries?: number;
  now?: () => number;
}

/**
 * Bounded: when full, expired entries at the front go first, then the oldest.
 * Dropping a live entry could re-admit that one token, but only tokens signed
 * by the identity provider get here, so a flood is a flood of real logouts.
 */
export class InMemoryReplayStore implements ReplayStore {
  private readonly expiries = new Map<string, number>();
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: InMemoryReplayStoreOptions = {}) {
    this.maxEntries = options.maxEntries ?? TOKEN_DEFAULTS.replayStoreMaxEntries;
    this.now = options.now ?? (() => Date.now());
  }

  get size(): number {
    return this.expiries.size;
  }

  markIfNew(id: string, ttlSec: number): Promise<boolean> {
    const now = this.now();
    const expiresAt = this.expiries.get(id);
    if (expiresAt !== undefined && now < expiresAt) return Promise.resolve(false);
    this.expiries.delete(id);
    this.makeRoom(now);
    this.expiries.set(id, now + ttlSec * 1000);
    return Promise.resolve(true);
  }

  private makeRoom(now: number): void {
    for (const [id, expiresAt] of this.expiries) {
      if (this.expiries.size < this.maxEntries && expiresAt > now) return;
      this.expiries.delete(id);
    }
  }
}
