import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { OidcDiscoveryService } from '../src/auth';
import { startTestApp } from './support/app';
import { keycloakUrl, realm } from './support/env';

const run = promisify(execFile);

describe('the application against the real Keycloak', () => {
  let started: Awaited<ReturnType<typeof startTestApp>>;
  let discoveryDocument: Record<string, unknown>;

  beforeAll(async () => {
    // Not `silent`: that level also switches the request-logging middleware (and request ids) off.
    started = await startTestApp({ env: { LOG_LEVEL: 'fatal' } });
    const res = await fetch(`${keycloakUrl()}/realms/${realm()}/.well-known/openid-configuration`);
    discoveryDocument = (await res.json()) as Record<string, unknown>;
  });
  afterAll(() => started?.close());

  it('is live and ready, naming Keycloak as up', async () => {
    await request(started.url).get('/health').expect(200);
    const ready = await request(started.url).get('/health/ready').expect(200);
    expect(ready.body.status).toBe('ok');
    expect(ready.body.info.keycloak).toEqual({ status: 'up', issuer: discoveryDocument.issuer });
  });

  it('takes every endpoint URL from discovery', async () => {
    const metadata = await started.app.get(OidcDiscoveryService).metadata();
    expect(metadata.issuer).toBe(`${keycloakUrl()}/realms/${realm()}`);
    for (const field of ['jwks_uri', 'authorization_endpoint', 'token_endpoint', 'end_session_endpoint', 'revocation_endpoint', 'introspection_endpoint'] as const) {
      expect(metadata[field]).toBe(discoveryDocument[field]);
    }
  });

  it('serves the public route and protects the others', async () => {
    await request(started.url).get('/api/public').expect(200);
    const res = await request(started.url).get('/api/protected').expect(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="nest-keycloak-auth"');
  });

  it('echoes a well-formed request id and replaces a hostile one', async () => {
    const kept = await request(started.url).get('/api/public').set('x-request-id', 'abc-123').expect(200);
    expect(kept.headers['x-request-id']).toBe('abc-123');
    const replaced = await request(started.url).get('/api/public').set('x-request-id', 'a b;forged=1').expect(200);
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers a malformed body with a fixed message, never the parser error', async () => {
    const res = await request(started.url).post('/auth/refresh').set('Content-Type', 'application/json').send('{bad').expect(400);
    expect(res.body).toEqual({ statusCode: 400, error: 'invalid_request', error_description: 'The request body is malformed' });
  });

  it('sends security headers (helmet)', async () => {
    const res = await request(started.url).get('/api/public').expect(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});

describe('the application without Keycloak', () => {
  it('starts, reports not-ready and answers protected routes with 503 instead of crashing', async () => {
    const started = await startTestApp({ env: { KEYCLOAK_URL: 'http://127.0.0.1:9' } });
    try {
      await request(started.url).get('/health').expect(200);
      const ready = await request(started.url).get('/health/ready').expect(503);
      expect(ready.body.details.keycloak.status).toBe('down');
      // A syntactically valid token: only the missing key set can decide it.
      const header = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: 'k' })).toString('base64url');
      const payload = Buffer.from(JSON.stringify({ iss: 'http://127.0.0.1:9/realms/nest-keycloak-auth' })).toString('base64url');
      const res = await request(started.url)
        .get('/api/protected')
        .set('Authorization', `Bearer ${header}.${payload}.c2ln`)
        .expect(503);
      expect(res.body.error).toBe('temporarily_unavailable');
    } finally {
      await started.close();
    }
  });
});

describe('start-up configuration errors', () => {
  const root = path.resolve(__dirname, '..');

  async function startMain(env: Record<string, string>): Promise<{ code: number; stderr: string }> {
    try {
      await run(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
        cwd: root,
        env: { PATH: process.env.PATH ?? '', TS_NODE_PROJECT: 'tsconfig.json', ...env },
        timeout: 60_000,
      });
      return { code: 0, stderr: '' };
    } catch (error) {
      const failed = error as { code: number; stderr: string };
      return { code: failed.code, stderr: failed.stderr };
    }
  }

  it('stops with one line naming a missing variable', async () => {
    const { code, stderr } = await startMain({
      KEYCLOAK_URL: keycloakUrl(),
      KEYCLOAK_REALM: realm(),
      KEYCLOAK_CLIENT_ID: 'nest-api',
    });
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([
      'Start-up failed: Invalid configuration: KEYCLOAK_CLIENT_SECRET is required but not set (see .env.example)',
    ]);
  });

  it('stops with one line naming a malformed variable', async () => {
    const { code, stderr } = await startMain({
      KEYCLOAK_URL: 'not a url',
      KEYCLOAK_REALM: realm(),
      KEYCLOAK_CLIENT_ID: 'nest-api',
      KEYCLOAK_CLIENT_SECRET: 'nest-api-dev-secret',
    });
    expect(code).toBe(1);
    expect(stderr.trim()).toBe('Start-up failed: Invalid configuration: KEYCLOAK_URL must be an absolute URL with an allowed scheme');
  });
});
