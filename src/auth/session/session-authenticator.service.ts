import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { BearerAuthenticator } from '../bearer/bearer-authenticator.service';
import type { SessionAuthenticator } from '../guards/session-authenticator';
import { InvalidTokenError, type AuthPrincipal } from '../token';
import { BROWSER_SETTINGS, type BrowserSettings } from './browser-settings';
import { assertCsrf, needsCsrfCheck } from './csrf';
import { isIssuedToken, sha256 } from './secrets';
import { SessionCookies } from './session-cookies';
import { InvalidSessionError } from './session-errors';
import type { SessionRecord } from './session-record';
import { SessionRefresher } from './session-refresher';
import { SESSION_STORE, type SessionStore } from './session-store';

/** A request's live session: its store key, the record and the verified caller. */
export interface ActiveSession {
  key: string;
  record: SessionRecord;
  principal: AuthPrincipal;
}

/**
 * The guard's way into browser sessions. The principal comes from verifying
 * the session's access token exactly like a bearer token, so roles and expiry
 * mean the same in both modes.
 */
@Injectable()
export class SessionAuthenticatorService implements SessionAuthenticator {
  private readonly cookies: SessionCookies;

  constructor(
    @Inject(BROWSER_SETTINGS) private readonly settings: BrowserSettings,
    @Inject(SESSION_STORE) private readonly store: SessionStore,
    private readonly refresher: SessionRefresher,
    private readonly bearer: BearerAuthenticator,
  ) {
    this.cookies = new SessionCookies(settings);
  }

  async authenticate(request: Request, response: Response): Promise<AuthPrincipal | undefined> {
    const session = await this.resolve(request, response, { csrf: needsCsrfCheck(request.method) });
    return session?.principal;
  }

  /**
   * `undefined` without a session cookie; otherwise the live session, or an
   * `AuthError` (and the stale cookie cleared). CSRF is checked before the
   * refresh, so a forged request changes nothing at all.
   */
  async resolve(request: Request, response: Response, options: { csrf: boolean }): Promise<ActiveSession | undefined> {
    const loaded = await this.load(request, response, options);
    if (!loaded) return undefined;
    const { key, record: stored } = loaded;
    try {
      const record = await this.refresher.refreshIfDue(key, stored);
      return { key, record, principal: await this.bearer.verify(record.accessToken) };
    } catch (error) {
      if (error instanceof InvalidSessionError) this.cookies.clearSession(response);
      if (!(error instanceof InvalidTokenError)) throw error;
      // The access token no longer verifies (keys rotated away, realm changed): the session is over.
      await this.store.delete(key);
      this.cookies.clearSession(response);
      throw new InvalidSessionError('expired');
    }
  }

  /**
   * The stored session of the request's cookie, CSRF-checked when asked,
   * without refreshing or verifying tokens (logout needs no more).
   */
  async load(
    request: Request,
    response: Response,
    options: { csrf: boolean },
  ): Promise<{ key: string; record: SessionRecord } | undefined> {
    const id = this.cookies.sessionId(request);
    if (id === undefined) return undefined;
    const key = isIssuedToken(id) ? sha256(id) : undefined;
    const record = key === undefined ? undefined : await this.store.get(key);
    if (key === undefined || record === undefined) {
      this.cookies.clearSession(response);
      throw new InvalidSessionError(key === undefined ? 'malformed' : 'inactive');
    }
    if (options.csrf) assertCsrf(request, record.csrfToken, this.settings.publicOrigin);
    return { key, record };
  }

  /** Refreshes the request's session now (POST /auth/refresh in session mode). */
  async refreshNow(session: ActiveSession, response: Response): Promise<ActiveSession> {
    try {
      const record = await this.refresher.refresh(session.key, session.record, true);
      return { ...session, record, principal: await this.bearer.verify(record.accessToken) };
    } catch (error) {
      if (error instanceof InvalidSessionError) this.cookies.clearSession(response);
      throw error;
    }
  }
}
