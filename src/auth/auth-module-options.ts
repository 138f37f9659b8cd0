import { ConfigurableModuleBuilder } from '@nestjs/common';
import { withBrowserFlows } from './flows/browser-flows.definition';

/** One trusted token issuer (a Keycloak realm). */
export interface IssuerOptions {
  /** Full issuer URL, e.g. `https://sso.example.com/realms/shop`. */
  issuer?: string;
  /** Alternatively Keycloak's base URL and realm; the issuer is derived from both. */
  keycloakUrl?: string;
  realm?: string;
  /**
   * Where to read the discovery document when the issuer's own URL is not
   * reachable from this process (containers). Default: derived from
   * `keycloakUrl` + `realm`, else the issuer. The document's `issuer` must
   * still equal the expected issuer.
   */
  discoveryUrl?: string;
  /** Value that must appear in the token's `aud`. */
  audience: string;
}

export interface JwksOptions {
  /** How long a fetched key set is trusted before a refresh. */
  cacheTtlSeconds?: number;
  /** Minimum interval between refetches caused by an unknown `kid`. */
  cooldownSeconds?: number;
  /** Timeout of one JWKS (and discovery) request. */
  timeoutMs?: number;
}

export interface IntrospectionOptions {
  /** Ask Keycloak (RFC 7662) about every token instead of validating locally. */
  enabled: boolean;
  /** Upper bound on how long an `active: true` answer is reused. */
  cacheSeconds?: number;
}

export interface SessionCookieOptions {
  name?: string;
  sameSite?: 'lax' | 'strict' | 'none';
  /** `auto`: Secure unless the public base URL is http://localhost. */
  secure?: 'auto' | boolean;
}

/** Browser (authorization code + PKCE) flows and server-side sessions. */
export interface BrowserFlowOptions {
  /** Mount `AuthController` under `/auth`. */
  enabled: boolean;
  /** Public origin of this API, used for redirect and post-logout URIs. */
  publicBaseUrl: string;
  cookie?: SessionCookieOptions;
  sessionTtlSeconds?: number;
  /** Share sessions (and logouts) between replicas through Redis. */
  redisUrl?: string;
  /** Rate limit of `/auth/*` per client address (default 100 requests per 60 s). */
  throttle?: { ttlSeconds?: number; limit?: number };
}

export interface AuthModuleOptions extends IssuerOptions {
  /** Confidential client of this API (needed for browser flows, introspection, client credentials). */
  clientId?: string;
  clientSecret?: string;
  /** Client whose roles `@Roles({ client: [...] })` reads by default; defaults to `clientId`, then `audience`. */
  rolesClientId?: string;
  /** Accepted JWS algorithms (asymmetric only); default `['RS256']`. */
  algorithms?: string[];
  /** Tolerance for `exp`, `nbf` and `iat`. */
  clockSkewSeconds?: number;
  jwks?: JwksOptions;
  /** Upper bound on verified tokens remembered (by hash) until they expire; 0 turns the cache off. */
  tokenCacheMaxEntries?: number;
  /** Register the guards as `APP_GUARD`s (default true). */
  globalGuard?: boolean;
  /** Whether routes without `@Public()` need authentication (default `protected`). */
  defaultAccess?: 'protected' | 'public';
  /** Further trusted realms, each with its own audience and key set. */
  additionalIssuers?: IssuerOptions[];
  introspection?: IntrospectionOptions;
  browser?: BrowserFlowOptions;
  /** `realm` parameter of `WWW-Authenticate` challenges; defaults to the realm name. */
  challengeRealm?: string;
}

/** Module-shape switches, given beside the options in `forRoot`/`forRootAsync`. */
export interface AuthModuleExtras {
  /** Mount `AuthController` (/auth/*) and server-side sessions; needs `browser` options. */
  browserFlows: boolean;
  /**
   * Make the module's exports (guards, services) visible everywhere, as the
   * guards are application-wide anyway (default true).
   */
  isGlobal: boolean;
}

export const {
  ConfigurableModuleClass: ConfigurableAuthModule,
  MODULE_OPTIONS_TOKEN: AUTH_MODULE_OPTIONS,
  OPTIONS_TYPE: AUTH_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: AUTH_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<AuthModuleOptions>()
  .setClassMethodName('forRoot')
  // Extras shape the module graph itself, so they cannot wait for async options.
  .setExtras<AuthModuleExtras>({ browserFlows: false, isGlobal: true }, (definition, extras) => {
    const shaped = { ...definition, global: extras.isGlobal };
    return extras.browserFlows ? withBrowserFlows(shaped) : shaped;
  })
  .build();
