/**
 * Keycloak access tokens: the shared JWT checks, plus the Keycloak `typ`
 * claim, which must be `Bearer`. ID (`ID`), refresh (`Refresh`, `Offline`) and
 * logout (`Logout`) tokens carry the same issuer and signature, and refusing
 * them here is what stops a leaked ID token from opening the API
 * (RFC 8725 §2.8, §3.11). The header `typ` may be `JWT` or `at+jwt` (RFC 9068).
 *
 * A verified token is remembered (by hash) until it expires, so a repeated
 * token costs one SHA-256, a Map lookup and an expiry check.
 */
import { TOKEN_DEFAULTS } from './defaults';
import { InvalidTokenError } from './errors';
import { DEFAULT_JWT_LIMITS, decodeJwt, type DecodedJwt, type JsonObject, type JwtSizeLimits } from './jwt';
import { JwtVerifier, type KeySource } from './jwt-verifier';
import { toPrincipal, type AuthPrincipal } from './principal';
import { VerifiedTokenCache, type VerifiedTokenCacheOptions } from './verified-token-cache';

/** What adapters depend on: a token in, the caller out, or an `AuthError`. */
export interface BearerTokenVerifier {
  verify(token: string): Promise<AuthPrincipal>;
}

/** A verified access token is represented by its principal. */
export type VerifiedAccessToken = AuthPrincipal;

export interface AccessTokenVerifierOptions {
  issuer: string;
  audience: string | readonly string[];
  keySource: KeySource;
  algorithms?: readonly string[];
  clockSkewSec?: number;
  /** A shared cache, or `false` for none; by default a private one with default bounds. */
  cache?: VerifiedTokenCache<AuthPrincipal> | false;
  limits?: JwtSizeLimits;
  now?: () => number;
}

const KEYCLOAK_ACCESS_TYP = 'Bearer';

export class AccessTokenVerifier implements BearerTokenVerifier, DecodedAccessTokenVerifier {
  private readonly jwt: JwtVerifier;
  private readonly cache: VerifiedTokenCache<AuthPrincipal> | undefined;
  private readonly limits: JwtSizeLimits;

  constructor(options: AccessTokenVerifierOptions) {
    this.jwt = new JwtVerifier({ ...options, headerTypes: ['jwt', 'at+jwt'] });
    this.cache = cacheFromOption(options.cache, options.now);
    this.limits = options.limits ?? DEFAULT_JWT_LIMITS;
  }

  get issuer(): string {
    return this.jwt.issuer;
  }

  verify(token: string): Promise<AuthPrincipal> {
    return verifyThroughCache(token, this, this.cache, this.limits);
  }

  /** Header checks before the payload is decoded (see `JwtVerifier.inspectHeader`). */
  get inspectHeader(): (header: JsonObject) => void {
    return this.jwt.inspectHeader;
  }

  /** Verifies an already decoded token, bypassing the cache (for `IssuerRegistry`). */
  async verifyDecoded(jwt: DecodedJwt): Promise<AuthPrincipal> {
    const claims = await this.jwt.verifyDecoded(jwt);
    if (claims.typ !== KEYCLOAK_ACCESS_TYP) throw new InvalidTokenError('wrong_token_type');
    if (typeof claims.sub !== 'string' || claims.sub === '') throw new InvalidTokenError('missing_claim');
    return toPrincipal(claims);
  }
}

/** Anything that verifies a decoded access token: one issuer, or a registry of them. */
export interface DecodedAccessTokenVerifier {
  verifyDecoded(jwt: DecodedJwt): Promise<AuthPrincipal>;
  /** Header checks to run before the payload is decoded, when the verifier has any. */
  readonly inspectHeader?: (header: JsonObject) => void;
}

/**
 * The hot path, shared by single- and multi-issuer set-ups: size check (before
 * hashing, so an oversized token costs nothing), cache lookup, and only on a
 * miss decoding and verification; successes are stored until their `exp`.
 */
export async function verifyThroughCache(
  token: string,
  verifier: DecodedAccessTokenVerifier,
  cache: VerifiedTokenCache<AuthPrincipal> | undefined,
  limits: JwtSizeLimits,
): Promise<AuthPrincipal> {
  if (token.length > limits.maxTokenLength) throw new InvalidTokenError('token_too_large');
  if (cache === undefined) return verifier.verifyDecoded(decodeJwt(token, limits, verifier.inspectHeader));
  const key = VerifiedTokenCache.keyOf(token);
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const principal = await verifier.verifyDecoded(decodeJwt(token, limits, verifier.inspectHeader));
  cache.set(key, principal, principal.expiresAt);
  return principal;
}

/** `false`: no cache; a cache: shared; nothing: a private one with default bounds. */
export function cacheFromOption(
  option: VerifiedTokenCache<AuthPrincipal> | false | undefined,
  now: (() => number) | undefined,
): VerifiedTokenCache<AuthPrincipal> | undefined {
  if (option === false) return undefined;
  return option ?? accessTokenCache({ now });
}

/** A cache of verified access tokens, with the admission every access-token verifier uses. */
export function accessTokenCache(options: Omit<VerifiedTokenCacheOptions, 'admission'> = {}): VerifiedTokenCache<AuthPrincipal> {
  return new VerifiedTokenCache<AuthPrincipal>({ ...options, admission: TOKEN_DEFAULTS.tokenCacheAdmission });
}
