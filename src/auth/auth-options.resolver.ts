import type { AuthModuleOptions, IssuerOptions } from './auth-module-options';
import { isHttpUrl, TOKEN_DEFAULTS } from './token';

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
  /** On, it carries the client it authenticates as (the resolver guarantees both). */
  introspection: { enabled: false } | { enabled: true; cacheSeconds: number; clientId: string; clientSecret: string };
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

/** What an option left out becomes; the token layer's defaults, in the units the options use. */
export interface AuthOptionDefaults {
  clockSkewSeconds: number;
  jwksCacheTtlMs: number;
  jwksCooldownMs: number;
  jwksTimeoutMs: number;
  tokenCacheMaxEntries: number;
  introspectionCacheSeconds: number;
}

export const AUTH_OPTION_DEFAULTS: Readonly<AuthOptionDefaults> = Object.freeze({
  clockSkewSeconds: TOKEN_DEFAULTS.clockSkewSec,
  jwksCacheTtlMs: TOKEN_DEFAULTS.jwksCacheTtlMs,
  jwksCooldownMs: TOKEN_DEFAULTS.jwksCooldownMs,
  jwksTimeoutMs: TOKEN_DEFAULTS.fetchTimeoutMs,
  tokenCacheMaxEntries: TOKEN_DEFAULTS.tokenCacheMaxEntries,
  introspectionCacheSeconds: TOKEN_DEFAULTS.introspectionCacheMaxTtlMs / 1000,
});

/**
 * Validates module options at start-up and applies defaults, so a mistake is
 * one clear message at boot rather than a 401 on every request later.
 * `defaults` is for tests; the module uses the token layer's.
 */
