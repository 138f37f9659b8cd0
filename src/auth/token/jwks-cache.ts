/**
 * The realm's signing keys, fetched from `jwks_uri` and kept as imported
 * `KeyObject`s by `kid`. `jwks-rsa` is used only to fetch (through our own
 * timed fetch) and to convert JWKs; caching and rate limiting live here,
 * because the policy is ours:
 * - a key set is fresh for `cacheTtlMs`; after that the next lookup refreshes it;
 * - an unknown `kid` triggers a refetch (key rotation), at most once per
 *   `cooldownMs`, so forged `kid`s cannot flood Keycloak;
 * - fetches are single-flight: concurrent lookups share one request;
 * - stale-on-error: a failed refresh keeps the last good set serving, and the
 *   next attempt waits `retryAfterFailureMs`;
 * - no key set ever obtained: `KeySetUnavailableError` (503), not 401.
 * Which keys are kept, and how one is picked, is `KeySet`'s business.
 */
import type { KeyObject } from 'node:crypto';
import { JwksClient } from 'jwks-rsa';
import { toAlgorithmSet, type JwsAlgorithm } from './algorithms';
import { TOKEN_DEFAULTS } from './defaults';
import { InvalidTokenError, KeySetUnavailableError } from './errors';
import { defaultFetch, fetchJson, type FetchLike } from './fetch-json';
import type { KeySource } from './jwt-verifier';
import { KeySet, usableJwks } from './key-set';

export interface JwksCacheOptions {
  /** From discovery (`ProviderMetadata.jwks_uri`). */
  jwksUri: string;
  algorithms?: readonly string[];
  cacheTtlMs?: number;
  cooldownMs?: number;
  retryAfterFailureMs?: number;
  timeoutMs?: number;
  fetch?: FetchLike;
  now?: () => number;
  /** Told about each failed fetch (e.g. to log it); the cache itself carries on. */
  onFetchError?: (error: unknown) => void;
}

export interface JwksCacheStats {
  /** Fetch attempts, successful or not. */
  readonly fetchCount: number;
  readonly failedFetchCount: number;
  readonly keyCount: number;
  /** `now()` of the last successful fetch, if any. */
  readonly fetchedAt: number | undefined;
}

export class JwksCache implements KeySource {
  private readonly client: JwksClient;
  private readonly algorithms: ReadonlySet<JwsAlgorithm>;
  private readonly cacheTtlMs: number;
  private readonly cooldownMs: number;
  private readonly retryAfterFailureMs: number;
  private readonly now: () => number;
  private readonly onFetchError: ((error: unknown) => void) | undefined;

  private keySet: KeySet | undefined;
  private fetchedAt = Number.NEGATIVE_INFINITY;
  private lastAttemptAt = Number.NEGATIVE_INFINITY;
  // The cooldown counts from the last refetch an unknown `kid` caused, not from
  // any fetch: a key rotated in right after start-up (or a TTL refresh) must
  // still be found at once, while a flood of random kids costs one fetch per window.
  private lastKidRefetchAt = Number.NEGATIVE_INFINITY;
  private lastAttemptFailed = false;
  private inFlight: Promise<void> | undefined;
  private fetches = 0;
  private failures = 0;

  constructor(options: JwksCacheOptions) {
    this.algorithms = toAlgorithmSet(options.algorithms ?? TOKEN_DEFAULTS.algorithms);
    this.cacheTtlMs = options.cacheTtlMs ?? TOKEN_DEFAULTS.jwksCacheTtlMs;
    this.cooldownMs = options.cooldownMs ?? TOKEN_DEFAULTS.jwksCooldownMs;
    this.retryAfterFailureMs = options.retryAfterFailureMs ?? TOKEN_DEFAULTS.jwksRetryAfterFailureMs;
    this.now = options.now ?? (() => Date.now());
    this.onFetchError = options.onFetchError;
    const timeoutMs = options.timeoutMs ?? TOKEN_DEFAULTS.fetchTimeoutMs;
    const fetchFn = options.fetch ?? defaultFetch();
    this.client = new JwksClient({
      jwksUri: options.jwksUri,
      cache: false,
      rateLimit: false,
      timeout: timeoutMs,
      fetcher: async (uri) => ({ keys: usableJwks(await fetchJson(fetchFn, uri, timeoutMs), this.algorithms) }),
    });
  }

