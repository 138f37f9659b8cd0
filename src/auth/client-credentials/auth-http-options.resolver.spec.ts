import { AuthOptionsError, resolveAuthOptions } from '../auth-options.resolver';
import type { AuthHttpModuleOptions } from './auth-http-module-options';
import { resolveAuthHttpOptions } from './auth-http-options.resolver';

const DEFAULTS = {
  clockSkewSeconds: 30,
  jwksCacheTtlMs: 600_000,
  jwksCooldownMs: 30_000,
  jwksTimeoutMs: 4_000,
  tokenCacheMaxEntries: 10,
  introspectionCacheSeconds: 30,
};

const auth = (client: { clientId?: string; clientSecret?: string } = { clientId: 'shop-api', clientSecret: 'shop-secret' }) =>
  resolveAuthOptions({ keycloakUrl: 'https://sso.example.test', realm: 'shop', audience: 'shop-api', ...client }, DEFAULTS);

function messageOf(options: AuthHttpModuleOptions, authOptions = auth()): string {
  try {
    resolveAuthHttpOptions(options, authOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(AuthOptionsError);
    return (error as Error).message;
  }
  throw new Error('expected an AuthOptionsError');
}

describe('resolveAuthHttpOptions', () => {
  it('takes the client from AuthModule, the timeout from its HTTP timeout, and leaves the margin to the provider', () => {
    expect(resolveAuthHttpOptions({}, auth())).toEqual({
      clientId: 'shop-api',
      clientSecret: 'shop-secret',
      scope: undefined,
      renewMarginMs: undefined,
      origins: undefined,
      timeoutMs: 4_000,
    });
  });

  it('uses its own client, margin, scope and origins when given', () => {
    const resolved = resolveAuthHttpOptions(
      { clientId: 'caller', clientSecret: 'caller-secret', scope: 'orders', renewMarginSeconds: 45, origins: ['https://orders.internal/api/'] },
      auth(),
    );
    expect(resolved).toMatchObject({ clientId: 'caller', clientSecret: 'caller-secret', scope: 'orders', renewMarginMs: 45_000 });
    expect([...(resolved.origins ?? [])]).toEqual(['https://orders.internal']);
  });

  it.each<[string, AuthHttpModuleOptions, RegExp]>([
    ['a secret without its client', { clientSecret: 'x' }, /AuthHttpModule\.clientSecret needs AuthHttpModule\.clientId/],
    ['its own client without a secret', { clientId: 'caller' }, /AuthHttpModule needs clientId and clientSecret/],
    ['a negative margin', { renewMarginSeconds: -1 }, /AuthHttpModule\.renewMarginSeconds must be a non-negative number/],
    ['an empty origin list', { origins: [] }, /AuthHttpModule\.origins must be a non-empty array/],
    ['an origin that is not a URL', { origins: ['orders.internal'] }, /AuthHttpModule\.origins: orders\.internal is not an http\(s\) URL/],
    ['a scope that is not a string', { scope: ['a'] as unknown as string }, /AuthHttpModule\.scope/],
  ])('refuses %s', (_name, options, expected) => {
    expect(messageOf(options)).toMatch(expected);
  });

  it('refuses to start when neither it nor AuthModule has client credentials, without echoing a secret', () => {
    expect(messageOf({}, auth({}))).toMatch(/AuthHttpModule needs clientId and clientSecret/);
    expect(messageOf({ clientSecret: 'do-not-print' })).not.toContain('do-not-print');
  });
});
