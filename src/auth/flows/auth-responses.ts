import type { Request } from 'express';
import type { ActiveSession } from '../session/session-authenticator.service';
import type { TokenSet } from '../session/session-record';

/** What `/auth/me` tells a page about its session: the user and the CSRF token, no tokens. */
export interface SessionView {
  user: {
    subject: string;
    username?: string;
    email?: string;
    name?: string;
    realmRoles: readonly string[];
    clientRoles: Readonly<Record<string, readonly string[]>>;
  };
  csrfToken: string;
  /** When the current access token expires (epoch ms); the server refreshes it before then. */
  accessTokenExpiresAt: number;
  /** When the session ends at the latest (epoch ms). */
  sessionExpiresAt: number;
}

export function sessionView({ principal, record }: ActiveSession): SessionView {
  return {
    user: {
      subject: principal.subject,
      username: principal.username,
      email: principal.email,
      name: principal.name,
      realmRoles: principal.realmRoles,
      clientRoles: principal.clientRoles,
    },
    csrfToken: record.csrfToken,
    accessTokenExpiresAt: record.accessTokenExpiresAt,
    sessionExpiresAt: record.expiresAt,
  };
}

/** RFC 6749 §5.1 token response for bearer clients. */
export function tokenResponse(tokens: TokenSet): Record<string, string | number> {
  const body: Record<string, string | number> = {
    access_token: tokens.accessToken,
    token_type: 'Bearer',
    expires_in: tokens.expiresIn,
  };
  if (tokens.refreshToken) body.refresh_token = tokens.refreshToken;
  if (tokens.refreshExpiresIn) body.refresh_expires_in = tokens.refreshExpiresIn;
  if (tokens.idToken) body.id_token = tokens.idToken;
  return body;
}

/** A plain HTML form post (no script) wants a redirect; script callers get JSON. */
export function wantsHtml(request: Request): boolean {
  return request.accepts(['application/json', 'text/html']) === 'text/html';
}
