// Several realms behind one API (`additionalIssuers`): each realm's tokens are
// accepted on that realm's audience only, and a token naming an issuer nobody
// configured is refused before any network call.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { jwkOf, rsaKey, signJwt } from '../src/auth/token/testing/tokens';
import { startProbeApp, withProbeApp, type ProbeApp, type WhoAmI } from './consumer-app/probe-app';
import { audiences, keycloakUrl, partnerRealm, partnerUser, realm } from './support/env';
import { passwordGrant } from './support/tokens';

const main = (audience: string = audiences.main) => ({ keycloakUrl: keycloakUrl(), realm: realm(), audience });
const partner = (audience: string = audiences.partner) => ({ keycloakUrl: keycloakUrl(), realm: partnerRealm(), audience });
const issuerOf = (name: string) => `${keycloakUrl()}/realms/${name}`;

function expectInvalidToken(response: request.Response): void {
  expect(response.status).toBe(401);
  expect(response.headers['www-authenticate']).toMatch(/^Bearer realm="[^"]+", error="invalid_token"/);
}

describe('multi-realm (additionalIssuers) against the real Keycloak', () => {
  let aliceToken: string;
  let patToken: string;

  beforeAll(async () => {
    aliceToken = (await passwordGrant('alice')).accessToken;
    patToken = (await passwordGrant(partnerUser.username, { realm: partnerRealm(), password: partnerUser.password })).accessToken;
  });

  describe('with both realms configured, each on its own audience', () => {
    let app: ProbeApp;
    beforeAll(async () => {
      app = await startProbeApp({ ...main(), additionalIssuers: [partner()] });
    });
    afterAll(() => app?.close());

    it('accepts a token of the main realm', async () => {
      const response = await request(app.url).get('/whoami').auth(aliceToken, { type: 'bearer' }).expect(200);
      expect(response.body).toMatchObject<Partial<WhoAmI>>({ username: 'alice', issuer: issuerOf(realm()) });
    });

    it('accepts a token of the partner realm', async () => {
      const response = await request(app.url).get('/whoami').auth(patToken, { type: 'bearer' }).expect(200);
      expect(response.body).toMatchObject<Partial<WhoAmI>>({ username: partnerUser.username, issuer: issuerOf(partnerRealm()) });
      expect(response.body.audience).toContain(audiences.partner);
    });

    it('refuses a well-signed token from an issuer nobody configured, without any network call', async () => {
      // The rogue issuer really serves discovery and keys: had the API asked, it could have "verified" the token.
      const key = rsaKey('rogue-key');
      let rogueRequests = 0;
      const rogue: Server = createServer((req, res) => {
        rogueRequests++;
        const base = `http://127.0.0.1:${(rogue.address() as AddressInfo).port}/realms/rogue`;
        res.setHeader('content-type', 'application/json');
        res.end(
          JSON.stringify(
            req.url?.endsWith('/certs')
              ? { keys: [jwkOf(key)] }
              : { issuer: base, jwks_uri: `${base}/certs`, authorization_endpoint: `${base}/auth`, token_endpoint: `${base}/token` },
          ),
        );
      });
      await new Promise<void>((resolve) => rogue.listen(0, '127.0.0.1', resolve));
      const fetchSpy = jest.spyOn(globalThis, 'fetch');
      try {
        const now = Math.floor(Date.now() / 1000);
        const forged = signJwt(
          {
            iss: `http://127.0.0.1:${(rogue.address() as AddressInfo).port}/realms/rogue`,
            aud: [audiences.main, audiences.partner],
            sub: 'intruder',
            typ: 'Bearer',
            azp: 'nest-test',
            iat: now,
            exp: now + 300,
            realm_access: { roles: ['admin'] },
          },
          key,
        );
        expectInvalidToken(await request(app.url).get('/whoami').auth(forged, { type: 'bearer' }));
        expect(fetchSpy).not.toHaveBeenCalled();
        expect(rogueRequests).toBe(0);
      } finally {
        fetchSpy.mockRestore();
        await new Promise((resolve) => rogue.close(resolve));
      }
    });
  });

  it('refuses a partner token when only the main realm is configured', async () => {
    await withProbeApp(main(), async (app) => {
      await request(app.url).get('/whoami').auth(aliceToken, { type: 'bearer' }).expect(200);
      expectInvalidToken(await request(app.url).get('/whoami').auth(patToken, { type: 'bearer' }));
    });
  });

  it('refuses a main-realm token when only the partner realm is configured', async () => {
    await withProbeApp(partner(), async (app) => {
      await request(app.url).get('/whoami').auth(patToken, { type: 'bearer' }).expect(200);
      expectInvalidToken(await request(app.url).get('/whoami').auth(aliceToken, { type: 'bearer' }));
    });
  });

  it('checks each realm against its own audience, not any configured audience', async () => {
    // Both realms trusted, but each expects the other realm's audience: no token carries the right one.
    await withProbeApp({ ...main(audiences.partner), additionalIssuers: [partner(audiences.main)] }, async (app) => {
      expectInvalidToken(await request(app.url).get('/whoami').auth(aliceToken, { type: 'bearer' }));
      expectInvalidToken(await request(app.url).get('/whoami').auth(patToken, { type: 'bearer' }));
    });
  });
});
