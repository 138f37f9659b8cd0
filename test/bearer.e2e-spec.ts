import request from 'supertest';
import { BearerAuthenticator } from '../src/auth/bearer/bearer-authenticator.service';
import { startTestApp } from './support/app';
import { clients, users, type TestUsername } from './support/env';
import { KeycloakAdmin } from './support/keycloak-admin';
import { clientCredentials, decodeJwtHeader, passwordGrant } from './support/tokens';

/**
 * Bearer protection against the real Keycloak: every dev user on every feature
 * route, the exact RFC 6750 answers, and key rotation without restart.
 */
describe('bearer protection (real Keycloak)', () => {
  let started: Awaited<ReturnType<typeof startTestApp>>;
  const tokens = {} as Record<TestUsername, string>;

  beforeAll(async () => {
    started = await startTestApp();
    for (const username of Object.keys(users) as TestUsername[]) {
      tokens[username] = (await passwordGrant(username)).accessToken;
    }
  });
  afterAll(() => started?.close());

  const get = (path: string, username?: TestUsername) => {
    const req = request(started.url).get(path);
    return username ? req.set('Authorization', `Bearer ${tokens[username]}`) : req;
  };

  // user → expected status per route
  const matrix: Record<string, Record<TestUsername, number>> = {
    '/api/public': { alice: 200, bob: 200, carol: 200, dave: 200 },
    '/api/protected': { alice: 200, bob: 200, carol: 200, dave: 200 },
    '/api/profile': { alice: 200, bob: 200, carol: 200, dave: 200 },
    '/api/manager': { alice: 403, bob: 200, carol: 200, dave: 403 },
    '/api/admin': { alice: 403, bob: 403, carol: 200, dave: 403 },
    '/api/reports': { alice: 403, bob: 200, carol: 200, dave: 403 },
  };

  for (const [path, expected] of Object.entries(matrix)) {
    for (const [username, status] of Object.entries(expected) as [TestUsername, number][]) {
      it(`${username} gets ${status} on GET ${path}`, async () => {
        const res = await get(path, username).expect(status);
        if (status === 403) {
          expect(res.headers['www-authenticate']).toBe(
            'Bearer realm="nest-keycloak-auth", error="insufficient_scope", error_description="The access token lacks the required roles"',
          );
          expect(res.body).toEqual({
            statusCode: 403,
            error: 'insufficient_scope',
            error_description: 'The access token lacks the required roles',
          });
        }
      });
    }
  }

  it('writes reports only with the reports:write client role', async () => {
    await request(started.url).post('/api/reports').set('Authorization', `Bearer ${tokens.carol}`).send({ title: 'Q4' }).expect(201);
    await request(started.url).post('/api/reports').set('Authorization', `Bearer ${tokens.bob}`).send({ title: 'Q4' }).expect(403);
  });

  it('returns the principal with realm and client roles on /api/profile', async () => {
    const res = await get('/api/profile', 'carol').expect(200);
    expect(res.body).toMatchObject({ username: 'carol', email: expect.stringContaining('@') });
    expect(res.body.realmRoles).toEqual(expect.arrayContaining(['user', 'admin']));
    expect(res.body.clientRoles['nest-api']).toEqual(expect.arrayContaining(['reports:read', 'reports:write']));
    expect(JSON.stringify(res.body)).not.toContain(tokens.carol);
    const dave = await get('/api/profile', 'dave').expect(200);
    expect(dave.body.realmRoles).not.toEqual(expect.arrayContaining(['user']));
  });

  it('answers 401 with a bare challenge when no token is sent', async () => {
    const res = await get('/api/protected').expect(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="nest-keycloak-auth"');
  });

  it('answers 401 invalid_token for garbage, an ID token and a refresh token', async () => {
    const set = await passwordGrant('alice');
    expect(set.idToken).toBeDefined();
    expect(set.refreshToken).toBeDefined();
    for (const presented of ['garbage', 'a.b.c', set.idToken as string, set.refreshToken as string]) {
      const res = await request(started.url).get('/api/protected').set('Authorization', `Bearer ${presented}`).expect(401);
      expect(res.headers['www-authenticate']).toBe(
        'Bearer realm="nest-keycloak-auth", error="invalid_token", error_description="The access token is invalid"',
      );
      expect(res.body.error).toBe('invalid_token');
    }
  });

  it('answers 400 invalid_request for a token in the query string', async () => {
    const res = await request(started.url).get(`/api/protected?access_token=${tokens.alice}`).expect(400);
    expect(res.headers['www-authenticate']).toContain('error="invalid_request"');
  });

  it('accepts any case of the scheme name', async () => {
    await request(started.url).get('/api/protected').set('Authorization', `bearer ${tokens.alice}`).expect(200);
  });

  it("accepts the API's service-account token (client credentials)", async () => {
    const { accessToken } = await clientCredentials(clients.api.clientId, clients.api.secret);
    await request(started.url).get('/api/protected').set('Authorization', `Bearer ${accessToken}`).expect(200);
  });
});

describe('signing key rotation (real Keycloak)', () => {
  const admin = new KeycloakAdmin();
  let started: Awaited<ReturnType<typeof startTestApp>>;
  let providerId: string | undefined;

  beforeAll(async () => {
    started = await startTestApp();
  });
  afterAll(async () => {
    if (providerId) await admin.deleteComponent(providerId);
    await started?.close();
  });

  it('accepts tokens signed by a new key with exactly one extra JWKS fetch', async () => {
    const authenticator = started.app.get(BearerAuthenticator);
    const before = await passwordGrant('alice');
    await request(started.url).get('/api/protected').set('Authorization', `Bearer ${before.accessToken}`).expect(200);
    const fetchesBefore = authenticator.jwksStats()?.fetchCount ?? 0;
    expect(fetchesBefore).toBe(1);

    providerId = await admin.addRsaKeyProvider({ name: `rotation-${Date.now()}`, priority: 500 });
    const after = await passwordGrant('alice');
    expect(decodeJwtHeader(after.accessToken).kid).not.toBe(decodeJwtHeader(before.accessToken).kid);

    await request(started.url).get('/api/protected').set('Authorization', `Bearer ${after.accessToken}`).expect(200);
    expect(authenticator.jwksStats()?.fetchCount).toBe(fetchesBefore + 1);

    // Steady state: the old and the new key are both known now.
    const again = await passwordGrant('bob');
    await request(started.url).get('/api/protected').set('Authorization', `Bearer ${again.accessToken}`).expect(200);
    await request(started.url).get('/api/protected').set('Authorization', `Bearer ${before.accessToken}`).expect(200);
    expect(authenticator.jwksStats()?.fetchCount).toBe(fetchesBefore + 1);
  });
});
