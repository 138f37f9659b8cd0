import type { AuthModuleOptions } from './auth-module-options';
import { AuthOptionsError, resolveAuthOptions } from './auth-options.resolver';
import { TOKEN_DEFAULTS } from './token';

const DEFAULTS = {
  clockSkewSeconds: 30,
  jwksCacheTtlMs: 600_000,
  jwksCooldownMs: 30_000,
  jwksTimeoutMs: 5_000,
  tokenCacheMaxEntries: 10_000,
  introspectionCacheSeconds: 30,
};

const MINIMAL: AuthModuleOptions = { keycloakUrl: 'https://sso.example.test/', realm: 'shop', audience: 'shop-api' };

function resolve(options: Partial<AuthModuleOptions> | Record<string, unknown>) {
  return resolveAuthOptions({ ...MINIMAL, ...options } as AuthModuleOptions, DEFAULTS);
}

/** The message of the error `fn` throws; fails the test when it does not throw an AuthOptionsError. */
function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AuthOptionsError);
    return (error as Error).message;
  }
  throw new Error('expected an AuthOptionsError');
}

describe('resolveAuthOptions', () => {
  it("fills left-out options from the token layer's defaults when given none", () => {
    const resolved = resolveAuthOptions(MINIMAL);
    expect(resolved).toMatchObject({
      clockSkewSeconds: TOKEN_DEFAULTS.clockSkewSec,
      tokenCacheMaxEntries: TOKEN_DEFAULTS.tokenCacheMaxEntries,
    });
    expect(resolved.jwks).toMatchObject({
      cacheTtlMs: TOKEN_DEFAULTS.jwksCacheTtlMs,
      cooldownMs: TOKEN_DEFAULTS.jwksCooldownMs,
      timeoutMs: TOKEN_DEFAULTS.fetchTimeoutMs,
    });
  });

  describe('defaults', () => {
    it('derives the issuer from keycloakUrl and realm and applies every default', () => {
      expect(resolve({})).toEqual({
        primary: {
          issuer: 'https://sso.example.test/realms/shop',
          discoveryBase: 'https://sso.example.test/realms/shop',
          audience: 'shop-api',
        },
        additional: [],
        clientId: undefined,
        clientSecret: undefined,
        rolesClientId: 'shop-api',
        algorithms: ['RS256'],
        clockSkewSeconds: 30,
        jwks: { cacheTtlMs: 600_000, cooldownMs: 30_000, timeoutMs: 5_000 },
        tokenCacheMaxEntries: 10_000,
        globalGuard: true,
        defaultAccess: 'protected',
        introspection: { enabled: false },
        challengeRealm: 'shop',
        browser: undefined,
      });
    });

    it('reads roles from clientId when rolesClientId is not given, and from rolesClientId when it is', () => {
      expect(resolve({ clientId: 'shop-backend', clientSecret: 's' }).rolesClientId).toBe('shop-backend');
      expect(resolve({ clientId: 'shop-backend', rolesClientId: 'shop-roles' }).rolesClientId).toBe('shop-roles');
    });

    it('keeps given values and converts seconds to milliseconds', () => {
      const resolved = resolve({
        algorithms: ['RS256', 'ES256'],
        clockSkewSeconds: 0,
        jwks: { cacheTtlSeconds: 60, cooldownSeconds: 5, timeoutMs: 1_500 },
        tokenCacheMaxEntries: 0,
        globalGuard: false,
        defaultAccess: 'public',
        clientId: 'shop-backend',
        clientSecret: 'secret',
        introspection: { enabled: true, cacheSeconds: 2 },
        challengeRealm: 'shop-api',
      });
      expect(resolved).toMatchObject({
        algorithms: ['RS256', 'ES256'],
        clockSkewSeconds: 0,
        jwks: { cacheTtlMs: 60_000, cooldownMs: 5_000, timeoutMs: 1_500 },
        tokenCacheMaxEntries: 0,
        globalGuard: false,
        defaultAccess: 'public',
        // On, introspection carries the client it authenticates as.
        introspection: { enabled: true, cacheSeconds: 2, clientId: 'shop-backend', clientSecret: 'secret' },
        challengeRealm: 'shop-api',
      });
    });

    it('accepts an issuer URL instead of keycloakUrl and realm, discovering under discoveryUrl when given', () => {
      const resolved = resolveAuthOptions(
        { issuer: 'https://sso.example.test/realms/shop/', discoveryUrl: 'http://keycloak:8080/realms/shop', audience: 'a' },
        DEFAULTS,
      );
      expect(resolved.primary).toEqual({
        issuer: 'https://sso.example.test/realms/shop',
        discoveryBase: 'http://keycloak:8080/realms/shop',
        audience: 'a',
      });
      expect(resolved.challengeRealm).toBe('api');
    });

    it('resolves additional issuers, each with its own audience', () => {
      const resolved = resolve({
        additionalIssuers: [{ keycloakUrl: 'https://sso.example.test', realm: 'partner', audience: 'partner-api' }],
      });
      expect(resolved.additional).toEqual([
        {
          issuer: 'https://sso.example.test/realms/partner',
          discoveryBase: 'https://sso.example.test/realms/partner',
          audience: 'partner-api',
        },
      ]);
    });

    it('does not keep a reference to the caller’s algorithm list', () => {
      const algorithms = ['RS256'];
      const resolved = resolve({ algorithms });
      algorithms.push('ES256');
      expect(resolved.algorithms).toEqual(['RS256']);
    });
  });

  describe('refuses a bad option with a message naming it', () => {
    const cases: Array<[string, Record<string, unknown>, RegExp]> = [
      ['no issuer at all', { keycloakUrl: undefined, realm: undefined }, /options needs either issuer, or keycloakUrl and realm/],
      ['a relative keycloakUrl', { keycloakUrl: 'sso.example.test' }, /options\.keycloakUrl must be an absolute http\(s\) URL/],
      ['a non-http keycloakUrl', { keycloakUrl: 'ftp://sso.example.test' }, /options\.keycloakUrl/],
      ['a realm without keycloakUrl', { keycloakUrl: undefined }, /options\.keycloakUrl/],
      ['keycloakUrl without realm', { realm: undefined }, /options\.realm is required with keycloakUrl/],
      ['an empty realm', { realm: '' }, /options\.realm/],
      ['a malformed issuer', { keycloakUrl: undefined, realm: undefined, issuer: 'not a url' }, /options\.issuer must be an absolute http\(s\) URL/],
      ['a malformed discoveryUrl', { discoveryUrl: '/realms/shop' }, /options\.discoveryUrl/],
      ['no audience', { audience: undefined }, /options\.audience is required/],
      ['an empty audience', { audience: '' }, /options\.audience is required/],
      ['an empty clientId', { clientId: '' }, /clientId must be a non-empty string/],
      ['a clientId that is not a string', { clientId: 42 }, /clientId must be a non-empty string/],
      ['a clientSecret without clientId', { clientSecret: 'secret' }, /clientSecret needs clientId/],
      ['an empty clientSecret', { clientId: 'c', clientSecret: ' ' }, /clientSecret must be a non-empty string/],
      ['an empty rolesClientId', { rolesClientId: '' }, /rolesClientId must be a non-empty string/],
      ['algorithms as a string', { algorithms: 'RS256' }, /algorithms must be an array/],
      ['no algorithms', { algorithms: [] }, /algorithms must not be empty/],
      ['HS256', { algorithms: ['HS256'] }, /algorithm HS256 is not allowed/],
      ['none', { algorithms: ['RS256', 'none'] }, /algorithm none is not allowed/],
      ['a negative clock skew', { clockSkewSeconds: -1 }, /clockSkewSeconds must be a non-negative number/],
      ['a clock skew that is not a number', { clockSkewSeconds: '30' }, /clockSkewSeconds must be a non-negative number/],
      ['a clock skew above five minutes', { clockSkewSeconds: 301 }, /clockSkewSeconds must be at most 300/],
      ['jwks that is not an object', { jwks: 600 }, /jwks must be an object/],
      ['a negative JWKS cache TTL', { jwks: { cacheTtlSeconds: -5 } }, /jwks\.cacheTtlSeconds must be a non-negative number/],
      ['an infinite JWKS cooldown', { jwks: { cooldownSeconds: Infinity } }, /jwks\.cooldownSeconds must be a non-negative number/],
      ['a zero JWKS timeout', { jwks: { timeoutMs: 0 } }, /jwks\.timeoutMs must be greater than 0/],
      ['a NaN JWKS timeout', { jwks: { timeoutMs: NaN } }, /jwks\.timeoutMs must be a non-negative number/],
      ['a fractional token cache size', { tokenCacheMaxEntries: 1.5 }, /tokenCacheMaxEntries must be an integer/],
      ['a negative token cache size', { tokenCacheMaxEntries: -1 }, /tokenCacheMaxEntries must be a non-negative number/],
      ['globalGuard as a string', { globalGuard: 'false' }, /globalGuard must be true or false/],
      ['a misspelt defaultAccess', { defaultAccess: 'Public' }, /defaultAccess must be 'protected' or 'public'/],
      ['introspection that is not an object', { introspection: true }, /introspection must be an object/],
      ['introspection.enabled as a string', { introspection: { enabled: 'yes' } }, /introspection\.enabled must be true or false/],
      ['introspection without client credentials', { introspection: { enabled: true } }, /introspection needs clientId and clientSecret/],
      [
        'a negative introspection cache',
        { clientId: 'c', clientSecret: 's', introspection: { enabled: true, cacheSeconds: -1 } },
        /introspection\.cacheSeconds must be a non-negative number/,
      ],
      [
        'introspection with additional issuers',
        {
          clientId: 'c',
          clientSecret: 's',
          introspection: { enabled: true },
          additionalIssuers: [{ keycloakUrl: 'https://sso.example.test', realm: 'partner', audience: 'partner-api' }],
        },
        /introspection works with one realm: remove additionalIssuers/,
      ],
      ['additionalIssuers that is not an array', { additionalIssuers: { realm: 'x' } }, /additionalIssuers must be an array/],
      ['an additional issuer that is not an object', { additionalIssuers: [null] }, /additionalIssuers\[0\] must be an object/],
      [
        'an additional issuer without audience',
        { additionalIssuers: [{ keycloakUrl: 'https://sso.example.test', realm: 'partner' }] },
        /additionalIssuers\[0\]\.audience is required/,
      ],
      [
        'an additional issuer with a bad URL',
        { additionalIssuers: [{ issuer: 'https://ok.test/realms/a', audience: 'a' }, { keycloakUrl: 'nope', realm: 'b', audience: 'b' }] },
        /additionalIssuers\[1\]\.keycloakUrl/,
      ],
      [
        'the same issuer twice',
        { additionalIssuers: [{ issuer: 'https://sso.example.test/realms/shop', audience: 'other' }] },
        /issuer https:\/\/sso\.example\.test\/realms\/shop is configured twice/,
      ],
      ['an empty challengeRealm', { challengeRealm: '' }, /challengeRealm must be a non-empty string/],
      [
        'browser flows without client credentials',
        { browser: { enabled: true, publicBaseUrl: 'https://api.example.test' } },
        /browser flows need clientId and clientSecret/,
      ],
      [
        'browser flows with a relative publicBaseUrl',
        { clientId: 'c', clientSecret: 's', browser: { enabled: true, publicBaseUrl: '/app' } },
        /browser\.publicBaseUrl must be an absolute http\(s\) URL/,
      ],
    ];

    it.each(cases)('%s', (_name, options, expected) => {
      const message = messageOf(() => resolve(options));
      expect(message).toMatch(/^AuthModule: /);
      expect(message).toMatch(expected);
    });

    it('refuses missing options as a whole', () => {
      expect(messageOf(() => resolveAuthOptions(undefined as unknown as AuthModuleOptions, DEFAULTS))).toBe(
        'AuthModule: options are required',
      );
    });

    it('never puts the client secret into a message', () => {
      const secret = 'very-secret-value';
      const message = messageOf(() => resolve({ clientId: 'c', clientSecret: secret, algorithms: ['HS256'] }));
      expect(message).not.toContain(secret);
    });
  });
});
