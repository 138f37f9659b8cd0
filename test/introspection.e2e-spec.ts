// Introspection mode (RFC 7662): a token whose Keycloak session ended is
// refused once the short answer cache has run out, while local validation, as
// documented, keeps accepting it until it expires.
//
// One app at a time: Passport keeps strategies in a process-wide registry, so
// two AuthModule apps alive in one process would share the last one's verifier.
import request from 'supertest';
import type { AuthModuleOptions } from '../src/auth';
import { startProbeApp, withProbeApp, type ProbeApp } from './consumer-app/probe-app';
import { audiences, clients, keycloakUrl, realm } from './support/env';
import { KeycloakAdmin } from './support/keycloak-admin';
import { decodeJwt, passwordGrant } from './support/tokens';

const CACHE_SECONDS = 2;
// Time for one poll round trip through the API and Keycloak on a slow machine.
const SLACK_MS = 1_500;
const POLL_MS = 100;

const local: AuthModuleOptions = {
  keycloakUrl: keycloakUrl(),
  realm: realm(),
  audience: audiences.main,
  clientId: clients.api.clientId,
  clientSecret: clients.api.secret,
};
const introspecting: AuthModuleOptions = { ...local, introspection: { enabled: true, cacheSeconds: CACHE_SECONDS } };

const whoami = (app: ProbeApp, token: string) => request(app.url).get('/whoami').auth(token, { type: 'bearer' });

/** A fresh session of `alice` (its own `sid`, so ending it touches no other spec's tokens). */
async function aliceSession(): Promise<{ token: string; sessionId: string }> {
  const { accessToken } = await passwordGrant('alice');
  const sessionId = decodeJwt(accessToken).sid;
  if (typeof sessionId !== 'string') throw new Error('Keycloak issued an access token without sid');
  return { token: accessToken, sessionId };
}

describe('introspection mode against the real Keycloak', () => {
  const admin = new KeycloakAdmin();
  let live: { token: string; sessionId: string };
  let endedAfterUse: { token: string; sessionId: string };
  let endedBeforeUse: { token: string; sessionId: string };

  beforeAll(async () => {
    [live, endedAfterUse, endedBeforeUse] = await Promise.all([aliceSession(), aliceSession(), aliceSession()]);
    await admin.getUser('alice'); // the admin token, fetched now rather than inside a timed window
  });

  describe('with introspection enabled', () => {
    let app: ProbeApp;
    beforeAll(async () => {
      app = await startProbeApp(introspecting);
    });
    afterAll(() => app?.close());

    it('accepts a live token', async () => {
      const response = await whoami(app, live.token).expect(200);
      expect(response.body.username).toBe('alice');
    });

    it('refuses a token of an ended session within the cache TTL', async () => {
      const firstAnswerAt = Date.now();
      await whoami(app, endedAfterUse.token).expect(200);
      await admin.deleteSession(endedAfterUse.sessionId);

      let refused: request.Response | undefined;
      let refusedAt = 0;
      while (Date.now() - firstAnswerAt < CACHE_SECONDS * 1000 + SLACK_MS) {
        const response = await whoami(app, endedAfterUse.token);
        if (response.status !== 200) {
          refused = response;
          refusedAt = Date.now();
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
      expect(refused?.status).toBe(401);
      expect(refused?.headers['www-authenticate']).toMatch(/error="invalid_token"/);
      expect(refusedAt - firstAnswerAt).toBeLessThanOrEqual(CACHE_SECONDS * 1000 + SLACK_MS);
    });

    it('refuses at once a token whose session ended before its first use (nothing cached)', async () => {
      await admin.deleteSession(endedBeforeUse.sessionId);
      const response = await whoami(app, endedBeforeUse.token);
      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toMatch(/error="invalid_token"/);
    });
  });

  it('still checks the audience: Keycloak calls any live token of the realm active', async () => {
    await withProbeApp({ ...introspecting, audience: 'some-other-api' }, async (app) => {
      const response = await whoami(app, live.token);
      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toMatch(/error="invalid_token"/);
    });
  });

  it('with local validation (the default), keeps accepting tokens of ended sessions until they expire', async () => {
    const sessions = (await admin.userSessions('alice')).map((session) => session.id);
    expect(sessions).not.toContain(endedAfterUse.sessionId);
    expect(sessions).not.toContain(endedBeforeUse.sessionId);
    await withProbeApp(local, async (app) => {
      for (const { token } of [endedAfterUse, endedBeforeUse]) {
        const response = await whoami(app, token).expect(200);
        expect(response.body.username).toBe('alice');
      }
    });
  });
});
