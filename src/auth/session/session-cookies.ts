import type { CookieOptions, Request, Response } from 'express';
import type { BrowserSettings } from './browser-settings';

/** Only the callback needs the login binding, so the browser sends it nowhere else. */
const LOGIN_COOKIE_PATH = '/auth';

/**
 * Reads and writes the two cookies the browser holds: the session id and the
 * short-lived login binding. Both are HttpOnly so page scripts (and XSS) never
 * see them.
 */
export class SessionCookies {
  constructor(private readonly settings: BrowserSettings) {}

  sessionId(request: Request): string | undefined {
    return readCookie(request, this.settings.cookie.name);
  }

  loginBinding(request: Request): string | undefined {
    return readCookie(request, this.settings.cookie.loginName);
  }

  setSession(response: Response, id: string, expiresAt: number): void {
    response.cookie(this.settings.cookie.name, id, { ...this.base(), expires: new Date(expiresAt) });
  }

  clearSession(response: Response): void {
    response.clearCookie(this.settings.cookie.name, this.base());
  }

  setLoginBinding(response: Response, binding: string, ttlSec: number): void {
    response.cookie(this.settings.cookie.loginName, binding, {
      ...this.base(),
      path: LOGIN_COOKIE_PATH,
      maxAge: ttlSec * 1000,
      // The callback is a top-level navigation from Keycloak: Strict would withhold the cookie.
      sameSite: this.settings.cookie.sameSite === 'none' ? 'none' : 'lax',
    });
  }

  clearLoginBinding(response: Response): void {
    response.clearCookie(this.settings.cookie.loginName, { ...this.base(), path: LOGIN_COOKIE_PATH, sameSite: 'lax' });
  }

  private base(): CookieOptions {
    return { httpOnly: true, secure: this.settings.cookie.secure, sameSite: this.settings.cookie.sameSite, path: '/' };
  }
}

/** From cookie-parser's `request.cookies` when the app installed it, else from the header. */
export function readCookie(request: Request, name: string): string | undefined {
  const parsed = (request as { cookies?: Record<string, unknown> }).cookies;
  if (parsed && typeof parsed === 'object') {
    const value = parsed[name];
    return typeof value === 'string' ? value : undefined;
  }
  const header = request.headers.cookie;
  if (typeof header !== 'string') return undefined;
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq > 0 && pair.slice(0, eq).trim() === name) return pair.slice(eq + 1).trim();
  }
  return undefined;
}
