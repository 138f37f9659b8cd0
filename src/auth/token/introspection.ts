/**
 * Optional mode: ask Keycloak about each token (RFC 7662) instead of verifying
 * it locally, for deployments that must notice revocation within seconds.
 * The API authenticates as its confidential client (HTTP Basic, RFC 6749
 * §2.3.1). `active: false` is `invalid_token`; an endpoint that cannot answer
 * is 503, never 401, so a Keycloak hiccup does not log users out.
 * Answers are reused briefly (at most `cacheMaxTtlMs`, never past `exp`), and
 * concurrent requests with the same token share one call.
 */
import { TOKEN_DEFAULTS } from './defaults';
import { IntrospectionUnavailableError, InvalidTokenError } from './errors';
import { defaultFetch, fetchJson, type FetchLike } from './fetch-json';
import type { BearerTokenVerifier } from './access-token-verifier';
import { checkAudience, type JwtClaims } from './jwt-verifier';
import { toPrincipal, type AuthPrincipal } from './principal';
import { VerifiedTokenCache } from './verified-token-cache';

export interface IntrospectionVerifierOptions {
  /** From discovery (`ProviderMetadata.introspection_endpoint`). */
  introspectionEndpoint: string;
  clientId: string;
  clientSecret: string;
  /** When set, the answer's `iss` must equal it. */
  issuer?: string;
  /** When set, the answer's `aud` must contain it (or one of them). */
  audience?: string | readonly string[];
  fetch?: FetchLike;
  timeoutMs?: number;
  cacheMaxTtlMs?: number;
  cacheMaxEntries?: number;
  maxTokenLength?: number;
  now?: () => number;
  /** Told why the endpoint could not be used (e.g. to log it). */
  onError?: (error: unknown) => void;
}

export class IntrospectionVerifier implements BearerTokenVerifier {
  private readonly cache: VerifiedTokenCache<AuthPrincipal>;
  private readonly inFlight = new Map<string, Promise<AuthPrincipal>>();
  private readonly fetchFn: FetchLike;
  private readonly authorization: string;
  private readonly audiences: readonly string[] | undefined;
  private readonly timeoutMs: number;
  private readonly maxTokenLength: number;
  private readonly now: () => number;

  constructor(private readonly options: IntrospectionVerifierOptions) {
    this.now = options.now ?? (() => Date.now());
    this.cache = new VerifiedTokenCache<AuthPrincipal>({
      maxTtlMs: options.cacheMaxTtlMs ?? TOKEN_DEFAULTS.introspectionCacheMaxTtlMs,
      maxEntries: options.cacheMaxEntries,
      now: this.now,
    });
    this.fetchFn = options.fetch ?? defaultFetch();
    const credentials = `${formEncode(options.clientId)}:${formEncode(options.clientSecret)}`;
    this.authorization = `Basic ${Buffer.from(credentials).toString('base64')}`;
    this.audiences = typeof options.audience === 'string' ? [options.audience] : options.audience;
    this.timeoutMs = options.timeoutMs ?? TOKEN_DEFAULTS.fetchTimeoutMs;
    this.maxTokenLength = options.maxTokenLength ?? TOKEN_DEFAULTS.maxTokenLength;
  }

  async verify(token: string): Promise<AuthPrincipal> {
    if (token.length > this.maxTokenLength) throw new InvalidTokenError('token_too_large');
    const key = VerifiedTokenCache.keyOf(token);
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    let pending = this.inFlight.get(key);
    if (pending === undefined) {
      pending = this.introspect(token).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    const principal = await pending;
    this.cache.set(key, principal, principal.expiresAt);
    return principal;
  }

  private async introspect(token: string): Promise<AuthPrincipal> {
    let answer: unknown;
    try {
      answer = await fetchJson(this.fetchFn, this.options.introspectionEndpoint, this.timeoutMs, {
        method: 'POST',
        headers: {
          authorization: this.authorization,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: `token=${formEncode(token)}&token_type_hint=access_token`,
      });
    } catch (error) {
      this.options.onError?.(error);
      throw new IntrospectionUnavailableError();
    }
    return this.toVerifiedPrincipal(answer);
  }

  private toVerifiedPrincipal(answer: unknown): AuthPrincipal {
    if (typeof answer !== 'object' || answer === null || Array.isArray(answer)) {
      this.options.onError?.(new Error('the introspection answer is not a JSON object'));
      throw new IntrospectionUnavailableError();
    }
    const claims = answer as Record<string, unknown>;
    if (claims.active !== true) throw new InvalidTokenError('inactive');
    if (typeof claims.iss !== 'string' || typeof claims.sub !== 'string') throw new InvalidTokenError('missing_claim');
    if (this.options.issuer !== undefined && claims.iss !== this.options.issuer) {
      throw new InvalidTokenError('wrong_issuer');
    }
    // Keycloak answers `active: true` for refresh and ID tokens as well.
    if (claims.typ !== undefined && claims.typ !== 'Bearer') throw new InvalidTokenError('wrong_token_type');
    if (typeof claims.exp === 'number' && this.now() / 1000 >= claims.exp) throw new InvalidTokenError('expired');
    if (this.audiences !== undefined) checkAudience(claims.aud, this.audiences);
    return toPrincipal(claims as JwtClaims);
  }
}

/** application/x-www-form-urlencoded, as RFC 6749 §2.3.1 requires for Basic credentials too. */
function formEncode(value: string): string {
  return encodeURIComponent(value).replace(/%20/g, '+');
}
