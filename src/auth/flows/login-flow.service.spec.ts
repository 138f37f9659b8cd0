import { Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { BearerAuthenticator } from '../bearer/bearer-authenticator.service';
import { MemorySessionStore } from '../session/memory-session-store';
import { randomToken, sha256 } from '../session/secrets';
import { SessionManager } from '../session/session-manager';
import type { TokenSet } from '../session/session-record';
import { testBrowserSettings } from '../session/testing/session-fixtures';
import { IdTokenVerifier, type AuthPrincipal } from '../token';
import { ISSUER, StaticKeySource, rsaKey, signJwt } from '../token/testing/tokens';
import type { FlowTokenVerifiers } from './flow-token-verifiers';
import { LoginFlow } from './login-flow.service';
import { OAuthFlowError } from './oauth-flow.error';
import type { OidcClient } from './oidc-client.service';

const key = rsaKey('k1');
const SUBJECT = 'alice-id';

/** Just enough of Express: cookies in, cookies out. */
class FakeBrowser {
  jar: Record<string, string> = {};
  request(query: Record<string, unknown> = {}): Request {
    return { cookies: { ...this.jar }, headers: {}, query } as unknown as Request;
  }
  response(): Response {
    return {
      cookie: (name: string, value: string) => void (this.jar[name] = value),
      clearCookie: (name: string) => void delete this.jar[name],
    } as unknown as Response;
  }
}

function idToken(claims: Record<string, unknown>): string {
  const now = Math.floor(Date.now() / 1000);
  return signJwt({ iss: ISSUER, aud: 'nest-api', azp: 'nest-api', sub: SUBJECT, typ: 'ID', iat: now, exp: now + 300, sid: 'kc-1', ...claims }, key);
}

describe('LoginFlow', () => {
  let store: MemorySessionStore;
  let flow: LoginFlow;
  let browser: FakeBrowser;
  let authorizeParams: { state: string; nonce: string; codeChallenge: string };
  let exchange: jest.Mock<Promise<TokenSet>, [string, string]>;
  let accessTokenSubject: string;

  beforeAll(() => Logger.overrideLogger(false));

  beforeEach(() => {
    store = new MemorySessionStore();
    browser = new FakeBrowser();
    accessTokenSubject = SUBJECT;
    const settings = testBrowserSettings();
    exchange = jest.fn();
    const oidc = {
      authorizationUrl: (params: typeof authorizeParams) => {
        authorizeParams = params;
        return Promise.resolve('https://sso.example.test/auth');
      },
      exchangeCode: exchange,
    } as unknown as OidcClient;
    const verifiers = {
      idTokens: new IdTokenVerifier({ issuer: ISSUER, clientId: 'nest-api', keySource: new StaticKeySource([key]) }),
    } as FlowTokenVerifiers;
    const bearer = { verify: () => Promise.resolve({ subject: accessTokenSubject } as AuthPrincipal) } as unknown as BearerAuthenticator;
    flow = new LoginFlow(store, oidc, verifiers, bearer, new SessionManager(settings, store));
  });

  async function begin(returnTo: unknown = '/reports'): Promise<void> {
    await flow.begin(browser.request(), browser.response(), returnTo);
  }

  function tokens(nonce: string): TokenSet {
    return { accessToken: 'access', expiresIn: 300, refreshToken: 'refresh', idToken: idToken({ nonce }) };
  }

  async function complete(query: Record<string, unknown>): Promise<string> {
    return flow.complete(browser.request(query), browser.response(), query);
  }

  async function refusal(query: Record<string, unknown>): Promise<string> {
    try {
      await complete(query);
    } catch (error) {
      if (error instanceof OAuthFlowError) return `${error.getStatus()} ${error.code}`;
      throw error;
    }
    return 'accepted';
  }

  it('starts a login with fresh 256-bit state, nonce and PKCE, bound to the browser', async () => {
    await begin();
    const first = authorizeParams;
    expect(first.state).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.nonce).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.codeChallenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(browser.jar['nka.sid.login']).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await begin();
    expect(authorizeParams.state).not.toBe(first.state);
    expect(authorizeParams.nonce).not.toBe(first.nonce);
  });

  it('completes: exchanges the code with the verifier, starts a session and returns returnTo', async () => {
    await begin('/reports?q=1');
    exchange.mockResolvedValue(tokens(authorizeParams.nonce));
    expect(await complete({ state: authorizeParams.state, code: 'the-code' })).toBe('/reports?q=1');
    const [code, verifier] = exchange.mock.calls[0];
    expect(code).toBe('the-code');
    expect(sha256(verifier)).toBe(authorizeParams.codeChallenge);
    const sessionId = browser.jar['nka.sid'];
    expect(store.size).toBe(1);
    expect(await store.get(sha256(sessionId))).toMatchObject({ subject: SUBJECT, keycloakSessionId: 'kc-1', refreshToken: 'refresh' });
  });

  it('refuses an ID token with another nonce, and starts no session', async () => {
    await begin();
    exchange.mockResolvedValue(tokens('a-nonce-from-another-login'));
    expect(await refusal({ state: authorizeParams.state, code: 'c' })).toBe('400 invalid_grant');
    expect(store.size).toBe(0);
    expect(browser.jar['nka.sid']).toBeUndefined();
  });

  it('refuses an ID token without a nonce', async () => {
    await begin();
    exchange.mockResolvedValue({ ...tokens(''), idToken: idToken({}) });
    expect(await refusal({ state: authorizeParams.state, code: 'c' })).toBe('400 invalid_grant');
    expect(store.size).toBe(0);
  });

  it("refuses an access token of another user than the ID token's", async () => {
    await begin();
    accessTokenSubject = 'mallory-id';
    exchange.mockResolvedValue(tokens(authorizeParams.nonce));
    expect(await refusal({ state: authorizeParams.state, code: 'c' })).toBe('400 invalid_grant');
    expect(store.size).toBe(0);
  });

  it('uses a state once: a replayed callback is refused before any code exchange', async () => {
    await begin();
    exchange.mockResolvedValue(tokens(authorizeParams.nonce));
    await complete({ state: authorizeParams.state, code: 'c' });
    expect(await refusal({ state: authorizeParams.state, code: 'c' })).toBe('400 invalid_request');
    expect(exchange).toHaveBeenCalledTimes(1);
  });

  it('refuses a missing, unknown or foreign-browser state without exchanging the code', async () => {
    await begin();
    expect(await refusal({ code: 'c' })).toBe('400 invalid_request');
    expect(await refusal({ state: randomToken(), code: 'c' })).toBe('400 invalid_request');
    expect(await refusal({ state: [authorizeParams.state], code: 'c' })).toBe('400 invalid_request');
    const state = authorizeParams.state;
    browser.jar['nka.sid.login'] = randomToken();
    expect(await refusal({ state, code: 'c' })).toBe('400 invalid_request');
    expect(exchange).not.toHaveBeenCalled();
  });

  it("maps Keycloak's error responses to fixed OAuth errors", async () => {
    await begin();
    expect(await refusal({ state: authorizeParams.state, error: 'access_denied' })).toBe('400 access_denied');
    await begin();
    expect(await refusal({ state: authorizeParams.state, error: 'something_odd' })).toBe('400 access_denied');
    await begin();
    expect(await refusal({ state: authorizeParams.state })).toBe('400 invalid_request');
    expect(exchange).not.toHaveBeenCalled();
  });

  it('replaces a session planted before login (fixation) with a new id', async () => {
    await begin();
    exchange.mockResolvedValue(tokens(authorizeParams.nonce));
    await complete({ state: authorizeParams.state, code: 'c' });
    const planted = browser.jar['nka.sid'];
    await begin();
    exchange.mockResolvedValue(tokens(authorizeParams.nonce));
    await complete({ state: authorizeParams.state, code: 'c' });
    expect(browser.jar['nka.sid']).not.toBe(planted);
    expect(await store.get(sha256(planted))).toBeUndefined();
    expect(store.size).toBe(1);
  });

  it('stores only a safe returnTo', async () => {
    await begin('https://evil.example');
    exchange.mockResolvedValue(tokens(authorizeParams.nonce));
    expect(await complete({ state: authorizeParams.state, code: 'c' })).toBe('/');
  });
});
