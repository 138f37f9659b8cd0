import type { Request, Response } from 'express';
import type { BearerAuthenticator } from '../bearer/bearer-authenticator.service';
import { InvalidTokenError, type AuthPrincipal } from '../token';
import { MemorySessionStore } from './memory-session-store';
import { randomToken, sha256 } from './secrets';
import { SessionAuthenticatorService } from './session-authenticator.service';
import { CsrfError, InvalidSessionError } from './session-errors';
import type { SessionRecord } from './session-record';
import type { SessionRefresher } from './session-refresher';
import { sessionRecord, testBrowserSettings } from './testing/session-fixtures';

const ORIGIN = 'http://localhost:3100';

const record = () => sessionRecord({ accessToken: 'access-token', csrfToken: 'c'.repeat(43) });

describe('SessionAuthenticatorService', () => {
  let store: MemorySessionStore;
  let authenticator: SessionAuthenticatorService;
  let refreshes: number;
  let verify: jest.Mock<Promise<AuthPrincipal>, [string]>;
  let cleared: string[];
  const id = randomToken();

  beforeEach(async () => {
    store = new MemorySessionStore();
    refreshes = 0;
    cleared = [];
    verify = jest.fn((token: string) => Promise.resolve({ subject: 'alice-id', username: token } as AuthPrincipal));
    const refresher = {
      refreshIfDue: (_key: string, current: SessionRecord) => {
        refreshes++;
        return Promise.resolve(current);
      },
    } as unknown as SessionRefresher;
    const settings = testBrowserSettings({ publicBaseUrl: ORIGIN });
    authenticator = new SessionAuthenticatorService(settings, store, refresher, { verify } as unknown as BearerAuthenticator);
    await store.create(sha256(id), record());
  });

  function request(method: string, cookie: string | undefined, headers: Record<string, string> = {}): Request {
    return { method, headers, cookies: cookie === undefined ? {} : { 'nka.sid': cookie } } as unknown as Request;
  }

  const response = () => ({ clearCookie: (name: string) => void cleared.push(name) }) as unknown as Response;

  it('has nothing to say about a request without a session cookie', async () => {
    expect(await authenticator.authenticate(request('GET', undefined), response())).toBeUndefined();
    expect(verify).not.toHaveBeenCalled();
  });

  it("returns the principal of the session's access token", async () => {
    const principal = await authenticator.authenticate(request('GET', id), response());
    expect(principal?.subject).toBe('alice-id');
    expect(verify).toHaveBeenCalledWith('access-token');
    expect(refreshes).toBe(1);
  });

  it('refuses a malformed or unknown cookie and clears it, without touching the store for malformed ones', async () => {
    await expect(authenticator.authenticate(request('GET', 'short'), response())).rejects.toBeInstanceOf(InvalidSessionError);
    await expect(authenticator.authenticate(request('GET', randomToken()), response())).rejects.toBeInstanceOf(InvalidSessionError);
    expect(cleared).toEqual(['nka.sid', 'nka.sid']);
    expect(verify).not.toHaveBeenCalled();
  });

  it('refuses an unsafe request without the CSRF token before refreshing anything', async () => {
    await expect(authenticator.authenticate(request('POST', id), response())).rejects.toBeInstanceOf(CsrfError);
    await expect(
      authenticator.authenticate(request('DELETE', id, { 'x-csrf-token': 'c'.repeat(43), origin: 'https://evil.example' }), response()),
    ).rejects.toBeInstanceOf(CsrfError);
    expect(refreshes).toBe(0);
    expect(await store.get(sha256(id))).toBeDefined();
    const principal = await authenticator.authenticate(request('POST', id, { 'x-csrf-token': 'c'.repeat(43), origin: ORIGIN }), response());
    expect(principal?.subject).toBe('alice-id');
  });

  it('ends a session whose access token no longer verifies', async () => {
    verify.mockRejectedValueOnce(new InvalidTokenError('bad_signature'));
    await expect(authenticator.authenticate(request('GET', id), response())).rejects.toBeInstanceOf(InvalidSessionError);
    expect(await store.get(sha256(id))).toBeUndefined();
    expect(cleared).toEqual(['nka.sid']);
  });
});
