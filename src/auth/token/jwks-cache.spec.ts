import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KeySetUnavailableError } from './errors';
import type { FetchResponseLike } from './fetch-json';
import { JwksCache, type JwksCacheOptions } from './jwks-cache';
import { ecKey, jsonResponse, jwkOf, rsaKey, stubFetch } from './testing/tokens';
import { outcomeOf } from './testing/outcome';

const k1 = rsaKey('k1');
const k2 = rsaKey('k2');
const JWKS_URI = 'https://sso.example.test/realms/r/protocol/openid-connect/certs';
const TTL = 600_000;
const COOLDOWN = 30_000;
const RETRY = 5_000;

function spki(key: { export(options: { format: 'pem'; type: 'spki' }): string | Buffer }): string {
  return key.export({ format: 'pem', type: 'spki' }).toString();
}

const reasonOf = outcomeOf;

/** A JWKS endpoint whose answer the test changes as it goes. */
function endpoint(initial: unknown[]) {
  const state = { keys: initial, status: 200 };
  const fetch = stubFetch(() => jsonResponse({ keys: state.keys }, state.status));
  return { state, fetch };
}

function cache(fetch: JwksCacheOptions['fetch'], options: Partial<JwksCacheOptions> = {}): JwksCache {
  return new JwksCache({
    jwksUri: JWKS_URI,
    fetch,
    cacheTtlMs: TTL,
    cooldownMs: COOLDOWN,
    retryAfterFailureMs: RETRY,
    ...options,
  });
}

