// The consumer app (test/consumer-app/): a separate Nest service that secures
// itself through the public entry point with forRootAsync + ConfigService.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import request from 'supertest';
import { ConsumerAppModule } from './consumer-app/app.module';
import { freePort } from './consumer-app/probe-app';
import { audiences, keycloakUrl, partnerRealm, partnerUser, realm } from './support/env';
import { passwordGrant } from './support/tokens';

const CONSUMER_DIR = path.join(__dirname, 'consumer-app');
const SRC_DIR = path.resolve(__dirname, '..', 'src');

function consumerEnv(): Record<string, string> {
  return { KEYCLOAK_URL: keycloakUrl(), KEYCLOAK_REALM: realm(), AUTH_AUDIENCE: audiences.main };
}

/** Runs `fn` with the given variables set (and the others of `consumerEnv` removed), then restores process.env. */
async function withEnv<T>(env: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
  const keys = new Set([...Object.keys(consumerEnv()), ...Object.keys(env)]);
  const saved = new Map([...keys].map((key) => [key, process.env[key]]));
  for (const key of keys) {
    if (env[key] === undefined) delete process.env[key];
    else process.env[key] = env[key];
  }
  try {
    return await fn();
  } finally {
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

async function startupError(env: Record<string, string | undefined>): Promise<Error> {
  return withEnv(env, async () => {
    const started = await NestFactory.create(ConsumerAppModule, { logger: false, abortOnError: false }).then(
      async (app) => {
        await app.close();
        return undefined;
      },
      (error: unknown) => error as Error,
    );
    if (!started) throw new Error('the consumer app started although its configuration is wrong');
    return started;
  });
}

describe('consumer app: another Nest service using the auth package', () => {
  describe('started in-process', () => {
    let app: INestApplication;
    let url: string;
    let alice: string;
    let bob: string;

    beforeAll(async () => {
      [alice, bob] = await Promise.all([passwordGrant('alice'), passwordGrant('bob')]).then((sets) => sets.map((s) => s.accessToken));
      app = await withEnv(consumerEnv(), () => NestFactory.create(ConsumerAppModule, { logger: false }));
      await app.listen(0, '127.0.0.1');
      url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    });
    afterAll(() => app?.close());

    it('serves the @Public() route without a token', async () => {
      await request(url).get('/hello').expect(200, { message: 'hello' });
    });

    it('protects every other route by default, with an RFC 6750 challenge', async () => {
      const response = await request(url).get('/me').expect(401);
      expect(response.headers['www-authenticate']).toBe(`Bearer realm="${realm()}"`);
      await request(url).get('/reports').expect(401);
    });

    it('accepts a token of its realm and audience and hands the principal to the route', async () => {
      const response = await request(url).get('/me').auth(alice, { type: 'bearer' }).expect(200);
      expect(response.body.username).toBe('alice');
      expect(response.body.realmRoles).toContain('user');
    });

    it('enforces @Roles(): client role reports:read of nest-api', async () => {
      const refused = await request(url).get('/reports').auth(alice, { type: 'bearer' }).expect(403);
      expect(refused.headers['www-authenticate']).toMatch(/error="insufficient_scope"/);
      const allowed = await request(url).get('/reports').auth(bob, { type: 'bearer' }).expect(200);
      expect(allowed.body).toEqual({ reports: ['q1', 'q2'], readBy: 'bob' });
    });

    it('refuses a token of another realm and a tampered token', async () => {
      const pat = await passwordGrant(partnerUser.username, { realm: partnerRealm(), password: partnerUser.password });
      const partner = await request(url).get('/me').auth(pat.accessToken, { type: 'bearer' }).expect(401);
      expect(partner.headers['www-authenticate']).toMatch(/error="invalid_token"/);
      const [header, payload, signature] = alice.split('.');
      const flipped = `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
      await request(url).get('/me').auth(`${header}.${payload}.${flipped}`, { type: 'bearer' }).expect(401);
    });
  });

  describe('start-up fails fast with a message naming the problem', () => {
    it('when a configuration key is missing', async () => {
      const error = await startupError({ ...consumerEnv(), AUTH_AUDIENCE: undefined });
      expect(error.message).toMatch(/"AUTH_AUDIENCE"/);
    });

    it('when an option is invalid', async () => {
      const error = await startupError({ ...consumerEnv(), KEYCLOAK_URL: 'keycloak:8080' });
      expect(error.message).toBe('AuthModule: options.keycloakUrl must be an absolute http(s) URL');
    });
  });

  it('imports the auth package only through its public entry point', () => {
    const sources = readdirSync(CONSUMER_DIR).filter((name) => name.endsWith('.ts'));
    expect(sources).toEqual(expect.arrayContaining(['app.module.ts', 'consumer.controller.ts', 'main.ts']));
    const reached = new Set<string>();
    for (const name of sources) {
      const text = readFileSync(path.join(CONSUMER_DIR, name), 'utf8');
      for (const [, specifier] of text.matchAll(/from\s+'([^']+)'/g)) {
        const target = path.resolve(CONSUMER_DIR, specifier);
        if (specifier.startsWith('.') && target.startsWith(SRC_DIR)) reached.add(path.relative(SRC_DIR, target));
      }
    }
    expect([...reached]).toEqual(['auth']);
  });

  describe('started as its own process (test/consumer-app/main.ts)', () => {
    let child: ChildProcess | undefined;
    afterAll(() => {
      child?.kill();
    });

    it('boots from its main file and protects its routes', async () => {
      const port = await freePort();
      child = spawn(process.execPath, ['-r', 'ts-node/register', path.join(CONSUMER_DIR, 'main.ts')], {
        cwd: path.resolve(__dirname, '..'),
        env: { ...process.env, ...consumerEnv(), PORT: String(port), TS_NODE_TRANSPILE_ONLY: 'true' },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const url = `http://127.0.0.1:${port}`;
      await waitFor(async () => (await fetch(`${url}/hello`)).ok, 60_000).catch((error: Error) => {
        throw new Error(`${error.message}; the consumer process wrote: ${stderr.slice(-2_000)}`);
      });
      const { accessToken } = await passwordGrant('alice');
      await request(url).get('/me').expect(401);
      const me = await request(url).get('/me').auth(accessToken, { type: 'bearer' }).expect(200);
      expect(me.body.username).toBe('alice');
    });
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`not ready within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
