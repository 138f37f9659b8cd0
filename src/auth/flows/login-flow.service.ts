import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { BearerAuthenticator } from '../bearer/bearer-authenticator.service';
import { BROWSER_DEFAULTS } from '../session/browser-defaults';
import { isIssuedToken, randomToken, safeEqual, sha256 } from '../session/secrets';
import { SessionManager } from '../session/session-manager';
import { SESSION_STORE, type SessionStore } from '../session/session-store';
import { InvalidTokenError } from '../token';
import { FlowTokenVerifiers } from './flow-token-verifiers';
import { OAuthFlowError, type OAuthErrorCode } from './oauth-flow.error';
import { OidcClient } from './oidc-client.service';
import { createPkcePair } from './pkce';
import { safeReturnTo } from './return-to';

/** Query parameters of the redirect back from Keycloak (RFC 6749 §4.1.2, §4.1.2.1). */
export interface CallbackQuery {
  state?: unknown;
  code?: unknown;
  error?: unknown;
}

/** Authorization errors Keycloak may send back that a caller can act on; anything else is `access_denied`. */
const PASSED_ON: ReadonlySet<string> = new Set<OAuthErrorCode>(['access_denied', 'login_required', 'temporarily_unavailable']);

/** Far above any code Keycloak issues; bounds what reaches the token endpoint. */
const MAX_CODE_LENGTH = 2048;

/**
 * Authorization code flow with PKCE for browsers (RFC 6749 §4.1, RFC 7636,
 * OIDC Core §3.1, OAuth Security BCP §2.1): fresh state, nonce and verifier
 * per login, kept on the server under the state's hash and bound to the
 * browser that started the login.
 */
@Injectable()
export class LoginFlow {
  private readonly logger = new Logger('LoginFlow');

  constructor(
    @Inject(SESSION_STORE) private readonly store: SessionStore,
    private readonly oidc: OidcClient,
    private readonly verifiers: FlowTokenVerifiers,
    private readonly bearer: BearerAuthenticator,
    private readonly sessions: SessionManager,
  ) {}

  /** Starts a login; returns the authorization URL to redirect the browser to. */
  async begin(request: Request, response: Response, returnTo: unknown): Promise<string> {
    // One binding per browser, reused, so logins started in two tabs both complete.
    const current = this.sessions.cookies.loginBinding(request);
    const binding = isIssuedToken(current) ? current : randomToken();
    const state = randomToken(BROWSER_DEFAULTS.stateBytes);
    const nonce = randomToken(BROWSER_DEFAULTS.stateBytes);
    const pkce = createPkcePair();
    await this.store.savePendingLogin(
      sha256(state),
      { nonce, codeVerifier: pkce.verifier, returnTo: safeReturnTo(returnTo), bindingHash: sha256(binding) },
      BROWSER_DEFAULTS.loginTtlSec,
    );
    this.sessions.cookies.setLoginBinding(response, binding, BROWSER_DEFAULTS.loginTtlSec);
    return this.oidc.authorizationUrl({ state, nonce, codeChallenge: pkce.challenge });
  }

  /** Completes a login; returns the same-origin path to land on. */
  async complete(request: Request, response: Response, query: CallbackQuery): Promise<string> {
    const state = query.state;
    if (!isIssuedToken(state)) throw new OAuthFlowError('invalid_request', 400, 'The state is missing or invalid');
    // Taken, not read: whatever happens next, this state cannot be used again.
    const pending = await this.store.takePendingLogin(sha256(state));
    const binding = this.sessions.cookies.loginBinding(request);
    if (!pending || !isIssuedToken(binding) || !safeEqual(sha256(binding), pending.bindingHash)) {
      throw new OAuthFlowError('invalid_request', 400, 'The state is unknown, used, expired or from another browser');
    }
    if (query.error !== undefined) {
      const code = typeof query.error === 'string' && PASSED_ON.has(query.error) ? query.error : 'access_denied';
      throw new OAuthFlowError(code as OAuthErrorCode, code === 'temporarily_unavailable' ? 503 : 400);
    }
    const code = query.code;
    if (typeof code !== 'string' || code.length === 0 || code.length > MAX_CODE_LENGTH) {
      throw new OAuthFlowError('invalid_request', 400, 'The authorization code is missing');
    }

    const tokens = await this.oidc.exchangeCode(code, pending.codeVerifier);
    if (!tokens.idToken) throw new OAuthFlowError('server_error');
    let owner;
    try {
      const id = await this.verifiers.idTokens.verify(tokens.idToken, { nonce: pending.nonce });
      // The access token must be for this API and the same user, or the session would be someone else's.
      const principal = await this.bearer.verify(tokens.accessToken);
      if (principal.subject !== id.sub) throw new InvalidTokenError('invalid_claim');
      owner = { subject: id.sub, keycloakSessionId: typeof id.sid === 'string' ? id.sid : undefined };
    } catch (error) {
      if (!(error instanceof InvalidTokenError)) throw error;
      this.logger.warn(`login refused: token check failed (${error.reason})`);
      throw new OAuthFlowError('invalid_grant', 400, 'The tokens from the identity provider failed validation');
    }
    await this.sessions.start(request, response, owner, tokens);
    this.logger.log(`session started for ${owner.subject}`);
    return pending.returnTo;
  }
}