export function resolveAuthOptions(
  options: AuthModuleOptions,
  defaults: Readonly<AuthOptionDefaults> = AUTH_OPTION_DEFAULTS,
): ResolvedAuthOptions {
  if (!options || typeof options !== 'object') throw new AuthOptionsError('options are required');
  const primary = resolveIssuer(options, 'options');
  if (options.additionalIssuers !== undefined && !Array.isArray(options.additionalIssuers)) {
    throw new AuthOptionsError('additionalIssuers must be an array of issuer options');
  }
  const additional = (options.additionalIssuers ?? []).map((issuer, i) =>
    resolveIssuer(issuer, `additionalIssuers[${i}]`),
  );
  const seen = new Set<string>();
  for (const { issuer } of [primary, ...additional]) {
    if (seen.has(issuer)) throw new AuthOptionsError(`issuer ${issuer} is configured twice`);
    seen.add(issuer);
  }

  const clientId = optionalText(options.clientId, 'clientId');
  const clientSecret = optionalText(options.clientSecret, 'clientSecret');
  // A secret without its client is a half-finished configuration, not an intention.
  if (clientSecret !== undefined && clientId === undefined) throw new AuthOptionsError('clientSecret needs clientId');
  const rolesClientId = optionalText(options.rolesClientId, 'rolesClientId');
  const challengeRealm = optionalText(options.challengeRealm, 'challengeRealm');

  const algorithms = options.algorithms ?? ['RS256'];
  if (!Array.isArray(algorithms)) throw new AuthOptionsError('algorithms must be an array, e.g. [\'RS256\']');
  if (algorithms.length === 0) throw new AuthOptionsError('algorithms must not be empty');
  for (const alg of algorithms) {
    // Symmetric and `none` algorithms would let anyone holding public material mint tokens.
    if (typeof alg !== 'string' || !ASYMMETRIC.test(alg)) {
      throw new AuthOptionsError(`algorithm ${String(alg)} is not allowed (use RS*, PS* or ES*)`);
    }
  }

  const clockSkewSeconds = nonNegative(options.clockSkewSeconds, defaults.clockSkewSeconds, 'clockSkewSeconds');
  if (clockSkewSeconds > 300) throw new AuthOptionsError('clockSkewSeconds must be at most 300');

  const jwks = optionalObject(options.jwks, 'jwks');
  const jwksTimeoutMs = nonNegative(jwks?.timeoutMs, defaults.jwksTimeoutMs, 'jwks.timeoutMs');
  // A zero timeout would abort every key fetch before it starts.
  if (jwksTimeoutMs === 0) throw new AuthOptionsError('jwks.timeoutMs must be greater than 0');

  const tokenCacheMaxEntries = nonNegative(options.tokenCacheMaxEntries, defaults.tokenCacheMaxEntries, 'tokenCacheMaxEntries');
  if (!Number.isInteger(tokenCacheMaxEntries)) throw new AuthOptionsError('tokenCacheMaxEntries must be an integer');

  const globalGuard = optionalBoolean(options.globalGuard, 'globalGuard') ?? true;
  // Checked strictly: the guard treats anything but 'protected' as public, so a typo would open every route.
  const defaultAccess = options.defaultAccess ?? 'protected';
  if (defaultAccess !== 'protected' && defaultAccess !== 'public') {
    throw new AuthOptionsError(`defaultAccess must be 'protected' or 'public'`);
  }

  const introspection = optionalObject(options.introspection, 'introspection');
  const introspectionEnabled = optionalBoolean(introspection?.enabled, 'introspection.enabled') ?? false;
  if (introspectionEnabled && (!clientId || !clientSecret)) {
    throw new AuthOptionsError('introspection needs clientId and clientSecret');
  }
  // Introspection asks the primary realm only; silently dropping the others would refuse their tokens.
  if (introspectionEnabled && additional.length > 0) {
    throw new AuthOptionsError('introspection works with one realm: remove additionalIssuers or turn introspection off');
  }
  if (options.browser?.enabled) {
    if (!clientId || !clientSecret) {
      throw new AuthOptionsError('browser flows need clientId and clientSecret');
    }
    if (!isHttpUrl(options.browser.publicBaseUrl)) {
      throw new AuthOptionsError('browser.publicBaseUrl must be an absolute http(s) URL');
    }
  }
  // Validated even when introspection is off: a wrong value is a mistake either way.
  const introspectionCacheSeconds = nonNegative(introspection?.cacheSeconds, defaults.introspectionCacheSeconds, 'introspection.cacheSeconds');

  return {
    primary,
    additional,
    clientId,
    clientSecret,
    rolesClientId: rolesClientId ?? clientId ?? primary.audience,
    algorithms: [...algorithms],
    clockSkewSeconds,
    jwks: {
      cacheTtlMs: nonNegative(jwks?.cacheTtlSeconds, defaults.jwksCacheTtlMs / 1000, 'jwks.cacheTtlSeconds') * 1000,
      cooldownMs: nonNegative(jwks?.cooldownSeconds, defaults.jwksCooldownMs / 1000, 'jwks.cooldownSeconds') * 1000,
      timeoutMs: jwksTimeoutMs,
    },
    tokenCacheMaxEntries,
    globalGuard,
    defaultAccess,
    introspection:
      introspectionEnabled && clientId && clientSecret
        ? {
            enabled: true,
            cacheSeconds: introspectionCacheSeconds,
            clientId,
            clientSecret,
          }
        : { enabled: false },
    challengeRealm: challengeRealm ?? options.realm ?? 'api',
    browser: options.browser,
  };
}

function resolveIssuer(options: IssuerOptions, where: string): ResolvedIssuer {
  if (!options || typeof options !== 'object') throw new AuthOptionsError(`${where} must be an object`);
  let realmUrl: string | undefined;
  if (options.keycloakUrl || options.realm) {
    if (!isHttpUrl(options.keycloakUrl)) throw new AuthOptionsError(`${where}.keycloakUrl must be an absolute http(s) URL`);
    if (typeof options.realm !== 'string' || options.realm.length === 0) {
      throw new AuthOptionsError(`${where}.realm is required with keycloakUrl`);
    }
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

export function nonNegative(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new AuthOptionsError(`${name} must be a non-negative number`);
  }
  return value;
}

function optionalText(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim().length === 0) throw new AuthOptionsError(`${name} must be a non-empty string`);
  return value;
}

function optionalBoolean(value: boolean | undefined, name: string): boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') throw new AuthOptionsError(`${name} must be true or false`);
  return value;
}

function optionalObject<T extends object>(value: T | undefined, name: string): T | undefined {
  if (value !== undefined && (typeof value !== 'object' || value === null || Array.isArray(value))) {
    throw new AuthOptionsError(`${name} must be an object`);
  }
  return value;
}

