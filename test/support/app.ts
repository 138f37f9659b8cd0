import type { INestApplication, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';

/** Environment of the API under test, pointing at the test Keycloak. */
export function testAppEnv(overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const keycloakUrl = process.env.TEST_KEYCLOAK_URL ?? 'http://localhost:8180';
  const base: Record<string, string | undefined> = {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    KEYCLOAK_URL: keycloakUrl,
    KEYCLOAK_REALM: 'nest-keycloak-auth',
    KEYCLOAK_CLIENT_ID: 'nest-api',
    KEYCLOAK_CLIENT_SECRET: 'nest-api-dev-secret',
    ...overrides,
  };
  return Object.fromEntries(Object.entries(base).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

const APP_ENV_KEYS = new Set<string>();

/**
 * Boots the real AppModule (the same `configureApp` as `main.ts`) with the
 * given environment, listening on `port` (0: any free port).
 */
export async function startTestApp(
  options: { env?: Record<string, string | undefined>; port?: number } = {},
): Promise<{ app: INestApplication; url: string; close: () => Promise<void> }> {
  const env = testAppEnv(options.env);
  // Config is read from process.env; drop what an earlier app in this worker set.
  for (const key of APP_ENV_KEYS) delete process.env[key];
  for (const [key, value] of Object.entries(env)) {
    process.env[key] = value;
    APP_ENV_KEYS.add(key);
  }
  // Imported after the environment is set: ConfigModule validates at import.
  // Later apps in the same worker re-read process.env when their config
  // factories run, so no module registry reset is needed.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { AppModule } = require('../../src/app.module') as { AppModule: Type };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { configureApp } = require('../../src/app.setup') as typeof import('../../src/app.setup.js');
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bufferLogs: true, bodyParser: false });
  app.useLogger(app.get(Logger));
  configureApp(app);
  await app.listen(options.port ?? 0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const url = `http://localhost:${address.port}`;
  return { app, url, close: () => app.close() };
}

