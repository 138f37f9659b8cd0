import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { RESOLVED_AUTH_OPTIONS } from '../auth.constants';
import type { ResolvedAuthOptions, ResolvedIssuer } from '../auth-options.resolver';
import { OidcDiscoveryService } from '../discovery/oidc-discovery.service';
import {
  AccessTokenVerifier,
  accessTokenCache,
  extractBearerToken,
  IssuerRegistry,
  MissingCredentialsError,
  TOKEN_DEFAULTS,
  VerifiedTokenCache,
  type AuthPrincipal,
  type BearerTokenVerifier,
  type JwksCacheStats,
} from '../token';
import { DiscoveredIntrospection } from './discovered-introspection';
import { DiscoveredKeySource } from './discovered-key-source';
import { bearerSources, type CredentialSource } from './request-credentials';

/**
 * The Nest-side entry to bearer authentication: finds the token in a request
 * and hands it to the framework-free verifier built from the module options:
 * local JWT validation against one or several realms, or RFC 7662
 * introspection when the deployment must see revocations at once.
 */
@Injectable()
export class BearerAuthenticator implements OnApplicationBootstrap {
  private readonly logger = new Logger('BearerAuthenticator');
  private readonly keySources = new Map<string, DiscoveredKeySource>();
  private readonly verifier: BearerTokenVerifier;

  constructor(
    @Inject(RESOLVED_AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    private readonly discovery: OidcDiscoveryService,
  ) {
    this.verifier = options.introspection.enabled ? this.introspectionVerifier(options.introspection) : this.localVerifier();
  }

  /**
   * Fetches each realm's key set in the background as the application starts,
   * so the first protected request does not wait for discovery and the JWKS.
   * Never holds up start-up: a Keycloak still booting is already reported by
   * discovery's warning, and requests answer 503 until it is up.
   */
  onApplicationBootstrap(): void {
    for (const source of this.keySources.values()) void source.warmUp();
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

  /** Verifies a bare access token (e.g. a session's, or one from a WebSocket message). */
  verify(token: string): Promise<AuthPrincipal> {
    return this.verifier.verify(token);
  }

  /** JWKS fetch statistics of an issuer (default: the primary), for tests, health and the benchmark. */
  jwksStats(issuer = this.options.primary.issuer): JwksCacheStats | undefined {
    return this.keySources.get(issuer)?.stats;
  }

  private localVerifier(): BearerTokenVerifier {
    const issuers = [this.options.primary, ...this.options.additional];
    const cache =
      this.options.tokenCacheMaxEntries > 0 ? accessTokenCache({ maxEntries: this.options.tokenCacheMaxEntries }) : false;
    if (issuers.length === 1) return this.issuerVerifier(this.options.primary, cache);
    // One cache for all realms, consulted before the issuer is even looked at.
    return new IssuerRegistry(
      issuers.map((issuer) => this.issuerVerifier(issuer, false)),
      { cache },
    );
  }

  private issuerVerifier(issuer: ResolvedIssuer, cache: VerifiedTokenCache<AuthPrincipal> | false): AccessTokenVerifier {
    const keySource = new DiscoveredKeySource(() => this.discovery.metadata(issuer), {
      algorithms: this.options.algorithms,
      cacheTtlMs: this.options.jwks.cacheTtlMs,
      cooldownMs: this.options.jwks.cooldownMs,
      timeoutMs: this.options.jwks.timeoutMs,
      // The cache keeps serving its last good keys; the operator still wants to know.
      onFetchError: () => this.logger.warn(`JWKS fetch for ${issuer.issuer} failed; serving the last good key set if any`),
    });
    this.keySources.set(issuer.issuer, keySource);
    return new AccessTokenVerifier({
      issuer: issuer.issuer,
      audience: issuer.audience,
      keySource,
      algorithms: this.options.algorithms,
      clockSkewSec: this.options.clockSkewSeconds,
      cache,
    });
  }

  private introspectionVerifier(introspection: { cacheSeconds: number; clientId: string; clientSecret: string }): BearerTokenVerifier {
    return new DiscoveredIntrospection(() => this.discovery.metadata(this.options.primary), {
      clientId: introspection.clientId,
      clientSecret: introspection.clientSecret,
      issuer: this.options.primary.issuer,
      audience: this.options.primary.audience,
      timeoutMs: this.options.jwks.timeoutMs,
      cacheMaxTtlMs: introspection.cacheSeconds * 1000,
      onError: () => this.logger.warn('token introspection failed; answering 503'),
    });
  }
}
