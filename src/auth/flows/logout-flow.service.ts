import { Injectable, Logger } from '@nestjs/common';
import { randomToken } from '../session/secrets';
import type { SessionRecord } from '../session/session-record';
import { SessionManager } from '../session/session-manager';
import { InvalidLogoutTokenError, TOKEN_DEFAULTS } from '../token';
import { FlowTokenVerifiers } from './flow-token-verifiers';
import { OAuthFlowError } from './oauth-flow.error';
import { OidcClient } from './oidc-client.service';

/**
 * Ending sessions: RP-initiated logout for a browser session (revoke at
 * Keycloak, then send the browser to Keycloak's end-session endpoint), token
 * revocation for bearer clients, and back-channel logout from Keycloak.
 */
@Injectable()
export class LogoutFlow {
  private readonly logger = new Logger('LogoutFlow');

  constructor(
    private readonly oidc: OidcClient,
    private readonly sessions: SessionManager,
    private readonly verifiers: FlowTokenVerifiers,
  ) {}

  /**
   * After the session record is gone: revoke its refresh token (RFC 7009) so
   * it is useless even if it leaked, and build the end-session URL that ends
   * the SSO session in the browser (RP-Initiated Logout 1.0 §2).
   */
  async endedSession(record: SessionRecord): Promise<string | undefined> {
    if (record.refreshToken) await this.oidc.revoke(record.refreshToken, 'refresh_token');
    this.logger.log(`session ended by logout for ${record.subject}`);
    // `state` is opaque to Keycloak and comes back on the post-logout redirect; nothing here depends on it.
    return this.oidc.endSessionUrl({ idTokenHint: record.idToken, state: randomToken(16) });
  }

  /** Bearer clients: revoke the refresh token they hold. */
  async revokeForClient(refreshToken: string): Promise<void> {
    if (!(await this.oidc.revoke(refreshToken, 'refresh_token'))) throw new OAuthFlowError('temporarily_unavailable');
  }

  /**
   * Back-Channel Logout 1.0 §2.5-2.8: validate the logout token fully, then end
   * every session of that Keycloak session (`sid`), or of the user when the
   * token names only `sub`. Returns how many sessions ended.
   */
  async backChannel(logoutToken: unknown): Promise<number> {
    if (typeof logoutToken !== 'string' || logoutToken === '' || logoutToken.length > TOKEN_DEFAULTS.maxTokenLength) {
      throw new OAuthFlowError('invalid_request', 400, 'The logout token is missing or invalid');
    }
    let claims;
    try {
      claims = await this.verifiers.logoutTokens.verify(logoutToken);
    } catch (error) {
      if (!(error instanceof InvalidLogoutTokenError)) throw error;
      this.logger.warn(`back-channel logout refused (${error.reason})`);
      throw new OAuthFlowError('invalid_request', 400, 'The logout token is missing or invalid');
    }
    const ended = claims.sid
      ? await this.sessions.endByKeycloakSession(claims.sid)
      : await this.sessions.endBySubject(claims.sub as string);
    this.logger.log(`back-channel logout (jti ${claims.jti}) ended ${ended} session(s)`);
    return ended;
  }
}
