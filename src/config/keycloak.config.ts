import { registerAs } from '@nestjs/config';
import { splitList } from './app.config';
import { currentEnv } from './env.validation';

/**
 * Where Keycloak is and who this API is to it. No endpoint URL is built here:
 * the auth module derives the issuer and reads every endpoint from discovery.
 */
export const keycloakConfig = registerAs('keycloak', () => {
  const env = currentEnv();
  return {
    url: env.KEYCLOAK_URL.replace(/\/+$/, ''),
    realm: env.KEYCLOAK_REALM,
    issuer: env.KEYCLOAK_ISSUER,
    clientId: env.KEYCLOAK_CLIENT_ID,
    clientSecret: env.KEYCLOAK_CLIENT_SECRET,
    discoveryTimeoutMs: env.KEYCLOAK_DISCOVERY_TIMEOUT_MS,
  };
});

/** How tokens are checked. */
export const authConfig = registerAs('auth', () => {
  const env = currentEnv();
  return {
    audience: env.AUTH_AUDIENCE ?? env.KEYCLOAK_CLIENT_ID,
    rolesClientId: env.AUTH_ROLES_CLIENT_ID ?? env.KEYCLOAK_CLIENT_ID,
    algorithms: splitList(env.AUTH_ALGORITHMS),
    clockSkewSeconds: env.AUTH_CLOCK_SKEW_SECONDS,
    jwksCacheTtlSeconds: env.AUTH_JWKS_CACHE_TTL_SECONDS,
    jwksCooldownSeconds: env.AUTH_JWKS_COOLDOWN_SECONDS,
    jwksTimeoutMs: env.AUTH_JWKS_TIMEOUT_MS,
    tokenCacheMax: env.AUTH_TOKEN_CACHE_MAX,
    introspection: {
      enabled: env.AUTH_INTROSPECTION,
      cacheSeconds: env.AUTH_INTROSPECTION_CACHE_SECONDS,
    },
  };
});

/** Browser session (BFF) settings. */
export const sessionConfig = registerAs('session', () => {
  const env = currentEnv();
  return {
    cookieName: env.SESSION_COOKIE_NAME,
    sameSite: env.SESSION_COOKIE_SAMESITE,
    secure: env.SESSION_COOKIE_SECURE,
    ttlSeconds: env.SESSION_TTL_SECONDS,
    redisUrl: env.REDIS_URL,
  };
});
