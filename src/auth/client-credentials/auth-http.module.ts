import { Logger, Module, type Provider } from '@nestjs/common';
import { RESOLVED_AUTH_OPTIONS } from '../auth.constants';
import type { ResolvedAuthOptions } from '../auth-options.resolver';
import { OidcDiscoveryService } from '../discovery/oidc-discovery.service';
import { AUTH_HTTP_MODULE_OPTIONS, ConfigurableAuthHttpModule, type AuthHttpModuleOptions } from './auth-http-module-options';
import { RESOLVED_AUTH_HTTP_OPTIONS } from './auth-http.constants';
import { resolveAuthHttpOptions, type ResolvedAuthHttpOptions } from './auth-http-options.resolver';
import { ClientCredentialsTokenProvider } from './client-credentials-token-provider';
import { OutgoingBearerInterceptor } from './outgoing-bearer.interceptor';

const logger = new Logger('AuthHttpModule');

const providers: Provider[] = [
  {
    provide: RESOLVED_AUTH_HTTP_OPTIONS,
    inject: [AUTH_HTTP_MODULE_OPTIONS, RESOLVED_AUTH_OPTIONS],
    useFactory: (options: AuthHttpModuleOptions, auth: ResolvedAuthOptions) => resolveAuthHttpOptions(options, auth),
  },
  {
    provide: ClientCredentialsTokenProvider,
    inject: [RESOLVED_AUTH_HTTP_OPTIONS, OidcDiscoveryService],
    useFactory: (options: ResolvedAuthHttpOptions, discovery: OidcDiscoveryService) =>
      new ClientCredentialsTokenProvider({
        // The primary realm's token endpoint, from the discovery AuthModule already keeps.
        tokenEndpoint: async () => (await discovery.metadata()).token_endpoint,
        clientId: options.clientId,
        clientSecret: options.clientSecret,
        scope: options.scope,
        renewMarginMs: options.renewMarginMs,
        timeoutMs: options.timeoutMs,
        onError: (error) => logger.warn(error.message),
      }),
  },
  OutgoingBearerInterceptor,
];

/**
 * Calls to other services with this service's own identity (client
 * credentials). Exports an `HttpService` whose requests carry the service
 * account's bearer token, and the `ClientCredentialsTokenProvider` for other
 * transports. Needs `AuthModule` (global by default) for discovery and, unless
 * given here, the client id and secret:
 *
 * ```ts
 * imports: [AuthHttpModule.register({ http: { baseURL: 'http://orders:3000' } })]
 * constructor(private readonly http: HttpService) {}
 * ```
 */
@Module({
  providers,
  exports: [ClientCredentialsTokenProvider],
})
export class AuthHttpModule extends ConfigurableAuthHttpModule {}
