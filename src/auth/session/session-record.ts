import { BROWSER_DEFAULTS } from './browser-defaults';

/** The tokens Keycloak's token endpoint answered with (RFC 6749 §5.1), validated for shape. */
export interface TokenSet {
  accessToken: string;
  /** Seconds the access token lives, from `expires_in`. */
  expiresIn: number;
  refreshToken?: string;
  /** Keycloak's `refresh_expires_in`; 0 or absent when unknown or unlimited (offline). */
  refreshExpiresIn?: number;
  idToken?: string;
}

/**
 * A server-side browser session. Tokens never leave the server; the browser
 * holds only a random id whose hash is the store key.
 */
export interface SessionRecord {
  subject: string;
  /** Keycloak's `sid`, matched by back-channel logout. */
  keycloakSessionId?: string;
  accessToken: string;
  /** Epoch ms. */
  accessTokenExpiresAt: number;
  /** Epoch ms after which a request refreshes the tokens first. */
  refreshAt: number;
  refreshToken?: string;
  /** Epoch ms; absent when Keycloak did not say. */
  refreshTokenExpiresAt?: number;
  /** Kept for `id_token_hint` at logout. */
  idToken?: string;
  /** Synchronizer token for unsafe requests. */
  csrfToken: string;
  /** Epoch ms. */
  createdAt: number;
  /** Epoch ms; the session ends here whatever Keycloak says. */
  expiresAt: number;
}

/** The token-derived part of a session, rewritten by every refresh. */
export type SessionTokens = Pick<
  SessionRecord,
  'accessToken' | 'accessTokenExpiresAt' | 'refreshAt' | 'refreshToken' | 'refreshTokenExpiresAt' | 'idToken'
>;

/** A started login waiting for its callback, stored under the hash of its `state`. */
export interface PendingLogin {
  nonce: string;
  codeVerifier: string;
  returnTo: string;
  /** Hash of the browser-binding cookie, so a state is only good in the browser that started it. */
  bindingHash: string;
}

/** The record after a token response: the one place expiry times are derived from it. */
export function withTokens(
  record: Omit<SessionRecord, keyof SessionTokens> & Partial<SessionTokens>,
  tokens: TokenSet,
  now: number,
): SessionRecord {
  const lifetimeMs = tokens.expiresIn * 1000;
  return {
    ...record,
    accessToken: tokens.accessToken,
    accessTokenExpiresAt: now + lifetimeMs,
    refreshAt: now + lifetimeMs - Math.min(BROWSER_DEFAULTS.refreshLeewaySec * 1000, lifetimeMs / 3),
    // Keycloak may omit the refresh token on refresh; the old one then stays valid.
    refreshToken: tokens.refreshToken ?? record.refreshToken,
    refreshTokenExpiresAt: tokens.refreshToken
      ? tokens.refreshExpiresIn
        ? now + tokens.refreshExpiresIn * 1000
        : undefined
      : record.refreshTokenExpiresAt,
    idToken: tokens.idToken ?? record.idToken,
  };
}
