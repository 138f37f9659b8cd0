import type { KeyObject } from 'node:crypto';
import {
  JwksCache,
  KeySetUnavailableError,
  type JwksCacheStats,
  type JwsAlgorithm,
  type KeySource,
  type ProviderMetadata,
} from '../token';

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
  private jwks?: JwksCache;

  constructor(
    private readonly discover: () => Promise<ProviderMetadata>,
    private readonly options: DiscoveredKeySourceOptions,
  ) {}

  getKey(kid: string | undefined, alg: JwsAlgorithm): Promise<KeyObject> {
    return this.jwks ? this.jwks.getKey(kid, alg) : this.initialise().then((jwks) => jwks.getKey(kid, alg));
  }

  refusesKidNow(kid: string, alg: JwsAlgorithm): boolean {
    return this.jwks?.refusesKidNow(kid, alg) ?? false;
  }

  /** Key-set fetch statistics, or `undefined` before discovery succeeded. */
  get stats(): JwksCacheStats | undefined {
    return this.jwks?.stats;
  }

  private async initialise(): Promise<JwksCache> {
    let metadata: ProviderMetadata;
    try {
      metadata = await this.discover();
    } catch {
      throw new KeySetUnavailableError();
    }
    this.jwks ??= new JwksCache({
      jwksUri: metadata.jwks_uri,
      algorithms: this.options.algorithms,
      cacheTtlMs: this.options.cacheTtlMs,
      cooldownMs: this.options.cooldownMs,
      timeoutMs: this.options.timeoutMs,
      onFetchError: this.options.onFetchError,
    });
    return this.jwks;
  }
}
