import { Logger } from '@nestjs/common';
import { MemorySessionStore } from '../session/memory-session-store';
import { SessionManager } from '../session/session-manager';
import type { SessionRecord } from '../session/session-record';
import { sessionRecord, testBrowserSettings } from '../session/testing/session-fixtures';
import { BACKCHANNEL_LOGOUT_EVENT, LogoutTokenVerifier } from '../token';
import { ISSUER, StaticKeySource, rsaKey, signJwt } from '../token/testing/tokens';
import type { FlowTokenVerifiers } from './flow-token-verifiers';
import { LogoutFlow } from './logout-flow.service';
import { OAuthFlowError } from './oauth-flow.error';
import type { OidcClient } from './oidc-client.service';

const key = rsaKey('k1');
let sequence = 0;

const session = (subject: string, sid: string): SessionRecord =>
  sessionRecord({ subject, keycloakSessionId: sid, refreshToken: `rt-${sid}`, idToken: `id-${sid}` });

/** What Keycloak sends (Back-Channel Logout §2.4), overridable claim by claim. */
function logoutToken(extra: Record<string, unknown> = {}): string {
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    iss: ISSUER,
    aud: 'nest-api',
    iat: now,
    exp: now + 120,
    jti: `jti-${++sequence}`,
    typ: 'Logout',
    sid: 'kc-1',
    sub: 'alice-id',
    events: { [BACKCHANNEL_LOGOUT_EVENT]: {} },
    ...extra,
  };
  return signJwt(JSON.parse(JSON.stringify(claims)) as Record<string, unknown>, key, { header: { typ: 'logout+jwt' } });
}

describe('LogoutFlow', () => {
  let store: MemorySessionStore;
  let flow: LogoutFlow;
  let revoked: string[];

  beforeAll(() => Logger.overrideLogger(false));

  beforeEach(async () => {
    store = new MemorySessionStore();
    revoked = [];
    const settings = testBrowserSettings();
    const oidc = {
      revoke: (token: string) => {
        revoked.push(token);
        return Promise.resolve(true);
      },
      endSessionUrl: (request: { idTokenHint?: string; state: string }) =>
        Promise.resolve(`https://sso.example.test/logout?id_token_hint=${request.idTokenHint}&state=${request.state}`),
    } as unknown as OidcClient;
    const verifiers = {
      logoutTokens: new LogoutTokenVerifier({ issuer: ISSUER, clientId: 'nest-api', keySource: new StaticKeySource([key]) }),
    } as FlowTokenVerifiers;
    flow = new LogoutFlow(oidc, new SessionManager(settings, store), verifiers);
    await store.create('a1', session('alice-id', 'kc-1'));
    await store.create('a2', session('alice-id', 'kc-2'));
    await store.create('b1', session('bob-id', 'kc-3'));
  });

  async function refusal(token: unknown): Promise<string> {
    try {
      await flow.backChannel(token);
    } catch (error) {
      if (error instanceof OAuthFlowError) return `${error.getStatus()} ${error.code}`;
      throw error;
    }
    return 'accepted';
  }

  const remaining = async () => (await Promise.all(['a1', 'a2', 'b1'].map((k) => store.get(k)))).filter(Boolean).length;

  it('ends the sessions of the Keycloak session named by sid, and no other', async () => {
    expect(await flow.backChannel(logoutToken())).toBe(1);
    expect(await store.get('a1')).toBeUndefined();
    expect(await store.get('a2')).toBeDefined();
    expect(await store.get('b1')).toBeDefined();
  });

  it('ends every session of the user when the token names only sub', async () => {
    expect(await flow.backChannel(logoutToken({ sid: undefined }))).toBe(2);
    expect(await store.get('b1')).toBeDefined();
  });

  it.each([
    ['a nonce (an ID token posing as a logout token)', { nonce: 'n-1' }],
    ['no events claim', { events: undefined }],
    ['events without the back-channel logout event', { events: { 'http://example.com/other': {} } }],
    ['another audience', { aud: 'some-other-client' }],
    ['another issuer', { iss: 'https://evil.example/realms/x' }],
    ['neither sid nor sub', { sid: undefined, sub: undefined }],
  ])('refuses a token with %s: 400 invalid_request, nothing ended', async (_what, claims) => {
    expect(await refusal(logoutToken(claims))).toBe('400 invalid_request');
    expect(await remaining()).toBe(3);
  });

  it('refuses a replayed jti', async () => {
    const token = logoutToken({ sid: 'kc-unknown' });
    expect(await refusal(token)).toBe('accepted');
    expect(await refusal(token)).toBe('400 invalid_request');
    expect(await refusal(logoutToken({ jti: `jti-${sequence}`, sid: 'kc-1' }))).toBe('400 invalid_request');
    expect(await store.get('a1')).toBeDefined();
  });

  it('refuses a missing, non-string or oversized logout_token', async () => {
    for (const token of [undefined, '', ['a', 'b'], 'x'.repeat(20_000), 'not.a.jwt']) {
      expect(await refusal(token)).toBe('400 invalid_request');
    }
    expect(await remaining()).toBe(3);
  });

  it('revokes the refresh token of an ended session and returns the end-session URL with id_token_hint', async () => {
    const url = await flow.endedSession(session('alice-id', 'kc-1'));
    expect(revoked).toEqual(['rt-kc-1']);
    expect(url).toContain('id_token_hint=id-kc-1');
    expect(url).toMatch(/state=[A-Za-z0-9_-]{22}$/);
  });
});
