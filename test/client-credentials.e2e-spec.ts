// Service-to-service calls: AuthHttpModule's HttpService carries the `nest-api`
// service account's token, obtained once for many calls, renewed near expiry,
// and a clear error when Keycloak cannot be reached. The app calls its own
// protected route, so every token is also verified by AuthModule on arrival.
import { HttpService } from '@nestjs/axios';
import { Injectable, Module, type DynamicModule, type LoggerService } from '@nestjs/common';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { lastValueFrom } from 'rxjs';
import {
  AuthHttpModule,
  ClientCredentialsError,
  ClientCredentialsTokenProvider,
  type AuthHttpModuleExtras,
  type AuthHttpModuleOptions,
  type AuthModuleOptions,
} from '../src/auth';
import { freePort, withProbeApp, type ProbeApp, type WhoAmI } from './consumer-app/probe-app';
import { audiences, clients, keycloakUrl, realm } from './support/env';

@Injectable()
class Caller {
  constructor(
    readonly http: HttpService,
    readonly tokens: ClientCredentialsTokenProvider,
  ) {}
}

@Module({})
class CallerModule {
  static with(options: AuthHttpModuleOptions & Partial<AuthHttpModuleExtras>): DynamicModule {
    return { module: CallerModule, imports: [AuthHttpModule.register(options)], providers: [Caller], exports: [Caller] };
  }
}

const auth = (url = keycloakUrl()): AuthModuleOptions => ({
  keycloakUrl: url,
  realm: realm(),
  audience: audiences.main,
  clientId: clients.api.clientId,
  clientSecret: clients.api.secret,
});

function withCaller<T>(
  options: { auth?: AuthModuleOptions; http?: AuthHttpModuleOptions; logger?: LoggerService },
  use: (app: ProbeApp, caller: Caller) => Promise<T>,
): Promise<T> {
  return withProbeApp(options.auth ?? auth(), (app) => use(app, app.app.get(Caller)), {
    imports: [CallerModule.with(options.http ?? {})],
    logger: options.logger,
  });
}

async function whoami(app: ProbeApp, caller: Caller): Promise<WhoAmI> {
  const response = await lastValueFrom(caller.http.get<WhoAmI>(`${app.url}/whoami`));
  return response.data;
}

describe('client credentials (AuthHttpModule) against the real Keycloak', () => {
  it('obtains the service-account token once for many calls, concurrent ones included', async () => {
    await withCaller({}, async (app, caller) => {
      const concurrent = await Promise.all(Array.from({ length: 8 }, () => whoami(app, caller)));
      const sequential: WhoAmI[] = [];
      for (let i = 0; i < 5; i++) sequential.push(await whoami(app, caller));

      const callers = [...concurrent, ...sequential];
      for (const seen of callers) {
        expect(seen).toMatchObject({ username: `service-account-${clients.api.clientId}`, authorizedParty: clients.api.clientId });
      }
      expect(new Set(callers.map((seen) => seen.tokenId)).size).toBe(1);
      expect(caller.tokens.stats).toEqual({ tokenRequests: 1, failures: 0 });
    });
  });

  it('renews the token when it is within the renewal margin, one request for concurrent callers', async () => {
    // Keycloak's tokens live 300 s; a larger margin makes every token "near expiry" at once.
    await withCaller({ http: { renewMarginSeconds: 3_600 } }, async (app, caller) => {
      const renewed: WhoAmI[] = [];
      for (let i = 0; i < 3; i++) renewed.push(await whoami(app, caller));
      expect(new Set(renewed.map((seen) => seen.tokenId)).size).toBe(3);
      expect(caller.tokens.stats.tokenRequests).toBe(3);

      const concurrent = await Promise.all(Array.from({ length: 6 }, () => whoami(app, caller)));
      expect(new Set(concurrent.map((seen) => seen.tokenId)).size).toBe(1);
      expect(caller.tokens.stats).toEqual({ tokenRequests: 4, failures: 0 });
    });
  });

  it('fails the call with a clear ClientCredentialsError, and no secret, when Keycloak is unreachable', async () => {
    const port = await freePort();
    let downstreamRequests = 0;
    const downstream = createServer((_req, res) => {
      downstreamRequests++;
      res.end('{}');
    });
    await new Promise<void>((resolve) => downstream.listen(0, '127.0.0.1', resolve));
    const warnings: string[] = [];
    const logger: LoggerService = { log: () => undefined, error: () => undefined, warn: (message: unknown) => void warnings.push(String(message)) };
    try {
      await withCaller({ auth: auth(`http://127.0.0.1:${port}`), logger }, async (_app, caller) => {
        const { port: downstreamPort } = downstream.address() as AddressInfo;
        const error = await lastValueFrom(caller.http.get(`http://127.0.0.1:${downstreamPort}/orders`)).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(ClientCredentialsError);
        const failure = error as ClientCredentialsError;
        expect(failure.failure).toBe('discovery_failed');
        expect(failure.clientId).toBe(clients.api.clientId);
        // The discovery URL (or its base, when discovery failed moments ago at start-up) says where Keycloak was expected.
        const realmUrl = `http://127.0.0.1:${port}/realms/${realm()}`;
        expect(failure.endpoint?.startsWith(realmUrl)).toBe(true);
        expect(failure.message).toBe(
          `No client-credentials token for client "${clients.api.clientId}": OIDC discovery failed, so the token endpoint is unknown at ${failure.endpoint}`,
        );
        const secret = clients.api.secret;
        for (const text of [failure.message, String(failure.stack), JSON.stringify(failure), String(failure.cause), ...warnings]) {
          expect(text).not.toContain(secret);
        }
        expect(warnings).toContain(failure.message);
        expect(caller.tokens.stats).toEqual({ tokenRequests: 1, failures: 1 });
        expect(downstreamRequests).toBe(0);
      });
    } finally {
      await new Promise((resolve) => downstream.close(resolve));
    }
  });
});
