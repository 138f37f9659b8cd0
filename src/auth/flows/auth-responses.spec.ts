import express, { type Request } from 'express';
import type { ActiveSession } from '../session/session-authenticator.service';
import { sessionRecord } from '../session/testing/session-fixtures';
import type { AuthPrincipal } from '../token';
import { sessionView, tokenResponse, wantsHtml } from './auth-responses';

describe('auth responses', () => {
  it('shows the session user and CSRF token, never a token or raw claims', () => {
    const principal = {
      subject: 's',
      username: 'alice',
      realmRoles: ['user'],
      clientRoles: { 'nest-api': ['reports:read'] },
      claims: { iss: 'x', secret: 'raw-claim' },
    } as unknown as AuthPrincipal;
    const record = sessionRecord({ accessToken: 'ACCESS', refreshToken: 'REFRESH', idToken: 'IDTOKEN', csrfToken: 'CSRF' });
    const view = sessionView({ key: 'k', record, principal } as ActiveSession);
    expect(view.user).toEqual({ subject: 's', username: 'alice', email: undefined, name: undefined, realmRoles: ['user'], clientRoles: { 'nest-api': ['reports:read'] } });
    expect(view.csrfToken).toBe('CSRF');
    expect(JSON.stringify(view)).not.toMatch(/ACCESS|REFRESH|IDTOKEN|raw-claim/);
  });

  it('answers bearer clients in the RFC 6749 §5.1 shape', () => {
    expect(tokenResponse({ accessToken: 'a', expiresIn: 300, refreshToken: 'r', refreshExpiresIn: 1800 })).toEqual({
      access_token: 'a',
      token_type: 'Bearer',
      expires_in: 300,
      refresh_token: 'r',
      refresh_expires_in: 1800,
    });
    expect(tokenResponse({ accessToken: 'a', expiresIn: 300 })).toEqual({ access_token: 'a', token_type: 'Bearer', expires_in: 300 });
  });

  it('redirects HTML form posts and answers scripts with JSON', () => {
    // Express's own request prototype, so its real content negotiation decides.
    const request = (accept: string) => Object.assign(Object.create(express.request) as Request, { headers: { accept } });
    expect(wantsHtml(request('text/html,application/xhtml+xml,*/*;q=0.8'))).toBe(true);
    expect(wantsHtml(request('application/json'))).toBe(false);
    expect(wantsHtml(request('*/*'))).toBe(false);
  });
});
