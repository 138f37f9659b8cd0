import { HttpModule } from '@nestjs/axios';
import type { DynamicModule, Provider } from '@nestjs/common';
import { RESOLVED_AUTH_OPTIONS, SESSION_AUTHENTICATOR } from '../auth.constants';
import { BROWSER_SETTINGS, resolveBrowserSettings } from '../session/browser-settings';
import { SessionAuthenticatorService } from '../session/session-authenticator.service';
import { SessionBackend } from '../session/session-backend';
import { SessionManager } from '../session/session-manager';
import { SessionRefresher } from '../session/session-refresher';
import { SESSION_STORE } from '../session/session-store';
import { TOKEN_REFRESHER } from '../session/token-refresher';
import { AuthController } from './auth.controller';
import { ExpressAdapterCheck } from './express-adapter.check';
import { FlowTokenVerifiers } from './flow-token-verifiers';
import { LoginFlow } from './login-flow.service';
import { LogoutFlow } from './logout-flow.service';
import { OidcClient } from './oidc-client.service';

const providers: Provider[] = [
  ExpressAdapterCheck,
  { provide: BROWSER_SETTINGS, inject: [RESOLVED_AUTH_OPTIONS], useFactory: resolveBrowserSettings },
  SessionBackend,
  { provide: SESSION_STORE, inject: [SessionBackend], useFactory: (backend: SessionBackend) => backend.sessions },
  OidcClient,
  { provide: TOKEN_REFRESHER, useExisting: OidcClient },
  SessionRefresher,
  SessionManager,
  SessionAuthenticatorService,
  // The global JwtAuthGuard falls back to this when a request has no Authorization header.
  { provide: SESSION_AUTHENTICATOR, useExisting: SessionAuthenticatorService },
  FlowTokenVerifiers,
  LoginFlow,
  LogoutFlow,
];

/**
 * Adds the browser flows (AuthController under /auth, server-side sessions,
 * the OIDC client) to the module definition when `AuthModule.forRoot()` or
 * `forRootAsync()` is called with `browserFlows: true`.
 */
export function withBrowserFlows(definition: DynamicModule): DynamicModule {
  return {
    ...definition,
    imports: [...(definition.imports ?? []), HttpModule],
    controllers: [...(definition.controllers ?? []), AuthController],
    providers: [...(definition.providers ?? []), ...providers],
    exports: [...(definition.exports ?? []), SESSION_AUTHENTICATOR, SessionAuthenticatorService],
  };
}
