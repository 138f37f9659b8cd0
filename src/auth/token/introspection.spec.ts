import type { FetchResponseLike } from './fetch-json';
import { IntrospectionVerifier, type IntrospectionVerifierOptions } from './introspection';
import { ISSUER, jsonResponse, stubFetch } from './testing/tokens';
import { outcomeOf } from './testing/outcome';

const NOW = 1_750_000_000_000;
const nowSec = NOW / 1000;
const ENDPOINT = `${ISSUER}/protocol/openid-connect/token/introspect`;

function active(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    active: true,
    iss: ISSUER,
    sub: 'bob-id',
    aud: ['nest-api', 'account'],
    typ: 'Bearer',
    exp: nowSec + 300,
    preferred_username: 'bob',
    realm_access: { roles: ['manager'] },
    ...extra,
  };
}

function setup(answer: () => FetchResponseLike | Promise<FetchResponseLike>, options: Partial<IntrospectionVerifierOptions> = {}) {
  const fetch = stubFetch(answer);
  const errors: unknown[] = [];
  const verifier = new IntrospectionVerifier({
    introspectionEndpoint: ENDPOINT,
    clientId: 'nest-api',
    clientSecret: 'nest-api-dev-secret',
    issuer: ISSUER,
    audience: 'nest-api',
    fetch,
    onError: (error) => errors.push(error),
    ...options,
  });
  return { fetch, verifier, errors };
}

const reasonOf = outcomeOf;

describe('IntrospectionVerifier', () => {
  beforeEach(() => jest.useFakeTimers({ now: NOW }));
  afterEach(() => jest.useRealTimers());

  it('posts the token with HTTP Basic client credentials and returns the principal', async () => {
    const { fetch, verifier } = setup(() => jsonResponse(active()));
    const principal = await verifier.verify('tok.en+/=');
    expect(principal).toMatchObject({ subject: 'bob-id', username: 'bob', realmRoles: ['manager'] });
    expect(fetch.calls).toHaveLength(1);
    const [call] = fetch.calls;
    expect(call.url).toBe(ENDPOINT);
    expect(call.method).toBe('POST');
    expect(call.headers?.authorization).toBe(`Basic ${Buffer.from('nest-api:nest-api-dev-secret').toString('base64')}`);
    expect(call.headers?.['content-type']).toBe('application/x-www-form-urlencoded');
    expect(new URLSearchParams(call.body).get('token')).toBe('tok.en+/=');
    expect(new URLSearchParams(call.body).get('token_type_hint')).toBe('access_token');
  });

  it('form-encodes client credentials (RFC 6749 §2.3.1)', async () => {
    const { fetch, verifier } = setup(() => jsonResponse(active()), { clientId: 'a b', clientSecret: 'p:w%' });
    await verifier.verify('t');
    expect(fetch.calls[0].headers?.authorization).toBe(`Basic ${Buffer.from('a+b:p%3Aw%25').toString('base64')}`);
  });

  it.each([
    ['inactive', { active: false }, 'inactive'],
    ['active as a string', { active: 'true' }, 'inactive'],
    ['a refresh token', { typ: 'Refresh' }, 'wrong_token_type'],
    ['another issuer', { iss: 'https://sso.example.test/realms/partner' }, 'wrong_issuer'],
    ['another audience', { aud: 'account' }, 'wrong_audience'],
    ['an expired token', { exp: nowSec }, 'expired'],
    ['no subject', { sub: undefined }, 'missing_claim'],
  ])('rejects %s', async (_name, extra, reason) => {
    const { verifier } = setup(() => jsonResponse(active(extra)));
    expect(await reasonOf(verifier.verify('t'))).toBe(reason);
  });

  it('reuses an answer for at most the cache TTL', async () => {
    const { fetch, verifier } = setup(() => jsonResponse(active()), { cacheMaxTtlMs: 30_000 });
    await verifier.verify('t');
    jest.advanceTimersByTime(29_999);
    await verifier.verify('t');
    expect(fetch.calls).toHaveLength(1);
    jest.advanceTimersByTime(1);
    await verifier.verify('t');
    expect(fetch.calls).toHaveLength(2);
  });

  it('never reuses an answer past exp', async () => {
    const { fetch, verifier } = setup(() => jsonResponse(active({ exp: nowSec + 10 })));
    await verifier.verify('t');
    jest.advanceTimersByTime(10_000);
    expect(await reasonOf(verifier.verify('t'))).toBe('expired');
    expect(fetch.calls).toHaveLength(2);
  });

  it('does not cache a negative answer', async () => {
    let answer = active({ active: false });
    const { fetch, verifier } = setup(() => jsonResponse(answer));
    expect(await reasonOf(verifier.verify('t'))).toBe('inactive');
    answer = active();
    expect(await reasonOf(verifier.verify('t'))).toBe('accepted');
    expect(fetch.calls).toHaveLength(2);
  });

  it('shares one call between concurrent requests with the same token', async () => {
    let release: (response: FetchResponseLike) => void = () => undefined;
    const { fetch, verifier } = setup(() => new Promise<FetchResponseLike>((resolve) => (release = resolve)));
    const pending = Promise.all([verifier.verify('t'), verifier.verify('t'), verifier.verify('t')]);
    release(jsonResponse(active()));
    const principals = await pending;
    expect(new Set(principals).size).toBe(1);
    expect(fetch.calls).toHaveLength(1);
  });

  it('answers 503 on HTTP errors, bad bodies and timeouts', async () => {
    const failing = setup(() => jsonResponse({ error: 'unauthorized_client' }, 401));
    expect(await reasonOf(failing.verifier.verify('t'))).toBe('introspection_unavailable');
    expect(failing.errors).toHaveLength(1);

    const notAnObject = setup(() => jsonResponse(['active']));
    expect(await reasonOf(notAnObject.verifier.verify('t'))).toBe('introspection_unavailable');

    const hanging = setup(() => new Promise<FetchResponseLike>(() => undefined), { timeoutMs: 2_000 });
    const result = reasonOf(hanging.verifier.verify('t'));
    await jest.advanceTimersByTimeAsync(2_000);
    expect(await result).toBe('introspection_unavailable');
  });

  it('refuses an oversized token without calling the endpoint', async () => {
    const { fetch, verifier } = setup(() => jsonResponse(active()));
    expect(await reasonOf(verifier.verify('a'.repeat(9000)))).toBe('token_too_large');
    expect(fetch.calls).toHaveLength(0);
  });
});
