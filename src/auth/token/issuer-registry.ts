/**
 * Several trusted realms behind one API. The token's `iss` is read without
 * verification, only to choose that realm's verifier; the chosen verifier then
 * checks everything, `iss` included. An unknown issuer is refused before any
 * key lookup, so tokens naming arbitrary issuers cause no network traffic.
 */
import { InvalidTokenError } from './errors';
import {
  AccessTokenVerifier,
  cacheFromOption,
  verifyThroughCache,
  type BearerTokenVerifier,
  type DecodedAccessTokenVerifier,
} from './access-token-verifier';
import { DEFAULT_JWT_LIMITS, unverifiedIssuer, type DecodedJwt, type JwtSizeLimits } from './jwt';
import { JwksCache, type JwksCacheOptions } from './jwks-cache';
import type { AuthPrincipal } from './principal';
import { VerifiedTokenCache } from './verified-token-cache';

export interface IssuerConfig {
  issuer: string;
  audience: string | readonly string[];
  /** From discovery. */
  jwksUri: string;
  algorithms?: readonly string[];
  jwks?: Pick<JwksCacheOptions, 'cacheTtlMs' | 'cooldownMs' | 'retryAfterFailureMs' | 'timeoutMs' | 'onFetchError'>;
}

export interface IssuerRegistryOptions {
  /** One cache for all issuers (looked up before decoding), or `false`. */
  cache?: VerifiedTokenCache<AuthPrincipal> | false;
  limits?: JwtSizeLimits;
  now?: () => number;
}

export interface IssuerRegistryConfigOptions extends IssuerRegistryOptions {
  clockSkewSec?: number;
  fetch?: JwksCacheOptions['fetch'];
}

export class IssuerRegistry implements BearerTokenVerifier, DecodedAccessTokenVerifier {
  private readonly verifiers = new Map<string, AccessTokenVerifier>();
  private readonly cache: VerifiedTokenCache<AuthPrincipal> | undefined;
  private readonly limits: JwtSizeLimits;

  /** Verifiers should be built with `cache: false`; the registry caches for all of them. */
  constructor(verifiers: readonly AccessTokenVerifier[], options: IssuerRegistryOptions = {}) {
    if (verifiers.length === 0) throw new TypeError('at least one issuer is required');
    for (const verifier of verifiers) {
      if (this.verifiers.has(verifier.issuer)) throw new TypeError(`issuer ${verifier.issuer} is registered twice`);
      this.verifiers.set(verifier.issuer, verifier);
    }
    this.cache = cacheFromOption(options.cache, options.now);
    this.limits = options.limits ?? DEFAULT_JWT_LIMITS;
  }

  /** Builds one JWKS cache and verifier per issuer. */
  static fromConfigs(configs: readonly IssuerConfig[], options: IssuerRegistryConfigOptions = {}): IssuerRegistry {
    const verifiers = configs.map(
      (config) =>
        new AccessTokenVerifier({
          issuer: config.issuer,
          audience: config.audience,
          algorithms: config.algorithms,
          clockSkewSec: options.clockSkewSec,
          limits: options.limits,
          now: options.now,
          cache: false,
          keySource: new JwksCache({
            ...config.jwks,
            jwksUri: config.jwksUri,
            algorithms: config.algorithms,
            fetch: options.fetch,
            now: options.now,
          }),
        }),
    );
    return new IssuerRegistry(verifiers, options);
  }

  get issuers(): readonly string[] {
    return [...this.verifiers.keys()];
  }

  verify(token: string): Promise<AuthPrincipal> {
    return verifyThroughCache(token, this, this.cache, this.limits);
  }

  /** Chooses the verifier by the unverified `iss`; the verifier checks it again. */
  verifyDecoded(jwt: DecodedJwt): Promise<AuthPrincipal> {
    const issuer = unverifiedIssuer(jwt);
    const verifier = issuer === undefined ? undefined : this.verifiers.get(issuer);
    if (verifier === undefined) return Promise.reject(new InvalidTokenError('unknown_issuer'));
    return verifier.verifyDecoded(jwt);
  }
}