  get stats(): JwksCacheStats {
    return {
      fetchCount: this.fetches,
      failedFetchCount: this.failures,
      keyCount: this.keySet?.size ?? 0,
      fetchedAt: this.keySet ? this.fetchedAt : undefined,
    };
  }

  get fetchCount(): number {
    return this.fetches;
  }

  /** Fetches the key set now (e.g. at start-up); resolves to whether one is available. */
  async warmUp(): Promise<boolean> {
    await this.refresh();
    return this.keySet !== undefined;
  }

  async getKey(kid: string | undefined, alg: JwsAlgorithm): Promise<KeyObject> {
    let justFetched = false;
    if (this.keySet === undefined || this.now() - this.fetchedAt >= this.cacheTtlMs) {
      await this.refreshUnlessBackingOff();
      justFetched = true;
    }
    const keySet = this.keySet;
    if (keySet === undefined) throw new KeySetUnavailableError();
    if (kid === undefined) return keySet.only(alg);

    const found = keySet.find(kid, alg);
    if (found !== undefined) return found;
    // A known key asked to verify another algorithm: refetching would not change that.
    if (keySet.hasKid(kid)) throw new InvalidTokenError('unsupported_alg');
    // Possibly a rotation: look again, unless someone looked very recently.
    // A set fetched for this very lookup is as fresh as a refetch would be.
    if (!justFetched && this.mayRefetchForKid()) {
      if (this.inFlight === undefined) this.lastKidRefetchAt = this.now();
      await this.refresh();
      const refetched = this.keySet?.find(kid, alg);
      if (refetched !== undefined) return refetched;
    }
    throw new InvalidTokenError('unknown_kid');
  }

  /**
   * True when `getKey` would refuse `kid` as unknown without any fetch: the
   * set in hand is fresh, lacks the kid, and the cooldown rules out a refetch.
   */
  refusesKidNow(kid: string, alg: JwsAlgorithm): boolean {
    const keySet = this.keySet;
    if (keySet === undefined || this.now() - this.fetchedAt >= this.cacheTtlMs) return false;
    // A known kid (even one that does not fit alg) gets its precise answer from getKey.
    return !keySet.hasKid(kid) && !this.mayRefetchForKid();
  }

  /** Whether an unknown kid may trigger a refetch now (or join one in flight). */
  private mayRefetchForKid(): boolean {
    return this.inFlight !== undefined || this.now() - this.lastKidRefetchAt >= this.cooldownMs;
  }

  private refreshUnlessBackingOff(): Promise<void> {
    if (
      this.inFlight === undefined &&
      this.lastAttemptFailed &&
      this.now() - this.lastAttemptAt < this.retryAfterFailureMs
    ) {
      return Promise.resolve();
    }
    return this.refresh();
  }

  /** Single-flight fetch; never rejects (failures keep the previous set). */
  private refresh(): Promise<void> {
    if (this.inFlight === undefined) {
      this.lastAttemptAt = this.now();
      this.fetches++;
      this.inFlight = this.load().then(
        (keySet) => {
          this.keySet = keySet;
          this.fetchedAt = this.now();
          this.lastAttemptFailed = false;
          this.inFlight = undefined;
        },
        (error: unknown) => {
          this.failures++;
          this.lastAttemptFailed = true;
          this.inFlight = undefined;
          this.onFetchError?.(error);
        },
      );
    }
    return this.inFlight;
  }

  private async load(): Promise<KeySet> {
    return KeySet.build(await this.client.getSigningKeys(), this.algorithms, this.keySet);
  }
}
