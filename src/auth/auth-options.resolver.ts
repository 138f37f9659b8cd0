import type { AuthModuleOptions, IssuerOptions } from './auth-module-options';

/** A trusted issuer after defaults and derivation. */
export interface ResolvedIssuer {
  issuer: string;
  /** Base URL under which `/.well-known/openid-configuration` is fetched. */
  discoveryBase: string;
  audience: string;
}

/** Options with every default applied; what the providers are built from. */
export interface ResolvedAuthOptions {
  primary: ResolvedIssuer;
  additional: ResolvedIssuer[];
  clientId?: string;
  clientSecret?: string;
  rolesClientId: string;
  algorithms: string[];
  clockSkewSeconds: number;
  jwks: { cacheTtlMs: number; cooldownMs: number; timeoutMs: number };
  tokenCacheMaxEntries: number;
  globalGuard: boolean;
  defaultAccess: 'protected' | 'public';
  introspection: { enabled: boolean; cacheSeconds: number };
  challengeRealm: string;
  browser?: AuthModuleOptions['browser'];
}

export class AuthOptionsError extends Error {
  constructor(message: string) {
    super(`AuthModule: ${message}`);
    this.name = 'AuthOptionsError';
  }
}

const ASYMMETRIC = /^(RS|PS|ES)(256|384|512)$/;

/**
 * Validates module options at start-up and applies defaults, so a mistake is
 * one clear message at boot rather than a 401 on every request later.
 */
export function resolveAuthOptions(
  options: AuthModuleOptions,
  defaults: { clockSkewSeconds: number; jwksCacheTtlMs: number; jwksCooldownMs: number; jwksTimeoutMs: number; tokenCacheMaxEntries: number; introspectionCacheSeconds: number },
): ResolvedAuthOptions {
  if (!options || typeof options !== 'object') throw new AuthOptionsError('options are required');
  const primary = resolveIssuer(options, 'options');
  const additional = (options.additionalIssuers ?? []).map((issuer, i) =>
    resolveIssuer(issuer, `additionalIssuers[${i}]`),
  );
  const seen = new Set<string>();
  for (const { issuer } of [primary, ...additional]) {
    if (seen.has(issuer)) throw new AuthOptionsError(`issuer ${issuer} is configured twice`);
    seen.add(issuer);
  }

  const algorithms = options.algorithms ?? ['RS256'];
  if (algorithms.length === 0) throw new AuthOptionsError('algorithms must not be empty');
  for (const alg of algorithms) {
    // Symmetric and `none` algorithms would let anyone holding public material mint tokens.
    if (!ASYMMETRIC.test(alg)) throw new AuthOptionsError(`algorithm ${alg} is not allowed (use RS*, PS* or ES*)`);
  }

  const clockSkewSeconds = nonNegative(options.clockSkewSeconds, defaults.clockSkewSeconds, 'clockSkewSeconds');
  if (clockSkewSeconds > 300) throw new AuthOptionsError('clockSkewSeconds must be at most 300');

  const introspectionEnabled = options.introspection?.enabled === true;
  if (introspectionEnabled && (!options.clientId || !options.clientSecret)) {
    throw new AuthOptionsError('introspection needs clientId and clientSecret');
  }
  if (options.browser?.enabled) {
    if (!options.clientId || !options.clientSecret) {
      throw new AuthOptionsError('browser flows need clientId and clientSecret');
    }
    if (!isHttpUrl(options.browser.publicBaseUrl)) {
      throw new AuthOptionsError('browser.publicBaseUrl must be an absolute http(s) URL');
    }
  }

  return {
    primary,
    additional,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    rolesClientId: options.rolesClientId ?? options.clientId ?? primary.audience,
    algorithms: [...algorithms],
    clockSkewSeconds,
    jwks: {
      cacheTtlMs: nonNegative(options.jwks?.cacheTtlSeconds, defaults.jwksCacheTtlMs / 1000, 'jwks.cacheTtlSeconds') * 1000,
      cooldownMs: nonNegative(options.jwks?.cooldownSeconds, defaults.jwksCooldownMs / 1000, 'jwks.cooldownSeconds') * 1000,
      timeoutMs: nonNegative(options.jwks?.timeoutMs, defaults.jwksTimeoutMs, 'jwks.timeoutMs'),
    },
    tokenCacheMaxEntries: nonNegative(options.tokenCacheMaxEntries, defaults.tokenCacheMaxEntries, 'tokenCacheMaxEntries'),
    globalGuard: options.globalGuard ?? true,
    defaultAccess: options.defaultAccess ?? 'protected',
    introspection: {
      enabled: introspectionEnabled,
      cacheSeconds: nonNegative(options.introspection?.cacheSeconds, defaults.introspectionCacheSeconds, 'introspection.cacheSeconds'),
    },
    challengeRealm: options.challengeRealm ?? options.realm ?? 'api',
    browser: options.browser,
  };
}

function resolveIssuer(options: IssuerOptions, where: string): ResolvedIssuer {
  let realmUrl: string | undefined;
  if (options.keycloakUrl || options.realm) {
    if (!isHttpUrl(options.keycloakUrl)) throw new AuthOptionsError(`${where}.keycloakUrl must be an absolute http(s) URL`);
    if (!options.realm) throw new AuthOptionsError(`${where}.realm is required with keycloakUrl`);
    // Keycloak's issuer layout is fixed: {base}/realms/{realm}. Every other URL comes from discovery.
    realmUrl = `${options.keycloakUrl.replace(/\/+$/, '')}/realms/${encodeURIComponent(options.realm)}`;
  }
  if (options.issuer !== undefined && !isHttpUrl(options.issuer)) {
    throw new AuthOptionsError(`${where}.issuer must be an absolute http(s) URL`);
  }
  if (options.discoveryUrl !== undefined && !isHttpUrl(options.discoveryUrl)) {
    throw new AuthOptionsError(`${where}.discoveryUrl must be an absolute http(s) URL`);
  }
  const issuer = options.issuer?.replace(/\/+$/, '') ?? realmUrl;
  if (!issuer) throw new AuthOptionsError(`${where} needs either issuer, or keycloakUrl and realm`);
  const discoveryBase = options.discoveryUrl?.replace(/\/+$/, '') ?? realmUrl ?? issuer;
  if (typeof options.audience !== 'string' || options.audience.length === 0) {
    throw new AuthOptionsError(`${where}.audience is required`);
  }
  return { issuer, discoveryBase, audience: options.audience };
}

function nonNegative(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new AuthOptionsError(`${name} must be a non-negative number`);
  }
  return value;
}

function isHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