describe('JwksCache', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_750_000_000_000 }));
  afterEach(() => jest.useRealTimers());

  it('fetches once, converts once, and serves keys by kid within the TTL', async () => {
    const { fetch } = endpoint([jwkOf(k1), jwkOf(k2)]);
    const jwks = cache(fetch);
    const first = await jwks.getKey('k1', 'RS256');
    expect(spki(first)).toBe(spki(k1.publicKey));
    expect(spki(await jwks.getKey('k2', 'RS256'))).toBe(spki(k2.publicKey));
    jest.advanceTimersByTime(TTL - 1);
    expect(await jwks.getKey('k1', 'RS256')).toBe(first);
    expect(jwks.fetchCount).toBe(1);
    expect(fetch.calls[0].url).toBe(JWKS_URI);
    expect(jwks.stats).toMatchObject({ fetchCount: 1, failedFetchCount: 0, keyCount: 2 });
  });

  it('keeps the same KeyObject for an unchanged key across refreshes', async () => {
    const { state, fetch } = endpoint([jwkOf(k1)]);
    const jwks = cache(fetch);
    const before = await jwks.getKey('k1', 'RS256');
    state.keys = [jwkOf(k1), jwkOf(k2)];
    jest.advanceTimersByTime(TTL);
    expect(await jwks.getKey('k1', 'RS256')).toBe(before);
    expect(jwks.fetchCount).toBe(2);
  });

  it('replaces a key whose material changed under the same kid', async () => {
    const { state, fetch } = endpoint([jwkOf(k1)]);
    const jwks = cache(fetch);
    await jwks.getKey('k1', 'RS256');
    state.keys = [jwkOf({ ...k2, kid: 'k1' })];
    jest.advanceTimersByTime(TTL);
    expect(spki(await jwks.getKey('k1', 'RS256'))).toBe(spki(k2.publicKey));
  });

  it('refreshes after the TTL and drops keys that left the set', async () => {
    const { state, fetch } = endpoint([jwkOf(k1), jwkOf(k2)]);
    const jwks = cache(fetch);
    await jwks.getKey('k1', 'RS256');
    state.keys = [jwkOf(k2)];
    jest.advanceTimersByTime(TTL);
    expect(await reasonOf(jwks.getKey('k1', 'RS256'))).toBe('unknown_kid');
    expect(jwks.fetchCount).toBe(2);
  });

  it('refetches for an unknown kid (rotation) and finds the new key', async () => {
    const { state, fetch } = endpoint([jwkOf(k1)]);
    const jwks = cache(fetch);
    await jwks.getKey('k1', 'RS256');
    state.keys = [jwkOf(k1), jwkOf(k2)];
    // No wait: the first fetch does not start the unknown-kid cooldown.
    expect(spki(await jwks.getKey('k2', 'RS256'))).toBe(spki(k2.publicKey));
    expect(jwks.fetchCount).toBe(2);
  });

  it('refetches once for an unknown kid, then not again during the cooldown, and again after it', async () => {
    const { fetch } = endpoint([jwkOf(k1)]);
    const jwks = cache(fetch);
    await jwks.getKey('k1', 'RS256');
    expect(await reasonOf(jwks.getKey('nope', 'RS256'))).toBe('unknown_kid');
    expect(jwks.fetchCount).toBe(2);
    jest.advanceTimersByTime(COOLDOWN - 1);
    expect(await reasonOf(jwks.getKey('nope-again', 'RS256'))).toBe('unknown_kid');
    expect(jwks.fetchCount).toBe(2);
    jest.advanceTimersByTime(1);
    expect(await reasonOf(jwks.getKey('nope', 'RS256'))).toBe('unknown_kid');
    expect(jwks.fetchCount).toBe(3);
    expect(await reasonOf(jwks.getKey('nope-again', 'RS256'))).toBe('unknown_kid');
    expect(jwks.fetchCount).toBe(3);
  });

  it('lets a flood of random kids cause at most one fetch per cooldown window', async () => {
    const { fetch } = endpoint([jwkOf(k1)]);
    const jwks = cache(fetch);
    await jwks.getKey('k1', 'RS256');
    for (let window = 0; window < 3; window++) {
      const reasons = await Promise.all(
        Array.from({ length: 200 }, (_, i) => reasonOf(jwks.getKey(`random-${window}-${i}`, 'RS256'))),
      );
      expect(new Set(reasons)).toEqual(new Set(['unknown_kid']));
      expect(jwks.fetchCount).toBe(2 + window);
      jest.advanceTimersByTime(COOLDOWN);
    }
  });

  describe('refusesKidNow (the answer given before a token is decoded)', () => {
    it('says nothing before a key set is in hand, nor for a kid it knows', async () => {
      const { fetch } = endpoint([jwkOf(k1)]);
      const jwks = cache(fetch);
      expect(jwks.refusesKidNow('nope', 'RS256')).toBe(false);
      await jwks.getKey('k1', 'RS256');
      expect(jwks.refusesKidNow('k1', 'RS256')).toBe(false);
      // Known kid, wrong algorithm: getKey gives the precise reason.
      expect(jwks.refusesKidNow('k1', 'ES256')).toBe(false);
    });

    it('refuses an unknown kid only while getKey could not refetch for it', async () => {
      const { fetch } = endpoint([jwkOf(k1)]);
      const jwks = cache(fetch);
      await jwks.getKey('k1', 'RS256');
      // No kid-triggered refetch yet: a rotation must still be looked for.
      expect(jwks.refusesKidNow('nope', 'RS256')).toBe(false);
      expect(await reasonOf(jwks.getKey('nope', 'RS256'))).toBe('unknown_kid');
      expect(jwks.refusesKidNow('other', 'RS256')).toBe(true);
      jest.advanceTimersByTime(COOLDOWN - 1);
      expect(jwks.refusesKidNow('other', 'RS256')).toBe(true);
      jest.advanceTimersByTime(1);
      expect(jwks.refusesKidNow('other', 'RS256')).toBe(false);
      expect(jwks.fetchCount).toBe(2);
    });

    it('says nothing once the key set is past its TTL', async () => {
      const { fetch } = endpoint([jwkOf(k1)]);
      const jwks = cache(fetch, { cooldownMs: TTL * 2 });
      await jwks.getKey('k1', 'RS256');
      await reasonOf(jwks.getKey('nope', 'RS256'));
      expect(jwks.refusesKidNow('other', 'RS256')).toBe(true);
      jest.advanceTimersByTime(TTL);
      expect(jwks.refusesKidNow('other', 'RS256')).toBe(false);
    });

    it('says nothing while a refetch is in flight (a lookup would join it)', async () => {
      const { fetch } = endpoint([jwkOf(k1)]);
      const jwks = cache(fetch);
      await jwks.getKey('k1', 'RS256');
      await reasonOf(jwks.getKey('nope', 'RS256'));
      jest.advanceTimersByTime(COOLDOWN);
      const pending = reasonOf(jwks.getKey('rotated', 'RS256'));
      expect(jwks.refusesKidNow('other', 'RS256')).toBe(false);
      expect(await pending).toBe('unknown_kid');
    });
  });

  it('shares one in-flight fetch between concurrent lookups (single-flight)', async () => {
    let release: (response: FetchResponseLike) => void = () => undefined;
    const fetch = stubFetch(() => new Promise<FetchResponseLike>((resolve) => (release = resolve)));
    const jwks = cache(fetch);
    const lookups = Array.from({ length: 20 }, (_, i) => jwks.getKey(i % 2 ? 'k1' : 'k2', 'RS256'));
    expect(fetch.calls).toHaveLength(1);
    release(jsonResponse({ keys: [jwkOf(k1), jwkOf(k2)] }));
    const keys = await Promise.all(lookups);
    expect(keys).toHaveLength(20);
    expect(jwks.fetchCount).toBe(1);
  });

  it('shares the rotation refetch between concurrent lookups of a new kid', async () => {
    const { state, fetch } = endpoint([jwkOf(k1)]);
    const jwks = cache(fetch);
    await jwks.getKey('k1', 'RS256');
    state.keys = [jwkOf(k1), jwkOf(k2)];
    jest.advanceTimersByTime(COOLDOWN);
    const keys = await Promise.all(Array.from({ length: 10 }, () => jwks.getKey('k2', 'RS256')));
    expect(keys.every((key) => spki(key) === spki(k2.publicKey))).toBe(true);
    expect(jwks.fetchCount).toBe(2);
  });

  it('keeps serving the last good key set when a refresh fails (stale-on-error)', async () => {
    const { state, fetch } = endpoint([jwkOf(k1)]);
    const errors: unknown[] = [];
    const jwks = cache(fetch, { onFetchError: (error) => errors.push(error) });
    const key = await jwks.getKey('k1', 'RS256');
    state.status = 503;
    jest.advanceTimersByTime(TTL);
    expect(await jwks.getKey('k1', 'RS256')).toBe(key);
    expect(jwks.stats).toMatchObject({ fetchCount: 2, failedFetchCount: 1, keyCount: 1 });
    expect(errors).toHaveLength(1);

    // Backing off: no new attempt until retryAfterFailureMs has passed.
    expect(await jwks.getKey('k1', 'RS256')).toBe(key);
    expect(jwks.fetchCount).toBe(2);
    jest.advanceTimersByTime(RETRY);
    state.status = 200;
    expect(await jwks.getKey('k1', 'RS256')).toBe(key);
    expect(jwks.stats).toMatchObject({ fetchCount: 3, failedFetchCount: 1 });
  });

  it('keeps the last good set when the endpoint answers with no usable key', async () => {
    const { state, fetch } = endpoint([jwkOf(k1)]);
    const jwks = cache(fetch);
    const key = await jwks.getKey('k1', 'RS256');
    state.keys = [];
    jest.advanceTimersByTime(TTL);
    expect(await jwks.getKey('k1', 'RS256')).toBe(key);
    expect(jwks.stats.failedFetchCount).toBe(1);
  });

  it('is unavailable (503) when no key set was ever obtained, and retries after the back-off', async () => {
    const { state, fetch } = endpoint([jwkOf(k1)]);
    state.status = 500;
    const jwks = cache(fetch);
    expect(await reasonOf(jwks.getKey('k1', 'RS256'))).toBe('jwks_unavailable');
    expect(await reasonOf(jwks.getKey('k1', 'RS256'))).toBe('jwks_unavailable');
    expect(jwks.fetchCount).toBe(1);
    state.status = 200;
    jest.advanceTimersByTime(RETRY);
    expect(await reasonOf(jwks.getKey('k1', 'RS256'))).toBe('accepted');
    expect(jwks.fetchCount).toBe(2);
  });

  it('times out a hanging fetch', async () => {
    const fetch = stubFetch(() => new Promise<FetchResponseLike>(() => undefined));
    const jwks = cache(fetch, { timeoutMs: 5_000 });
    const lookup = reasonOf(jwks.getKey('k1', 'RS256'));
    await jest.advanceTimersByTimeAsync(4_999);
    expect(jwks.stats.failedFetchCount).toBe(0);
    await jest.advanceTimersByTimeAsync(1);
    expect(await lookup).toBe('jwks_unavailable');
    expect(jwks.stats.failedFetchCount).toBe(1);
  });

  it('fails on a document without a keys array', async () => {
    const jwks = cache(stubFetch(() => jsonResponse({ notKeys: [] })));
    expect(await reasonOf(jwks.getKey('k1', 'RS256'))).toBe('jwks_unavailable');
  });

  it.each([
    ['an encryption key', jwkOf(k2, { use: 'enc', alg: 'RSA-OAEP' })],
    ['a key declaring another algorithm', jwkOf(k2, { use: 'sig', alg: 'RS512' })],
    ['a key declaring an unknown algorithm', jwkOf(k2, { use: 'sig', alg: 'HS256' })],
    ['an EC key when only RS256 is allowed', jwkOf({ ...ecKey('x', 'P-256'), kid: 'k2' }, { use: 'sig' })],
    ['a 1024-bit RSA key', jwkOf({ ...rsaKey('x', 1024), kid: 'k2' })],
    ['a symmetric key', { kty: 'oct', kid: 'k2', k: 'c2VjcmV0', use: 'sig' }],
  ])('ignores %s', async (_name, jwk) => {
    const jwks = cache(endpoint([jwkOf(k1), jwk]).fetch);
    expect(await reasonOf(jwks.getKey('k1', 'RS256'))).toBe('accepted');
    expect(await reasonOf(jwks.getKey('k2', 'RS256'))).toBe('unknown_kid');
    expect(jwks.stats.keyCount).toBe(1);
  });

  it('accepts a signing key without use or alg', async () => {
    const { use: _use, alg: _alg, ...bare } = jwkOf(k1);
    const jwks = cache(endpoint([bare]).fetch);
    expect(spki(await jwks.getKey('k1', 'RS256'))).toBe(spki(k1.publicKey));
  });

  it('uses the only fitting key when the token has no kid', async () => {
    const jwks = cache(endpoint([jwkOf(k1)]).fetch);
    expect(spki(await jwks.getKey(undefined, 'RS256'))).toBe(spki(k1.publicKey));
  });

  it('refuses a token without kid when several keys fit', async () => {
    const jwks = cache(endpoint([jwkOf(k1), jwkOf(k2)]).fetch);
    expect(await reasonOf(jwks.getKey(undefined, 'RS256'))).toBe('ambiguous_key');
    expect(jwks.fetchCount).toBe(1);
  });

  it('refuses a known kid asked for an algorithm its key does not declare, without refetching', async () => {
    const jwks = cache(endpoint([jwkOf(k1)]).fetch, { algorithms: ['RS256', 'PS256'] });
    await jwks.getKey('k1', 'RS256');
    jest.advanceTimersByTime(COOLDOWN);
    expect(await reasonOf(jwks.getKey('k1', 'PS256'))).toBe('unsupported_alg');
    expect(jwks.fetchCount).toBe(1);
  });

  it('serves EC keys for ES algorithms when allowed', async () => {
    const ec = ecKey('ec1', 'P-256');
    const jwks = cache(endpoint([jwkOf(ec, { use: 'sig', alg: 'ES256' })]).fetch, { algorithms: ['ES256'] });
    expect(spki(await jwks.getKey('ec1', 'ES256'))).toBe(spki(ec.publicKey));
  });

  it('warms up on demand', async () => {
    const jwks = cache(endpoint([jwkOf(k1)]).fetch);
    expect(await jwks.warmUp()).toBe(true);
    await jwks.getKey('k1', 'RS256');
    expect(jwks.fetchCount).toBe(1);
  });
});

describe('JwksCache over real HTTP', () => {
  let server: Server;
  let requests = 0;
  let uri = '';

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests++;
      if (req.url !== '/certs') {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwkOf(k1), jwkOf(k2)] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    uri = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('fetches the key set with the platform fetch and caches it', async () => {
    requests = 0;
    const jwks = new JwksCache({ jwksUri: `${uri}/certs` });
    expect(spki(await jwks.getKey('k2', 'RS256'))).toBe(spki(k2.publicKey));
    expect(spki(await jwks.getKey('k1', 'RS256'))).toBe(spki(k1.publicKey));
    expect(requests).toBe(1);
  });

  it('reports an HTTP error as unavailable', async () => {
    const jwks = new JwksCache({ jwksUri: `${uri}/missing` });
    await expect(jwks.getKey('k1', 'RS256')).rejects.toBeInstanceOf(KeySetUnavailableError);
  });
});
