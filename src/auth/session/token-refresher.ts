import type { TokenSet } from './session-record';

/** What sessions need from the OIDC client: a refresh grant (RFC 6749 §6). */
export interface TokenRefresher {
  /**
   * New tokens; `undefined` when Keycloak refused the grant (refresh token
   * expired or revoked, SSO session ended); rejects when Keycloak cannot be reached.
   */
  refresh(refreshToken: string): Promise<TokenSet | undefined>;
}

/** Injection token of the `TokenRefresher` (the flows' OIDC client). */
export const TOKEN_REFRESHER = Symbol('TOKEN_REFRESHER');
