/**
 * The public API of the auth package. Anything not exported here is internal
 * and may change without notice.
 */
export { AuthModule } from './auth.module';
export type {
  AuthModuleOptions,
  IssuerOptions,
  JwksOptions,
  IntrospectionOptions,
  BrowserFlowOptions,
  SessionCookieOptions,
  AuthModuleExtras,
} from './auth-module-options';
export { AuthOptionsError } from './auth-options.resolver';
export { Public, IS_PUBLIC_KEY } from './decorators/public.decorator';
export { Roles, ROLES_KEY, type RoleSpec, type RoleRequirement } from './decorators/roles.decorator';
export { CurrentUser } from './decorators/current-user.decorator';
export { JwtAuthGuard } from './guards/jwt-auth.guard';
export { RolesGuard } from './guards/roles.guard';
export { RouteAccessPolicy, type RouteTargets } from './guards/route-access.policy';
export { OidcDiscoveryService } from './discovery/oidc-discovery.service';
export type { AuthErrorBody } from './errors/bearer-challenge';
export { AuthHttpModule } from './client-credentials/auth-http.module';
export type { AuthHttpModuleOptions, AuthHttpModuleExtras } from './client-credentials/auth-http-module-options';
export {
  ClientCredentialsTokenProvider,
  type ClientCredentialsTokenProviderOptions,
  type ClientCredentialsStats,
} from './client-credentials/client-credentials-token-provider';
export { ClientCredentialsError, type ClientCredentialsFailure } from './client-credentials/client-credentials.error';
export { CsrfError, InvalidSessionError } from './session/session-errors';
export { CSRF_HEADER, CSRF_FORM_FIELD } from './session/csrf';
export { OAuthFlowError, type OAuthErrorCode } from './flows/oauth-flow.error';
export type { SessionView } from './flows/auth-responses';
export { AUTH_THROTTLER } from './flows/auth-rate-limit.guard';
export {
  AuthError,
  MissingCredentialsError,
  InvalidRequestError,
  InvalidTokenError,
  InsufficientScopeError,
  TemporarilyUnavailableError,
  KeySetUnavailableError,
  type AuthPrincipal,
  type RoleMatchMode,
  type ProviderMetadata,
} from './token';
