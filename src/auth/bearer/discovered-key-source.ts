import type { KeyObject } from 'node:crypto';
import {
  JwksCache,
  KeySetUnavailableError,
  type JwksCacheStats,
  type JwsAlgorithm,
  type KeySource,
  type ProviderMetadata,
} from '../token';
import { BuiltFromDiscovery } from './built-from-discovery';

export interface DiscoveredKeySourceOptions {
  algorithms: readonly string[];
  cacheTtlMs: number;
  cooldownMs: number;
  timeoutMs: number;
  onFetchError?: (error: unknown) => void;
}

/**
 * A key source whose JWKS URI is learnt from discovery on first use, so the
 * verifier can be built at start-up even while Keycloak is still booting.
 * Until discovery succeeds every lookup is a 503 (`KeySetUnavailableError`).
 */
export class DiscoveredKeySource implements KeySource {
  private readonly jwks: BuiltFromDiscovery<JwksCache>;

  constructor(discover: () => Promise<ProviderMetadata>, options: DiscoveredKeySourceOptions) {
    this.jwks = new BuiltFromDiscovery(
      discover,
      (metadata) =>
        new JwksCache({
          jwksUri: metadata.jwks_uri,
          algorithms: options.algorithms,
          cacheTtlMs: options.cacheTtlMs,
          cooldownMs: options.cooldownMs,
          timeoutMs: options.timeoutMs,
          onFetchError: options.onFetchError,
        }),
      () => new KeySetUnavailableError(),
    );
  }

  getKey(kid: string | undefined, alg: JwsAlgorithm): Promise<KeyObject> {
    const jwks = this.jwks.current;
    return jwks ? jwks.getKey(kid, alg) : this.jwks.get().then((built) => built.getKey(kid, alg));
  }

  /** Discovers and fetches the key set now; resolves to whether one is in hand (never rejects). */
  warmUp(): Promise<boolean> {
    return this.jwks.get().then(
      (jwks) => jwks.warmUp(),
      () => false,
    );
  }

  refusesKidNow(kid: string, alg: JwsAlgorithm): boolean {
    return this.jwks.current?.refusesKidNow(kid, alg) ?? false;
  }

  /** Key-set fetch statistics, or `undefined` before discovery succeeded. */
  get stats(): JwksCacheStats | undefined {
    return this.jwks.current?.stats;
  }
}
