import { HttpService } from '@nestjs/axios';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { firstValueFrom } from 'rxjs';
import { OidcDiscoveryService } from '../discovery/oidc-discovery.service';
import { BROWSER_SETTINGS, type BrowserSettings } from '../session/browser-settings';
import { BROWSER_DEFAULTS } from '../session/browser-defaults';
import type { TokenSet } from '../session/session-record';
import type { TokenRefresher } from '../session/token-refresher';
import type { ProviderMetadata } from '../token';
import { OAuthFlowError } from './oauth-flow.error';
import { errorCode, parseTokenResponse } from './token-response';

type Endpoint = 'authorization_endpoint' | 'token_endpoint' | 'revocation_endpoint' | 'end_session_endpoint';

interface EndpointResponse {
  status: number;
  data: unknown;
}

/**
 * The confidential client `nest-api` talking to Keycloak: authorization and
 * end-session URLs, the token endpoint (code and refresh grants) and token
 * revocation (RFC 7009). Every URL comes from discovery. Nothing it sends or
 * receives is logged beyond Keycloak's error code.
 */
@Injectable()
export class OidcClient implements TokenRefresher {
  private readonly logger = new Logger('OidcClient');

  constructor(
    private readonly http: HttpService,
    private readonly discovery: OidcDiscoveryService,
    @Inject(BROWSER_SETTINGS) private readonly settings: BrowserSettings,
  ) {}

  /** The authorization request (RFC 6749 §4.1.1, RFC 7636 §4.3, OIDC Core §3.1.2.1). */
  authorizationUrl(request: { state: string; nonce: string; codeChallenge: string }): Promise<string> {
    return this.endpointUrl('authorization_endpoint', {
      client_id: this.settings.clientId,
      response_type: 'code',
      scope: BROWSER_DEFAULTS.scope,
      redirect_uri: this.settings.redirectUri,
      state: request.state,
      nonce: request.nonce,
      code_challenge: request.codeChallenge,
      code_challenge_method: 'S256',
    });
  }

  /** RP-Initiated Logout 1.0 §2; `undefined` when the provider has no end-session endpoint. */
  async endSessionUrl(request: { idTokenHint?: string; state: string }): Promise<string | undefined> {
    const metadata = await this.metadata();
    if (!metadata.end_session_endpoint) return undefined;
    return this.endpointUrl('end_session_endpoint', {
      client_id: this.settings.clientId,
      id_token_hint: request.idTokenHint,
      post_logout_redirect_uri: this.settings.postLogoutRedirectUri,
      state: request.state,
    });
  }

  /** Authorization code grant with the PKCE verifier (RFC 6749 §4.1.3, RFC 7636 §4.5). */
  async exchangeCode(code: string, codeVerifier: string): Promise<TokenSet> {
    const response = await this.postForm('token_endpoint', {
      grant_type: 'authorization_code',
      code,
      redirect_uri: this.settings.redirectUri,
      code_verifier: codeVerifier,
    });
    return this.tokenSet(response, 'authorization_code');
  }

  /** For sessions: `undefined` when the grant is refused, so the session can end quietly. */
  async refresh(refreshToken: string): Promise<TokenSet | undefined> {
    try {
      return await this.refreshGrant(refreshToken);
    } catch (error) {
      if (error instanceof OAuthFlowError && error.code === 'invalid_grant') return undefined;
      throw error;
    }
  }

  /** Refresh grant (RFC 6749 §6); a refused grant is `OAuthFlowError('invalid_grant')`. */
  async refreshGrant(refreshToken: string): Promise<TokenSet> {
    const response = await this.postForm('token_endpoint', { grant_type: 'refresh_token', refresh_token: refreshToken });
    return this.tokenSet(response, 'refresh_token');
  }

  /**
   * RFC 7009. The provider answers 200 for unknown tokens too (§2.2), so only
   * a failure to reach it is reported, as `false`; logout goes on regardless.
   */
  async revoke(token: string, hint: 'refresh_token' | 'access_token'): Promise<boolean> {
    try {
      const response = await this.postForm('revocation_endpoint', { token, token_type_hint: hint });
      if (response.status === 200) return true;
      this.logger.warn(`token revocation answered ${response.status} (${errorCode(response.data) ?? 'no error code'})`);
    } catch {
      this.logger.warn('token revocation failed: the provider is unreachable');
    }
    return false;
  }

  private async postForm(endpoint: Endpoint, form: Record<string, string>): Promise<EndpointResponse> {
    const url = (await this.metadata())[endpoint];
    if (!url) throw new OAuthFlowError('server_error');
    try {
      const response = await firstValueFrom(
        this.http.post<unknown>(url, new URLSearchParams(form).toString(), {
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            accept: 'application/json',
            authorization: this.clientAuthorization(),
          },
          timeout: this.settings.httpTimeoutMs,
          maxRedirects: 0,
          validateStatus: () => true,
        }),
      );
      return { status: response.status, data: response.data };
    } catch {
      // Network errors carry the request (with our client secret) in their fields: never log them.
      throw new OAuthFlowError('temporarily_unavailable');
    }
  }

  private tokenSet(response: EndpointResponse, grant: string): TokenSet {
    if (response.status === 200) {
      const tokens = parseTokenResponse(response.data);
      if (tokens) return tokens;
      this.logger.warn(`${grant} grant: malformed token response`);
      throw new OAuthFlowError('server_error');
    }
    const code = errorCode(response.data);
    if (response.status === 400 && code === 'invalid_grant') throw new OAuthFlowError('invalid_grant');
    if (response.status >= 500) throw new OAuthFlowError('temporarily_unavailable');
    // invalid_client, unauthorized_client and the like: our configuration, not the caller.
    this.logger.warn(`${grant} grant refused with ${response.status} (${code ?? 'no error code'})`);
    throw new OAuthFlowError('server_error');
  }

  // RFC 6749 §2.3.1: client_secret_basic with form-encoded id and secret.
  private clientAuthorization(): string {
    const credentials = `${encodeURIComponent(this.settings.clientId)}:${encodeURIComponent(this.settings.clientSecret)}`;
    return `Basic ${Buffer.from(credentials).toString('base64')}`;
  }

  private async endpointUrl(endpoint: Endpoint, params: Record<string, string | undefined>): Promise<string> {
    const base = (await this.metadata())[endpoint];
    if (!base) throw new OAuthFlowError('server_error');
    const url = new URL(base);
    for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(name, value);
    return url.toString();
  }

  private async metadata(): Promise<ProviderMetadata> {
    try {
      return await this.discovery.metadata();
    } catch {
      throw new OAuthFlowError('temporarily_unavailable');
    }
  }
}
