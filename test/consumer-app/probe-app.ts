// A bare Nest application around `AuthModule.forRoot(options)`, for the specs
// that try module options against the real Keycloak (several realms,
// introspection, service-to-service calls). Like the consumer app, it uses the
// auth package only through its public entry point.
//
// One probe app at a time: Passport keeps strategies in a process-wide
// registry, so a second AuthModule app in the same process replaces the first
// one's verifier (a production process runs one app, so only tests notice).
import { Controller, Get, type DynamicModule, type INestApplication, type LoggerService, type ModuleMetadata } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AuthModule, CurrentUser, type AuthModuleOptions, type AuthPrincipal } from '../../src/auth';

/** What a caller looks like to the API, without any token content beyond public claims. */
export interface WhoAmI {
  subject: string;
  username?: string;
  issuer: string;
  audience: readonly string[];
  authorizedParty?: string;
  tokenId?: string;
}

@Controller()
class WhoAmIController {
  @Get('whoami')
  whoami(@CurrentUser() user: AuthPrincipal): WhoAmI {
    const { subject, username, issuer, audience, authorizedParty, tokenId } = user;
    return { subject, username, issuer, audience, authorizedParty, tokenId };
  }
}

export interface ProbeApp {
  app: INestApplication;
  url: string;
  close(): Promise<void>;
}

const silent: LoggerService = { log: () => undefined, error: () => undefined, warn: () => undefined };

/** Starts the app on a free port of 127.0.0.1; `GET /whoami` is protected by the global guard. */
export async function startProbeApp(
  options: AuthModuleOptions,
  extra: Pick<ModuleMetadata, 'imports' | 'providers'> & { logger?: LoggerService } = {},
): Promise<ProbeApp> {
  const auth: DynamicModule = AuthModule.forRoot(options);
  const moduleRef = await Test.createTestingModule({
    imports: [auth, ...(extra.imports ?? [])],
    providers: extra.providers ?? [],
    controllers: [WhoAmIController],
  })
    .setLogger(extra.logger ?? silent)
    .compile();
  const app = moduleRef.createNestApplication({ logger: extra.logger ?? silent });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  return { app, url: `http://127.0.0.1:${port}`, close: () => app.close() };
}

/** Runs `use` against a fresh probe app and closes it, pass or fail. */
export async function withProbeApp<T>(
  options: AuthModuleOptions,
  use: (app: ProbeApp) => Promise<T>,
  extra?: Parameters<typeof startProbeApp>[1],
): Promise<T> {
  const app = await startProbeApp(options, extra);
  try {
    return await use(app);
  } finally {
    await app.close();
  }
}

/** A port of 127.0.0.1 nothing listens on right now: bound once by us, then released. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
