import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Controller, Get, Post, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { AuthModule, CurrentUser, Public, Roles, type AuthModuleOptions, type AuthPrincipal } from './index';
import { BearerAuthenticator } from './bearer/bearer-authenticator.service';
import { accessClaims, jwkOf, rsaKey, signHs256WithPublicKey, signJwt, unsignedJwt } from './token/testing/tokens';

/**
 * The Nest adapter end to end over HTTP, with a local identity provider: an
 * in-process server answering discovery and JWKS for locally generated keys.
 * (The same behaviour against the real Keycloak is covered in test/.)
 */
@Controller()
class ProbeController {
  @Public()
  @Get('open')
  open() {
    return { ok: true };
  }

  @Get('closed')
  closed(@CurrentUser() user: AuthPrincipal) {
    return { subject: user.subject, realmRoles: user.realmRoles };
  }

  @Post('closed')
  closedPost(@CurrentUser('subject') subject: string) {
    return { subject };
  }

  @Roles('admin')
  @Get('admin')
  admin() {
    return { ok: true };
  }

  @Roles('manager', 'admin')
  @Get('manager')
  manager() {
    return { ok: true };
  }

  @Roles({ realm: ['user', 'admin'], mode: 'all' })
  @Get('user-and-admin')
  userAndAdmin() {
    return { ok: true };
  }

  @Roles({ client: ['reports:read'] })
  @Get('reports')
  reports() {
    return { ok: true };
  }

  @Roles({ client: ['reports:read'], clientId: 'other-client' })
  @Get('other-client')
  otherClient() {
    return { ok: true };
  }
}

@Public()
@Controller('public-class')
class PublicClassController {
  @Get()
  open() {
    return { ok: true };
  }

  @Public(false)
  @Get('reprotected')
  reprotected() {
    return { ok: true };
  }
}

const key = rsaKey('key-1');
const otherKey = rsaKey('key-2');

interface Idp {
  server: Server;
  issuer: string;
  jwksHits: number;
  up: boolean;
}

async function startIdp(): Promise<Idp> {
  const idp = { jwksHits: 0, up: true } as Idp;
  idp.server = createServer((req, res) => {
    if (!idp.up) {
      res.writeHead(503).end();
      return;
    }
    res.setHeader('content-type', 'application/json');
    if (req.url === '/realms/test/.well-known/openid-configuration') {
      res.end(
        JSON.stringify({
          issuer: idp.issuer,
          jwks_uri: `${idp.issuer}/protocol/openid-connect/certs`,
          authorization_endpoint: `${idp.issuer}/protocol/openid-connect/auth`,
          token_endpoint: `${idp.issuer}/protocol/openid-connect/token`,
        }),
      );
    } else if (req.url === '/realms/test/protocol/openid-connect/certs') {
      idp.jwksHits++;
      res.end(JSON.stringify({ keys: [jwkOf(key)] }));
    } else {
      res.writeHead(404).end('{}');
    }
  });
  await new Promise<void>((resolve) => idp.server.listen(0, '127.0.0.1', resolve));
  idp.issuer = `http://127.0.0.1:${(idp.server.address() as AddressInfo).port}/realms/test`;
  return idp;
}

async function startApi(idp: Idp, options: Partial<AuthModuleOptions> = {}): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      AuthModule.forRoot({
        issuer: idp.issuer,
        audience: 'nest-api',
        clientId: 'nest-api',
        challengeRealm: 'test',
        ...options,
      }),
    ],
    controllers: [ProbeController, PublicClassController],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  return app;
}

