/**
 * The framework-free token layer: what the Nest adapters may use. Anything not
 * exported here (decoding internals, the test helpers) is private to token/.
 */
export {
  AuthError,
  MissingCredentialsError,
  InvalidRequestError,
  InvalidTokenError,
  InsufficientScopeError,
  TemporarilyUnavailableError,
  KeySetUnavailableError,
  IntrospectionUnavailableError,
  InvalidLogoutTokenError,
  DiscoveryError,
  type AuthErrorReason,
  type RequiredRolesDetail,
} from './errors';
export { TOKEN_DEFAULTS, type TokenDefaults } from './defaults';
export { constantTimeEqual } from './constant-time';
export type { JwsAlgorithm } from './algorithms';
export type { JwtSizeLimits } from './jwt';
export type { FetchLike, FetchInitLike, FetchResponseLike } from './fetch-json';

export { extractBearerToken, type BearerTokenSources } from './bearer-token';
export { fetchProviderMetadata, discoveryUrl, isHttpUrl, type ProviderMetadata, type DiscoveryOptions } from './discovery';
export { JwksCache, type JwksCacheOptions, type JwksCacheStats } from './jwks-cache';
export type { KeySource, JwtClaims } from './jwt-verifier';
export {
  AccessTokenVerifier,
  accessTokenCache,
  type AccessTokenVerifierOptions,
  type BearerTokenVerifier,
  type VerifiedAccessToken,
} from './access-token-verifier';
export { VerifiedTokenCache, type CacheAdmission, type VerifiedTokenCacheOptions } from './verified-token-cache';
export { IssuerRegistry, type IssuerConfig, type IssuerRegistryOptions, type IssuerRegistryConfigOptions } from './issuer-registry';
export { IntrospectionVerifier, type IntrospectionVerifierOptions } from './introspection';
export {
  IdTokenVerifier,
  type IdTokenVerifierOptions,
  type IdTokenExpectations,
  type IdTokenClaims,
} from './id-token-verifier';
export {
  LogoutTokenVerifier,
  BACKCHANNEL_LOGOUT_EVENT,
  type LogoutTokenVerifierOptions,
  type LogoutTokenClaims,
} from './logout-token-verifier';
export { InMemoryReplayStore, type ReplayStore, type InMemoryReplayStoreOptions } from './replay-store';
export { toPrincipal, clientRolesOf, type AuthPrincipal } from './principal';
export {
  hasRoles,
  requireRealmRoles,
  requireClientRoles,
  requireDefaultClientRoles,
  DEFAULT_CLIENT,
  type RequiredRoles,
  type RoleMatchMode,
} from './roles';
