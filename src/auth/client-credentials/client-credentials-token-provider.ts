/**
 * Service-to-service tokens (RFC 6749 §4.4): this API's service account asks
 * Keycloak for an access token and reuses it until shortly before it expires.
 * Framework-free, like token/: the Nest module only wires it to discovery and
 * to an HttpService.
 * - one token serves every call until `renewMarginMs` before its expiry;
 * - renewals are single-flight: concurrent callers share one token request;
 * - a failed renewal keeps serving the current token while it is still valid;
 * - failures are `ClientCredentialsError`s that never contain the secret.
 */
import { DiscoveryError, type FetchLike } from '../token';
// fetchJson is token/'s one timed HTTP exchange; reused rather than copied.
import { defaultFetch, fetchJson, HttpStatusError } from '../token/fetch-json';
// The one RFC 6749 §5.1 check of a token answer, shared with the browser flows.
import { parseTokenResponse } from '../flows/token-response';
import { CLIENT_CREDENTIALS_DEFAULTS } from './client-credentials.defaults';
import { ClientCredentialsError } from './client-credentials.error';

export interface ClientCredentialsTokenProviderOptions {
  /** The realm's token endpoint, from discovery; asked before each token request. */
  tokenEndpoint: () => Promise<string>;
  clientId: string;
  clientSecret: string;
  /** Space-separated scopes to request; Keycloak's default client scopes apply anyway. */
  scope?: string;
  /**
   * Renew this long before expiry. A margin at least as long as the token's
   * lifetime renews on every call (useful in tests only).
   */
  renewMarginMs?: number;
  timeoutMs?: number;
  fetch?: FetchLike;
  now?: () => number;
  /** Told about each failed token request (e.g. to log it); the error is safe to log. */
  onError?: (error: ClientCredentialsError) => void;
}

export interface ClientCredentialsStats {
  /** Token requests started, successful or not. */
  readonly tokenRequests: number;
  readonly failures: number;
}

interface CachedToken {
  readonly accessToken: string;
  readonly expiresAt: number;
  readonly renewAt: number;
}

export class ClientCredentialsTokenProvider {
  private current?: CachedToken;
  private inFlight?: Promise<CachedToken>;
  private tokenRequests = 0;
  private failures = 0;
  private readonly fetchFn: FetchLike;
  private readonly authorization: string;
  private readonly body: string;
  private readonly timeoutMs: number;
  private readonly now: () => number;

  constructor(private readonly options: ClientCredentialsTokenProviderOptions) {
    if (!options.clientId || !options.clientSecret) throw new TypeError('clientId and clientSecret are required');
    if (options.renewMarginMs !== undefined && !(options.renewMarginMs >= 0)) {
      throw new TypeError('renewMarginMs must be a non-negative number');
    }
    this.fetchFn = options.fetch ?? defaultFetch();
    this.now = options.now ?? (() => Date.now());
    this.timeoutMs = options.timeoutMs ?? CLIENT_CREDENTIALS_DEFAULTS.timeoutMs;
    // client_secret_basic (RFC 6749 §2.3.1): both parts form-encoded before Base64.
    const credentials = `${formEncode(options.clientId)}:${formEncode(options.clientSecret)}`;
    this.authorization = `Basic ${Buffer.from(credentials).toString('base64')}`;
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (options.scope) form.set('scope', options.scope);
    this.body = form.toString();
  }

  /** A valid access token of the service account; rejects with `ClientCredentialsError`. */
  async getAccessToken(): Promise<string> {
    const current = this.current;
    if (current && this.now() < current.renewAt) return current.accessToken;
    try {
      return (await this.renew()).accessToken;
    } catch (error) {
      // An early renewal that failed is no reason to fail a call the current token still covers.
      if (current && this.now() < current.expiresAt) return current.accessToken;
      throw error;
    }
  }

  /** Forgets the cached token, e.g. after another service refused it; the next call fetches a new one. */
  invalidate(): void {
    this.current = undefined;
  }

  get stats(): ClientCredentialsStats {
    return { tokenRequests: this.tokenRequests, failures: this.failures };
  }

  private renew(): Promise<CachedToken> {
    this.inFlight ??= this.requestToken()
      .then((token) => (this.current = token))
      .finally(() => {
        this.inFlight = undefined;
      });
    return this.inFlight;
  }

  private async requestToken(): Promise<CachedToken> {
    this.tokenRequests++;
    try {
      const endpoint = await this.endpoint();
      // Expiry counts from before the request, so network time only shortens the token's use.
      const requestedAt = this.now();
      const answer = await this.post(endpoint);
      return this.toCachedToken(answer, endpoint, requestedAt);
    } catch (error) {
      this.failures++;
      const failure =
        error instanceof ClientCredentialsError
          ? error
          : new ClientCredentialsError('invalid_response', this.options.clientId, { cause: error });
      this.options.onError?.(failure);
      throw failure;
    }
  }

  private async endpoint(): Promise<string> {
    try {
      return await this.options.tokenEndpoint();
    } catch (error) {
      const url = error instanceof DiscoveryError ? error.url : undefined;
      throw new ClientCredentialsError('discovery_failed', this.options.clientId, { endpoint: url, cause: error });
    }
  }

  private async post(endpoint: string): Promise<unknown> {
    try {
      return await fetchJson(this.fetchFn, endpoint, this.timeoutMs, {
        method: 'POST',
        headers: {
          authorization: this.authorization,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: this.body,
      });
    } catch (error) {
      const status = error instanceof HttpStatusError ? error.status : undefined;
      const failure = status !== undefined && status >= 400 && status < 500 ? 'rejected' : 'unreachable';
      throw new ClientCredentialsError(failure, this.options.clientId, { endpoint, status, cause: error });
    }
  }

  private toCachedToken(answer: unknown, endpoint: string, requestedAt: number): CachedToken {
    const tokens = parseTokenResponse(answer);
    if (!tokens) throw new ClientCredentialsError('invalid_response', this.options.clientId, { endpoint });
    const lifetimeMs = tokens.expiresIn * 1000;
    const marginMs = this.options.renewMarginMs ?? Math.min(CLIENT_CREDENTIALS_DEFAULTS.renewMarginMs, lifetimeMs / 2);
    const expiresAt = requestedAt + lifetimeMs;
    return { accessToken: tokens.accessToken, expiresAt, renewAt: expiresAt - marginMs };
  }
}

/** application/x-www-form-urlencoded, as RFC 6749 §2.3.1 requires for Basic credentials. */
function formEncode(value: string): string {
  return encodeURIComponent(value).replace(/%20/g, '+');
}
