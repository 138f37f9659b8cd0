import type { CookieOptions, Request, Response } from 'express';
import { readCookie, SessionCookies } from './session-cookies';
import { testBrowserSettings } from './testing/session-fixtures';

interface Written {
  name: string;
  value?: string;
  options: CookieOptions;
}

function recordingResponse(written: Written[]): Response {
  return {
    cookie: (name: string, value: string, options: CookieOptions) => void written.push({ name, value, options }),
    clearCookie: (name: string, options: CookieOptions) => void written.push({ name, options }),
  } as unknown as Response;
}

describe('SessionCookies', () => {
  it('writes the session cookie HttpOnly, SameSite from the options, Secure outside localhost, expiring with the session', () => {
    const written: Written[] = [];
    const expiresAt = Date.now() + 3_600_000;
    new SessionCookies(testBrowserSettings({ publicBaseUrl: 'https://app.example.com', cookie: { sameSite: 'strict' } })).setSession(
      recordingResponse(written),
      'id',
      expiresAt,
    );
    expect(written).toEqual([
      { name: 'nka.sid', value: 'id', options: { httpOnly: true, secure: true, sameSite: 'strict', path: '/', expires: new Date(expiresAt) } },
    ]);
  });

  it('keeps the login binding Lax (the callback is a cross-site navigation) and scoped to /auth', () => {
    const written: Written[] = [];
    new SessionCookies(testBrowserSettings({ cookie: { sameSite: 'strict' } })).setLoginBinding(recordingResponse(written), 'b', 600);
    expect(written[0]).toEqual({
      name: 'nka.sid.login',
      value: 'b',
      options: { httpOnly: true, secure: false, sameSite: 'lax', path: '/auth', maxAge: 600_000 },
    });
  });

  it('clears with the same name, path and flags it wrote with', () => {
    const written: Written[] = [];
    const cookies = new SessionCookies(testBrowserSettings({ cookie: { name: 'app.sid' } }));
    cookies.clearSession(recordingResponse(written));
    cookies.clearLoginBinding(recordingResponse(written));
    expect(written.map((w) => [w.name, w.options.path, w.options.httpOnly])).toEqual([
      ['app.sid', '/', true],
      ['app.sid.login', '/auth', true],
    ]);
  });
});

describe('readCookie', () => {
  it("uses cookie-parser's result when present", () => {
    expect(readCookie({ cookies: { 'nka.sid': 'v' }, headers: {} } as unknown as Request, 'nka.sid')).toBe('v');
    expect(readCookie({ cookies: { 'nka.sid': ['v'] }, headers: {} } as unknown as Request, 'nka.sid')).toBeUndefined();
  });

  it('falls back to the Cookie header, matching the whole name', () => {
    const request = { headers: { cookie: 'xnka.sid=evil; nka.sid=good; other=1' } } as unknown as Request;
    expect(readCookie(request, 'nka.sid')).toBe('good');
    expect(readCookie({ headers: {} } as unknown as Request, 'nka.sid')).toBeUndefined();
  });
});
