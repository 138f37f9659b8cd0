import { Inject, Injectable, Logger } from '@nestjs/common';
import { RESOLVED_AUTH_OPTIONS } from '../auth.constants';
import type { ResolvedAuthOptions } from '../auth-options.resolver';
import { OidcDiscoveryService } from '../discovery/oidc-discovery.service';
import {
  AccessTokenVerifier,
  extractBearerToken,
  MissingCredentialsError,
  TOKEN_DEFAULTS,
  VerifiedTokenCache,
  type AuthPrincipal,
  type BearerTokenVerifier,
  type JwksCacheStats,
} from '../token';
import { DiscoveredKeySource } from './discovered-key-source';
import { bearerSources, type CredentialSource } from './request-credentials';

/**
 * The Nest-side entry to bearer authentication: finds the token in a request
 * and hands it to the framework-free verifier built from the module options.
 */
@Injectable()
export class BearerAuthenticator {
  private readonly logger = new Logger('BearerAuthenticator');
  private readonly keySource: DiscoveredKeySource;
  private readonly verifier: BearerTokenVerifier;

  constructor(
    @Inject(RESOLVED_AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    discovery: OidcDiscoveryService,
  ) {
    this.keySource = new DiscoveredKeySource(() => discovery.metadata(options.primary), {
      algorithms: options.algorithms,
      cacheTtlMs: options.jwks.cacheTtlMs,
      cooldownMs: options.jwks.cooldownMs,
      timeoutMs: options.jwks.timeoutMs,
      // The cache keeps serving its last good keys; the operator still wants to know.
      onFetchError: () => this.logger.warn('JWKS fetch failed; serving the last good key set if any'),
    });
    this.verifier = new AccessTokenVerifier({
      issuer: options.primary.issuer,
      audience: options.primary.audience,
      keySource: this.keySource,
      algorithms: options.algorithms,
      clockSkewSec: options.clockSkewSeconds,
      cache:
        options.tokenCacheMaxEntries > 0
          ? new VerifiedTokenCache<AuthPrincipal>({ maxEntries: options.tokenCacheMaxEntries })
          : false,
    });
  }

  /** The caller of a request, or a rejection with an `AuthError`. */
  authenticate(request: unknown): Promise<AuthPrincipal> {
    let token: string | undefined;
    try {
      token = extractBearerToken(bearerSources(request as CredentialSource), TOKEN_DEFAULTS.maxTokenLength);
    } catch (error) {
      return Promise.reject(error);
    }
    if (token === undefined) return Promise.reject(new MissingCredentialsError());
    return this.verifier.verify(token);
  }

  /** Verifies a bare access token (e.g. from a WebSocket message). */
  verify(token: string): Promise<AuthPrincipal> {
    return this.verifier.verify(token);
  }

  /** JWKS fetch statistics of the primary issuer, for tests, health and the benchmark. */
  get jwksStats(): JwksCacheStats | undefined {
    return this.keySource.stats;
  }
}