describe('AuthModule over HTTP (local identity provider)', () => {
  let idp: Idp;
  let app: INestApplication;
  const token = (extra: Record<string, unknown> = {}) => signJwt(accessClaims(Date.now(), { iss: idp.issuer, ...extra }), key);

  beforeAll(async () => {
    idp = await startIdp();
    app = await startApi(idp);
  });
  afterAll(async () => {
    await app.close();
    idp.server.close();
  });

  it('lets public routes through without credentials', async () => {
    await request(app.getHttpServer()).get('/open').expect(200, { ok: true });
    await request(app.getHttpServer()).get('/public-class').expect(200);
  });

  it('re-protects a handler marked @Public(false) inside a public controller', async () => {
    const res = await request(app.getHttpServer()).get('/public-class/reprotected').expect(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="test"');
  });

  it('answers 401 with a bare challenge when credentials are missing (RFC 6750 §3.1)', async () => {
    const res = await request(app.getHttpServer()).get('/closed').expect(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="test"');
    expect(res.body).toEqual({ statusCode: 401, error: 'unauthorized', error_description: 'Authentication is required' });
  });

  it('treats another scheme as missing bearer credentials', async () => {
    const res = await request(app.getHttpServer()).get('/closed').set('Authorization', 'Basic dXNlcjpwYXNz').expect(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="test"');
  });

  it('accepts a valid token, with any case of the scheme name', async () => {
    for (const scheme of ['Bearer', 'bearer', 'BEARER']) {
      const res = await request(app.getHttpServer()).get('/closed').set('Authorization', `${scheme} ${token()}`).expect(200);
      expect(res.body.realmRoles).toEqual(['user', 'manager']);
    }
  });

  it.each([
    ['garbage', 'not-a-jwt'],
    ['a forged signature', () => signJwt(accessClaims(Date.now(), { iss: idp.issuer }), { ...otherKey, kid: 'key-1' })],
    ['alg none', () => unsignedJwt(accessClaims(Date.now(), { iss: idp.issuer }), 'key-1')],
    ['HS256 signed with the public key', () => signHs256WithPublicKey(accessClaims(Date.now(), { iss: idp.issuer }), key)],
    ['an expired token', () => token({ exp: Math.floor(Date.now() / 1000) - 3600 })],
    ['a wrong audience', () => token({ aud: 'someone-else' })],
    ['a wrong issuer', () => signJwt(accessClaims(Date.now(), { iss: 'https://evil.example/realms/test' }), key)],
    ['an ID token', () => token({ typ: 'ID' })],
    ['a refresh token', () => token({ typ: 'Refresh' })],
  ])('answers 401 invalid_token for %s, without echoing anything', async (_name, make) => {
    const presented = typeof make === 'string' ? make : make();
    const res = await request(app.getHttpServer()).get('/closed').set('Authorization', `Bearer ${presented}`).expect(401);
    expect(res.headers['www-authenticate']).toBe(
      'Bearer realm="test", error="invalid_token", error_description="The access token is invalid"',
    );
    expect(res.body).toEqual({ statusCode: 401, error: 'invalid_token', error_description: 'The access token is invalid' });
  });

  it('answers 400 invalid_request for a token in the query string', async () => {
    const res = await request(app.getHttpServer()).get(`/closed?access_token=${token()}`).expect(400);
    expect(res.headers['www-authenticate']).toContain('error="invalid_request"');
    expect(res.body.error).toBe('invalid_request');
  });

  it('answers 400 invalid_request for two credentials at once', async () => {
    const res = await request(app.getHttpServer())
      .post('/closed')
      .set('Authorization', `Bearer ${token()}`)
      .type('form')
      .send({ access_token: token() })
      .expect(400);
    expect(res.body.error).toBe('invalid_request');
  });

  it('answers 400 invalid_request for two Authorization headers', async () => {
    // supertest folds repeated headers; a raw request sends two.
    const status = await rawRequest(app, ['Authorization', `Bearer ${token()}`, 'Authorization', `Bearer ${token()}`]);
    expect(status).toBe(400);
  });

  it('answers 403 insufficient_scope when a role is missing', async () => {
    const res = await request(app.getHttpServer()).get('/admin').set('Authorization', `Bearer ${token()}`).expect(403);
    expect(res.headers['www-authenticate']).toBe(
      'Bearer realm="test", error="insufficient_scope", error_description="The access token lacks the required roles"',
    );
    expect(res.body.error).toBe('insufficient_scope');
  });

  it('applies any-of by default and all-of on request', async () => {
    const bearer = `Bearer ${token()}`;
    await request(app.getHttpServer()).get('/manager').set('Authorization', bearer).expect(200);
    await request(app.getHttpServer()).get('/user-and-admin').set('Authorization', bearer).expect(403);
    const admin = `Bearer ${token({ realm_access: { roles: ['user', 'admin'] } })}`;
    await request(app.getHttpServer()).get('/user-and-admin').set('Authorization', admin).expect(200);
  });

  it('reads client roles of the default client and of a named client', async () => {
    const bearer = `Bearer ${token()}`;
    await request(app.getHttpServer()).get('/reports').set('Authorization', bearer).expect(200);
    await request(app.getHttpServer()).get('/other-client').set('Authorization', bearer).expect(403);
    const other = `Bearer ${token({ resource_access: { 'other-client': { roles: ['reports:read'] } } })}`;
    await request(app.getHttpServer()).get('/other-client').set('Authorization', other).expect(200);
    await request(app.getHttpServer()).get('/reports').set('Authorization', other).expect(403);
  });

  it('fetches the key set once for many tokens', async () => {
    const before = app.get(BearerAuthenticator).jwksStats()?.fetchCount ?? 0;
    for (let i = 0; i < 5; i++) {
      await request(app.getHttpServer()).get('/closed').set('Authorization', `Bearer ${token()}`).expect(200);
    }
    expect(app.get(BearerAuthenticator).jwksStats()?.fetchCount).toBe(before);
    expect(idp.jwksHits).toBe(1);
  });
});

describe('AuthModule options', () => {
  let idp: Idp;
  beforeAll(async () => {
    idp = await startIdp();
  });
  afterAll(() => idp.server.close());

  it('fetches the key set as the application starts, so the first request does not wait for it', async () => {
    const fresh = await startIdp();
    const app = await startApi(fresh);
    try {
      for (let waited = 0; fresh.jwksHits === 0 && waited < 5_000; waited += 10) await new Promise((r) => setTimeout(r, 10));
      expect(fresh.jwksHits).toBe(1);
      expect(app.get(BearerAuthenticator).jwksStats()).toMatchObject({ fetchCount: 1, keyCount: 1 });
      const presented = signJwt(accessClaims(Date.now(), { iss: fresh.issuer }), key);
      await request(app.getHttpServer()).get('/closed').set('Authorization', `Bearer ${presented}`).expect(200);
      expect(fresh.jwksHits).toBe(1);
    } finally {
      await app.close();
      fresh.server.close();
    }
  });

  it('answers 503 (not 401 or 500) when no key can be obtained at all', async () => {
    idp.up = false;
    const app = await startApi(idp);
    try {
      const presented = signJwt(accessClaims(Date.now(), { iss: idp.issuer }), key);
      const res = await request(app.getHttpServer()).get('/closed').set('Authorization', `Bearer ${presented}`).expect(503);
      expect(res.body.error).toBe('temporarily_unavailable');
      expect(res.headers['retry-after']).toBeDefined();
    } finally {
      idp.up = true;
      await app.close();
    }
  });

  it('guards nothing by itself with globalGuard: false', async () => {
    const app = await startApi(idp, { globalGuard: false });
    try {
      await request(app.getHttpServer()).get('/closed').expect(500); // the handler runs and finds no user
      await request(app.getHttpServer()).get('/admin').expect(200);
    } finally {
      await app.close();
    }
  });

  it('with defaultAccess public, protects only routes that name roles', async () => {
    const app = await startApi(idp, { defaultAccess: 'public' });
    try {
      await request(app.getHttpServer()).get('/public-class/reprotected').expect(401);
      await request(app.getHttpServer()).get('/admin').expect(401);
      await request(app.getHttpServer()).get('/open').expect(200);
    } finally {
      await app.close();
    }
  });

  it('refuses to start with a symmetric algorithm', async () => {
    await expect(startApi(idp, { algorithms: ['HS256'] })).rejects.toThrow('AuthModule: algorithm HS256 is not allowed');
  });
});

function rawRequest(app: INestApplication, headers: string[]): Promise<number> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const http = require('node:http') as typeof import('node:http');
  return new Promise((resolve, reject) => {
    const server = app.getHttpServer() as Server;
    const listening = server.listening ? Promise.resolve() : new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    void listening.then(() => {
      const { port } = server.address() as AddressInfo;
      const req = http.request({ host: '127.0.0.1', port, path: '/closed', method: 'GET', headers }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
  });
}
