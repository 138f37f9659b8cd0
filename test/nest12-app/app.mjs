// A Nest 12 service (ESM-only Nest) using the packed library the way the README
// shows, run by test/nest12-package.e2e-spec.ts in a scratch project of its
// own. Plain JavaScript, decorators applied with Reflect.decorate, so nothing
// needs compiling there. Asks its own routes and prints one JSON line.
//
// Environment: KEYCLOAK_URL, KEYCLOAK_REALM, AUDIENCE, ADAPTER (express|fastify),
// ALICE, BOB (access tokens).
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AuthModule, CurrentUser, Public, Roles } from 'nest-keycloak-auth';

class Api {
  open() {
    return { ok: true };
  }

  me(user) {
    return { username: user.username };
  }

  managers(username) {
    return { readBy: username };
  }
}
const route = (name, ...decorators) =>
  Reflect.decorate(decorators, Api.prototype, name, Object.getOwnPropertyDescriptor(Api.prototype, name));
route('open', Get('open'), Public());
route('me', Get('me'));
route('managers', Get('managers'), Roles('manager'));
CurrentUser()(Api.prototype, 'me', 0);
CurrentUser('username')(Api.prototype, 'managers', 0);
Reflect.decorate([Controller()], Api);

class AppModule {}
Reflect.decorate(
  [
    Module({
      imports: [
        AuthModule.forRoot({ keycloakUrl: process.env.KEYCLOAK_URL, realm: process.env.KEYCLOAK_REALM, audience: process.env.AUDIENCE }),
      ],
      controllers: [Api],
    }),
  ],
  AppModule,
);

const adapter =
  process.env.ADAPTER === 'fastify' ? new (await import('@nestjs/platform-fastify')).FastifyAdapter() : undefined;
const app = adapter
  ? await NestFactory.create(AppModule, adapter, { logger: ['error'] })
  : await NestFactory.create(AppModule, { logger: ['error'] });
await app.listen(0, '127.0.0.1');
const base = `http://127.0.0.1:${app.getHttpServer().address().port}`;

async function ask(path, token) {
  const response = await fetch(base + path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: response.status, challenge: response.headers.get('www-authenticate'), body: await response.json() };
}

const require = createRequire(import.meta.url);
const nestCore = JSON.parse(readFileSync(require.resolve('@nestjs/core/package.json'), 'utf8'));
const answers = {
  nest: { version: nestCore.version, type: nestCore.type ?? 'commonjs' },
  adapter: app.getHttpAdapter().getType(),
  open: await ask('/open'),
  anonymous: await ask('/me'),
  alice: await ask('/me', process.env.ALICE),
  aliceAsManager: await ask('/managers', process.env.ALICE),
  bobAsManager: await ask('/managers', process.env.BOB),
};
await app.close();
process.stdout.write(`${JSON.stringify(answers)}\n`);
