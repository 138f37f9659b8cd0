import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { BROWSER_SETTINGS, type BrowserSettings } from './browser-settings';
import { isIssuedToken, randomToken, sha256 } from './secrets';
import { SessionCookies } from './session-cookies';
import { withTokens, type SessionRecord, type TokenSet } from './session-record';
import { SESSION_STORE, type SessionStore } from './session-store';

/** Who a new session belongs to, from the verified ID token. */
export interface SessionOwner {
  subject: string;
  keycloakSessionId?: string;
}

/**
 * Starts and ends browser sessions: the store record and the cookie together,
 * so neither is ever written without the other.
 */
@Injectable()
export class SessionManager {
  readonly cookies: SessionCookies;

  constructor(
    @Inject(BROWSER_SETTINGS) private readonly settings: BrowserSettings,
    @Inject(SESSION_STORE) private readonly store: SessionStore,
  ) {
    this.cookies = new SessionCookies(settings);
  }

  /**
   * A new session with a new id. Whatever session the browser had before is
   * ended, so an id planted before login (session fixation) never becomes a
   * logged-in session.
   */
  async start(request: Request, response: Response, owner: SessionOwner, tokens: TokenSet): Promise<SessionRecord> {
    await this.endCurrent(request);
    const now = Date.now();
    const id = randomToken();
    const record = withTokens(
      {
        subject: owner.subject,
        keycloakSessionId: owner.keycloakSessionId,
        csrfToken: randomToken(),
        createdAt: now,
        expiresAt: now + this.settings.sessionTtlSec * 1000,
      },
      tokens,
      now,
    );
    await this.store.create(sha256(id), record);
    this.cookies.setSession(response, id, record.expiresAt);
    return record;
  }

  /** Ends a session and clears its cookie; returns what it held (for revocation and logout). */
  async end(key: string, response: Response): Promise<SessionRecord | undefined> {
    this.cookies.clearSession(response);
    const record = await this.store.get(key);
    return (await this.store.delete(key)) ? record : undefined;
  }

  private async endCurrent(request: Request): Promise<void> {
    const id = this.cookies.sessionId(request);
    if (isIssuedToken(id)) await this.store.delete(sha256(id));
  }

  /** Back-channel logout: every session of a Keycloak session, or of a user. */
  endByKeycloakSession(sid: string): Promise<number> {
    return this.store.deleteByKeycloakSession(sid);
  }

  endBySubject(subject: string): Promise<number> {
    return this.store.deleteBySubject(subject);
  }
}
