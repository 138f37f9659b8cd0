import { DiscoveryError, type FetchResponseLike } from '../token';
import { jsonResponse, stubFetch } from '../token/testing/tokens';
import { ClientCredentialsTokenProvider, type ClientCredentialsTokenProviderOptions } from './client-credentials-token-provider';
import { ClientCredentialsError } from './client-credentials.error';

const ENDPOINT = 'https://sso.example.test/realms/shop/protocol/openid-connect/token';
const SECRET = 's3cr&t +value';

/** Token answers numbered in order, so a test can tell a cached token from a renewed one. */
function keycloak(expiresIn = 300) {
  let issued = 0;
  return stubFetch(() => jsonResponse({ access_token: `token-${++issued}`, token_type: 'Bearer', expires_in: expiresIn }));
}

function provider(options: Partial<ClientCredentialsTokenProviderOptions> = {}) {
  return new ClientCredentialsTokenProvider({
    tokenEndpoint: () => Promise.resolve(ENDPOINT),
    clientId: 'shop-api',
    clientSecret: SECRET,
    fetch: keycloak(),
    ...options,
  });
}

async function failureOf(promise: Promise<unknown>): Promise<ClientCredentialsError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ClientCredentialsError);
  return error as ClientCredentialsError;
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('ClientCredentialsTokenProvider', () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date('2030-01-01T00:00:00Z') }));
  afterEach(() => jest.useRealTimers());

  it('asks the token endpoint with client_secret_basic and the client_credentials grant', async () => {
    const fetch = keycloak();
    const tokens = provider({ fetch, scope: 'orders:read profile' });
    await expect(tokens.getAccessToken()).resolves.toBe('token-1');
    expect(fetch.calls).toHaveLength(1);
    const [call] = fetch.calls;
    expect(call.url).toBe(ENDPOINT);
    expect(call.method).toBe('POST');
    expect(call.headers?.['content-type']).toBe('application/x-www-form-urlencoded');
    const basic = Buffer.from(call.headers!.authorization.replace(/^Basic /, ''), 'base64').toString();
    // RFC 6749 §2.3.1: id and secret are form-encoded before Base64.
    expect(basic).toBe('shop-api:s3cr%26t+%2Bvalue');
    expect(new URLSearchParams(call.body)).toEqual(
      new URLSearchParams({ grant_type: 'client_credentials', scope: 'orders:read profile' }),
    );
    expect(call.body).not.toContain('s3cr');
  });

  it('serves one token to many calls until the renewal margin', async () => {
    const fetch = keycloak(300);
    const tokens = provider({ fetch, renewMarginMs: 60_000 });
    for (let i = 0; i < 10; i++) await expect(tokens.getAccessToken()).resolves.toBe('token-1');
    await jest.advanceTimersByTimeAsync(239_999);
    await expect(tokens.getAccessToken()).resolves.toBe('token-1');
    expect(tokens.stats).toEqual({ tokenRequests: 1, failures: 0 });

    await jest.advanceTimersByTimeAsync(1);
    await expect(tokens.getAccessToken()).resolves.toBe('token-2');
    await expect(tokens.getAccessToken()).resolves.toBe('token-2');
    expect(tokens.stats).toEqual({ tokenRequests: 2, failures: 0 });
  });

  it('renews 30 s before expiry by default, and at half the lifetime for short-lived tokens', async () => {
    const long = provider({ fetch: keycloak(300) });
    await long.getAccessToken();
    await jest.advanceTimersByTimeAsync(269_999);
    await expect(long.getAccessToken()).resolves.toBe('token-1');
    await jest.advanceTimersByTimeAsync(1);
    await expect(long.getAccessToken()).resolves.toBe('token-2');

    const short = provider({ fetch: keycloak(40) });
    await short.getAccessToken();
    await jest.advanceTimersByTimeAsync(19_999);
    await expect(short.getAccessToken()).resolves.toBe('token-1');
    await jest.advanceTimersByTimeAsync(1);
    await expect(short.getAccessToken()).resolves.toBe('token-2');
  });

  it('counts the lifetime from before the request, so a slow answer does not extend it', async () => {
    const answer = deferred<FetchResponseLike>();
    const fetch = stubFetch(() => answer.promise);
    const tokens = provider({ fetch, renewMarginMs: 0, timeoutMs: 60_000 });
    const first = tokens.getAccessToken();
    await jest.advanceTimersByTimeAsync(10_000);
    answer.resolve(jsonResponse({ access_token: 'slow', token_type: 'bearer', expires_in: 60 }));
    await expect(first).resolves.toBe('slow');
    await jest.advanceTimersByTimeAsync(49_999);
    await tokens.getAccessToken();
    expect(fetch.calls).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    await tokens.getAccessToken();
    expect(fetch.calls).toHaveLength(2);
  });

  it('shares one token request among concurrent callers', async () => {
    const answer = deferred<FetchResponseLike>();
    const fetch = stubFetch(() => answer.promise);
    const tokens = provider({ fetch });
    const calls = Array.from({ length: 25 }, () => tokens.getAccessToken());
    await jest.advanceTimersByTimeAsync(0);
    expect(fetch.calls).toHaveLength(1);
    answer.resolve(jsonResponse({ access_token: 'shared', token_type: 'Bearer', expires_in: 300 }));
    await expect(Promise.all(calls)).resolves.toEqual(Array(25).fill('shared'));
    expect(tokens.stats.tokenRequests).toBe(1);
  });

  it('shares one renewal among concurrent callers once the margin is reached', async () => {
    const fetch = keycloak(300);
    const tokens = provider({ fetch, renewMarginMs: 30_000 });
    await tokens.getAccessToken();
    await jest.advanceTimersByTimeAsync(270_000);
    const calls = await Promise.all(Array.from({ length: 10 }, () => tokens.getAccessToken()));
    expect(new Set(calls)).toEqual(new Set(['token-2']));
    expect(fetch.calls).toHaveLength(2);
  });

  it('renews on every call when the margin is at least the lifetime', async () => {
    const tokens = provider({ fetch: keycloak(300), renewMarginMs: 300_000 });
    await expect(tokens.getAccessToken()).resolves.toBe('token-1');
    await expect(tokens.getAccessToken()).resolves.toBe('token-2');
    await expect(tokens.getAccessToken()).resolves.toBe('token-3');
  });

  it('fetches a new token after invalidate()', async () => {
    const tokens = provider({ fetch: keycloak() });
    await tokens.getAccessToken();
    tokens.invalidate();
    await expect(tokens.getAccessToken()).resolves.toBe('token-2');
  });

  describe('failures', () => {
    it('reports an unreachable Keycloak without the secret, and tries again on the next call', async () => {
      let down = true;
      const onError = jest.fn();
      const fetch = stubFetch(() =>
        down
          ? Promise.reject(new TypeError('fetch failed'))
          : jsonResponse({ access_token: 'back', token_type: 'Bearer', expires_in: 300 }),
      );
      const tokens = provider({ fetch, onError });
      const error = await failureOf(tokens.getAccessToken());
      expect(error.failure).toBe('unreachable');
      expect(error.clientId).toBe('shop-api');
      expect(error.endpoint).toBe(ENDPOINT);
      expect(error.message).toBe(`No client-credentials token for client "shop-api": Keycloak could not be reached at ${ENDPOINT}`);
      expect(JSON.stringify(error)).not.toContain('s3cr');
      expect(error.message).not.toContain('s3cr');
      expect(String(error.stack)).not.toContain('s3cr');
      expect(onError).toHaveBeenCalledWith(error);
      expect(tokens.stats).toEqual({ tokenRequests: 1, failures: 1 });

      down = false;
      await expect(tokens.getAccessToken()).resolves.toBe('back');
    });

    it('times out a token request that never answers', async () => {
      const fetch = stubFetch(() => new Promise<FetchResponseLike>(() => undefined));
      const tokens = provider({ fetch, timeoutMs: 2_000 });
      const pending = failureOf(tokens.getAccessToken());
      await jest.advanceTimersByTimeAsync(2_000);
      expect((await pending).failure).toBe('unreachable');
    });

    it.each([
      [401, 'rejected'],
      [400, 'rejected'],
      [503, 'unreachable'],
    ] as const)('maps HTTP %i to %s and names the status', async (status, failure) => {
      const tokens = provider({ fetch: stubFetch(() => jsonResponse({ error: 'invalid_client' }, status)) });
      const error = await failureOf(tokens.getAccessToken());
      expect(error.failure).toBe(failure);
      expect(error.status).toBe(status);
      expect(error.message).toContain(`(HTTP ${status})`);
    });

    it.each([
      ['no access_token', { token_type: 'Bearer', expires_in: 300 }],
      ['an empty access_token', { access_token: '', token_type: 'Bearer', expires_in: 300 }],
      ['a non-bearer token type', { access_token: 'x', token_type: 'DPoP', expires_in: 300 }],
      ['no expires_in', { access_token: 'x', token_type: 'Bearer' }],
      ['a zero expires_in', { access_token: 'x', token_type: 'Bearer', expires_in: 0 }],
      ['a non-object', ['x']],
    ])('refuses an answer with %s', async (_name, body) => {
      const error = await failureOf(provider({ fetch: stubFetch(() => jsonResponse(body)) }).getAccessToken());
      expect(error.failure).toBe('invalid_response');
    });

    it('reports a failed discovery with the discovery URL', async () => {
      const url = 'http://127.0.0.1:1/realms/shop/.well-known/openid-configuration';
      const fetch = keycloak();
      const tokens = provider({
        fetch,
        tokenEndpoint: () => Promise.reject(new DiscoveryError(url, 'the provider could not be reached')),
      });
      const error = await failureOf(tokens.getAccessToken());
      expect(error.failure).toBe('discovery_failed');
      expect(error.endpoint).toBe(url);
      expect(error.message).toContain(url);
      expect(fetch.calls).toHaveLength(0);
    });

    it('keeps serving the current token when an early renewal fails, until it expires', async () => {
      let down = false;
      const fetch = stubFetch(() =>
        down ? Promise.reject(new TypeError('fetch failed')) : jsonResponse({ access_token: 'only', token_type: 'Bearer', expires_in: 300 }),
      );
      const tokens = provider({ fetch, renewMarginMs: 60_000 });
      await tokens.getAccessToken();
      down = true;
      await jest.advanceTimersByTimeAsync(250_000);
      await expect(tokens.getAccessToken()).resolves.toBe('only');
      expect(tokens.stats).toEqual({ tokenRequests: 2, failures: 1 });
      await jest.advanceTimersByTimeAsync(50_000);
      expect((await failureOf(tokens.getAccessToken())).failure).toBe('unreachable');
    });
  });

  it('refuses missing credentials and a negative margin at construction', () => {
    expect(() => provider({ clientSecret: '' })).toThrow('clientId and clientSecret are required');
    expect(() => provider({ clientId: '' })).toThrow('clientId and clientSecret are required');
    expect(() => provider({ renewMarginMs: -1 })).toThrow('renewMarginMs must be a non-negative number');
  });
});
