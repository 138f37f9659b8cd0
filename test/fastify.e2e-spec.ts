// The auth package on Nest's Fastify adapter: the consumer app
// (test/consumer-app/) started with FastifyAdapter against the real Keycloak.
// Bearer protection must answer exactly as on Express (RFC 6750 statuses,
// challenges and bodies); the browser flows, which need Express, must refuse
// to start.
import type { AddressInfo } from 'node:net';
import { request as httpRequest } from 'node:http';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { AuthModule } from '../src/auth';
import { ConsumerAppModule } from './consumer-app/app.module';
import { audiences, clients, keycloakUrl, realm } from './support/env';
import { passwordGrant } from './support/tokens';

const ENV = { KEYCLOAK_URL: keycloakUrl(), KEYCLOAK_REALM: realm(), AUTH_AUDIENCE: audiences.main };

/** Sends raw header lines, so one request can carry two Authorization headers. */
function rawGet(url: string, path: string, headers: [string, string][]): Promise<{ status: number; challenge?: string; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    // An array of raw headers replaces Node's defaults, Host included.
    const raw = [['Host', `${hostname}:${port}`], ...headers].flat();
    const req = httpRequest({ hostname, port, path, method: 'GET', headers: raw }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, challenge: res.headers['www-authenticate'], body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('AuthModule on the Fastify adapter (real Keycloak)', () => {
  let app: NestFastifyApplication;
  let url: string;
  let alice: string;
  let bob: string;
  const saved = new Map<string, string | undefined>();

  beforeAll(async () => {
    for (const [key, value] of Object.entries(ENV)) {
      saved.set(key, process.env[key]);
      process.env[key] = value;
    }
    [alice, bob] = await Promise.all([passwordGrant('alice'), passwordGrant('bob')]).then((sets) => sets.map((s) => s.accessToken));
    app = await NestFactory.create<NestFastifyApplication>(ConsumerAppModule, new FastifyAdapter(), { logger: false });
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await app?.close();
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  it('runs on Fastify, not Express', () => {
    expect(app.getHttpAdapter().getType()).toBe('fastify');
  });

  it('serves the @Public() route without a token', async () => {
    await request(url).get('/hello').expect(200, { message: 'hello' });
  });

  it('answers a request without a token 401 with a bare challenge and no error code (RFC 6750 §3.1)', async () => {
    const response = await request(url).get('/me').expect(401);
    expect(response.headers['www-authenticate']).toBe(`Bearer realm="${realm()}"`);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
  });

  it('accepts a valid token and hands the principal to @CurrentUser()', async () => {
    const response = await request(url).get('/me').auth(alice, { type: 'bearer' }).expect(200);
    expect(response.body).toMatchObject({ username: 'alice', realmRoles: expect.arrayContaining(['user']) });
  });

  it('answers 401 invalid_token for a tampered token, with the same body as on Express', async () => {
    const [header, payload, signature] = alice.split('.');
    const tampered = `${header}.${payload}.${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
    const response = await request(url).get('/me').auth(tampered, { type: 'bearer' }).expect(401);
    expect(response.headers['www-authenticate']).toBe(
      `Bearer realm="${realm()}", error="invalid_token", error_description="The access token is invalid"`,
    );
    expect(response.body.error).toBe('invalid_token');
    expect(JSON.stringify(response.body)).not.toContain(payload);
  });

  it('answers 403 insufficient_scope when @Roles() is not met, and 200 when it is', async () => {
    const refused = await request(url).get('/reports').auth(alice, { type: 'bearer' }).expect(403);
    expect(refused.headers['www-authenticate']).toMatch(/^Bearer realm="[^"]+", error="insufficient_scope"/);
    await request(url).get('/reports').auth(bob, { type: 'bearer' }).expect(200, { reports: ['q1', 'q2'], readBy: 'bob' });
  });

  it('answers 400 invalid_request for a token in the query string next to the header', async () => {
    const response = await request(url).get(`/me?access_token=${alice}`).auth(alice, { type: 'bearer' }).expect(400);
    expect(response.headers['www-authenticate']).toContain('error="invalid_request"');
  });

  it('answers 400 invalid_request for two Authorization headers (Fastify keeps them in raw.rawHeaders)', async () => {
    const response = await rawGet(url, '/me', [
      ['Authorization', `Bearer ${alice}`],
      ['Authorization', `Bearer ${bob}`],
    ]);
    expect(response.status).toBe(400);
    expect(response.challenge).toContain('error="invalid_request"');
    expect(JSON.parse(response.body)).toMatchObject({ error: 'invalid_request' });
  });

  it('refuses to start the browser flows on Fastify, naming the adapter', async () => {
    @Module({
      imports: [
        AuthModule.forRoot({
          keycloakUrl: keycloakUrl(),
          realm: realm(),
          audience: audiences.main,
          clientId: clients.api.clientId,
          clientSecret: clients.api.secret,
          browserFlows: true,
          browser: { enabled: true, publicBaseUrl: 'http://127.0.0.1:3999' },
        }),
      ],
    })
    class BrowserFlowsOnFastify {}
    const started = await NestFactory.create(BrowserFlowsOnFastify, new FastifyAdapter(), { logger: false, abortOnError: false });
    // Module init hooks run on init() (or listen()), not on create().
    const failure = await started.init().then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    await started.close().catch(() => undefined);
    expect(failure?.message).toMatch(/browserFlows need the Express adapter .* runs on fastify/);
  });
});
