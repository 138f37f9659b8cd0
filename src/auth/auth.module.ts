import { Module, type Provider } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { CHALLENGE_REALM, RESOLVED_AUTH_OPTIONS } from './auth.constants';
import { AUTH_MODULE_OPTIONS, ConfigurableAuthModule, type AuthModuleOptions } from './auth-module-options';
import { resolveAuthOptions, type ResolvedAuthOptions } from './auth-options.resolver';
import { BearerAuthenticator } from './bearer/bearer-authenticator.service';
import { OidcDiscoveryService } from './discovery/oidc-discovery.service';
import { AuthExceptionFilter } from './errors/auth-exception.filter';
import { JwtAuthGuard } from './guards/jwt-auth.guard';
import { RolesGuard } from './guards/roles.guard';
import { RouteAccessPolicy } from './guards/route-access.policy';
import { KeycloakJwtStrategy } from './strategies/keycloak-jwt.strategy';

/** With `globalGuard: false` the guards stay available for `@UseGuards()` but guard nothing by themselves. */
const passThrough = { canActivate: () => true };

const providers: Provider[] = [
  {
    provide: RESOLVED_AUTH_OPTIONS,
    inject: [AUTH_MODULE_OPTIONS],
    useFactory: (options: AuthModuleOptions) => resolveAuthOptions(options),
  },
  {
    provide: CHALLENGE_REALM,
    inject: [RESOLVED_AUTH_OPTIONS],
    useFactory: (options: ResolvedAuthOptions) => options.challengeRealm,
  },
  OidcDiscoveryService,
  BearerAuthenticator,
  KeycloakJwtStrategy,
  RouteAccessPolicy,
  JwtAuthGuard,
  RolesGuard,
  // Order matters: authentication runs before the role check.
  {
    provide: APP_GUARD,
    inject: [RESOLVED_AUTH_OPTIONS, JwtAuthGuard],
    useFactory: (options: ResolvedAuthOptions, guard: JwtAuthGuard) => (options.globalGuard ? guard : passThrough),
  },
  {
    provide: APP_GUARD,
    inject: [RESOLVED_AUTH_OPTIONS, RolesGuard],
    useFactory: (options: ResolvedAuthOptions, guard: RolesGuard) => (options.globalGuard ? guard : passThrough),
  },
  { provide: APP_FILTER, useClass: AuthExceptionFilter },
];

/**
 * Keycloak authentication for a Nest application: bearer tokens verified
 * against the realm's keys, `@Public()`, `@Roles()`, `@CurrentUser()`, RFC 6750
 * errors. Import once, in the root module:
 *
 * ```ts
 * AuthModule.forRoot({ keycloakUrl, realm, audience: 'my-api' })
 * AuthModule.forRootAsync({ inject: [ConfigService], useFactory: (c) => ({ ... }) })
 * ```
 */
@Module({
  imports: [PassportModule],
  providers,
  exports: [RESOLVED_AUTH_OPTIONS, OidcDiscoveryService, BearerAuthenticator, RouteAccessPolicy, JwtAuthGuard, RolesGuard],
})
export class AuthModule extends ConfigurableAuthModule {}
