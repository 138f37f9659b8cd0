/** Names shared by the auth adapters. Metadata keys live beside their decorators. */

/** Passport strategy name of the bearer-token strategy. */
export const KEYCLOAK_JWT_STRATEGY = 'keycloak-jwt';

/** Injection tokens for the providers the module builds from its options. */
export const TOKEN_VERIFIER = Symbol('TOKEN_VERIFIER');
export const OIDC_PROVIDER = Symbol('OIDC_PROVIDER');
/** The `realm` parameter of `WWW-Authenticate` challenges. */
export const CHALLENGE_REALM = Symbol('CHALLENGE_REALM');
/** The module options after validation and defaults (`ResolvedAuthOptions`). */
export const RESOLVED_AUTH_OPTIONS = Symbol('RESOLVED_AUTH_OPTIONS');
/** Provider of the `SessionAuthenticator` used by the guard when browser sessions are on. */
export const SESSION_AUTHENTICATOR = Symbol('SESSION_AUTHENTICATOR');
