import type { KeyObject } from 'node:crypto';
import { AccessTokenVerifier, type AccessTokenVerifierOptions } from './access-token-verifier';
import { InvalidTokenError, KeySetUnavailableError } from './errors';
import { JwksCache } from './jwks-cache';
import type { KeySource } from './jwt-verifier';
import type { AuthPrincipal } from './principal';
import { VerifiedTokenCache } from './verified-token-cache';
import {
  AUDIENCE,
  ISSUER,
  StaticKeySource,
  accessClaims,
  jsonResponse,
  jwkOf,
  rsaKey,
  signJwt,
  stubFetch,
} from './testing/tokens';
import { outcomeOf } from './testing/outcome';

const NOW = 1_750_000_000_000;
const k1 = rsaKey('k1');
const k2 = rsaKey('k2');
const attacker = rsaKey('evil');

function verifierWith(keySource: KeySource, options: Partial<AccessTokenVerifierOptions> = {}): AccessTokenVerifier {
  return new AccessTokenVerifier({ issuer: ISSUER, audience: AUDIENCE, keySource, ...options });
}

const reasonOf = (promise: Promise<unknown>): Promise<string> => outcomeOf(promise, InvalidTokenError);

describe('AccessTokenVerifier', () => {
  beforeEach(() => jest.useFakeTimers({ now: NOW }));
  afterEach(() => jest.useRealTimers());

  it('returns the principal of a valid Keycloak access token', async () => {
    const verifier = verifierWith(new StaticKeySource([k1]));
    const principal = await verifier.verify(signJwt(accessClaims(NOW), k1));
    expect(principal).toMatchObject({
      subject: 'f5e1c0de-0000-4000-8000-000000000001',
      username: 'bob',
      realmRoles: ['user', 'manager'],
      issuer: ISSUER,
      sessionId: 'session-1',
    });
    expect(principal.clientRoles['nest-api']).toEqual(['reports:read']);
    expect(verifier.issuer).toBe(ISSUER);
  });

  it.each([['ID'], ['Refresh'], ['Offline'], ['Logout'], ['bearer'], [undefined]])(
    'refuses a token whose typ claim is %s',
    async (typ) => {
      const verifier = verifierWith(new StaticKeySource([k1]));
      expect(await reasonOf(verifier.verify(signJwt(accessClaims(NOW, { typ }), k1)))).toBe('wrong_token_type');
    },
  );

  it('accepts the RFC 9068 header type at+jwt and refuses logout+jwt', async () => {
    const verifier = verifierWith(new StaticKeySource([k1]));
    expect(await reasonOf(verifier.verify(signJwt(accessClaims(NOW), k1, { header: { typ: 'at+jwt' } })))).toBe('accepted');
    expect(await reasonOf(verifier.verify(signJwt(accessClaims(NOW), k1, { header: { typ: 'logout+jwt' } })))).toBe(
      'wrong_header_type',
    );
  });

  it('refuses a token without sub', async () => {
    const verifier = verifierWith(new StaticKeySource([k1]));
    expect(await reasonOf(verifier.verify(signJwt(accessClaims(NOW, { sub: undefined }), k1)))).toBe('missing_claim');
  });

  it('refuses an oversized token', async () => {
    const verifier = verifierWith(new StaticKeySource([k1]));
    const big = signJwt(accessClaims(NOW, { padding: 'x'.repeat(9000) }), k1);
    expect(await reasonOf(verifier.verify(big))).toBe('token_too_large');
  });

  describe('with the verified-token cache', () => {
    it('caches a token from its second use and then returns the same frozen principal', async () => {
      const keys = new StaticKeySource([k1]);
      const verifier = verifierWith(keys);
      const token = signJwt(accessClaims(NOW), k1);
      const first = await verifier.verify(token);
      const second = await verifier.verify(token);
      expect(keys.lookups).toBe(2);
      const third = await verifier.verify(token);
      const fourth = await verifier.verify(token);
      expect(keys.lookups).toBe(2);
      expect([third, fourth]).toEqual([second, second]);
      expect(third).toBe(second);
      expect(second).toEqual(first);
      expect(Object.isFrozen(second)).toBe(true);
    });

    it('keeps one-off tokens out of the cache, so they cannot push out reused ones', async () => {
      const keys = new StaticKeySource([k1]);
      const cache = new VerifiedTokenCache<AuthPrincipal>({ maxEntries: 2, admission: 'repeat' });
      const verifier = verifierWith(keys, { cache });
      const reused = signJwt(accessClaims(NOW, { sub: 'reused' }), k1);
      await verifier.verify(reused);
      await verifier.verify(reused);
      for (let i = 0; i < 5; i++) await verifier.verify(signJwt(accessClaims(NOW, { sub: `once-${i}` }), k1));
      expect(cache.size).toBe(1);
      const lookups = keys.lookups;
      expect((await verifier.verify(reused)).subject).toBe('reused');
      expect(keys.lookups).toBe(lookups);
    });

    it('stops serving a cached token at exp, then rejects it once the skew has passed', async () => {
      const keys = new StaticKeySource([k1]);
      const verifier = verifierWith(keys);
      const token = signJwt(accessClaims(NOW, { exp: NOW / 1000 + 60 }), k1);
      await verifier.verify(token);
      await verifier.verify(token);
      await verifier.verify(token);
      expect(keys.lookups).toBe(2);
      jest.advanceTimersByTime(60_000);
      // Past exp: verified again (skew still tolerates it), not served from the cache.
      expect(await reasonOf(verifier.verify(token))).toBe('accepted');
      expect(keys.lookups).toBe(3);
      jest.advanceTimersByTime(30_000);
      expect(await reasonOf(verifier.verify(token))).toBe('expired');
    });

    it('never caches a failure', async () => {
      let available = false;
      const keySource: KeySource = {
        getKey: (): Promise<KeyObject> =>
          available ? Promise.resolve(k1.publicKey) : Promise.reject(new InvalidTokenError('unknown_kid')),
      };
      const verifier = verifierWith(keySource);
      const token = signJwt(accessClaims(NOW), k1);
      expect(await reasonOf(verifier.verify(token))).toBe('unknown_kid');
      available = true;
      expect(await reasonOf(verifier.verify(token))).toBe('accepted');
    });

    it('does not let a forged token ride on a cached valid one with the same claims', async () => {
      const verifier = verifierWith(new StaticKeySource([k1]));
      const claims = accessClaims(NOW);
      const valid = signJwt(claims, k1);
      await verifier.verify(valid);
      await verifier.verify(valid);
      const forged = signJwt(claims, { ...attacker, kid: 'k1' });
      expect(forged.slice(0, forged.lastIndexOf('.'))).toBe(valid.slice(0, valid.lastIndexOf('.')));
      expect(await reasonOf(verifier.verify(forged))).toBe('bad_signature');
    });

    it('keeps principals of different tokens apart', async () => {
      const verifier = verifierWith(new StaticKeySource([k1]));
      const alice = signJwt(accessClaims(NOW, { sub: 'alice' }), k1);
      const bob = signJwt(accessClaims(NOW, { sub: 'bob' }), k1);
      for (let round = 0; round < 3; round++) {
        expect((await verifier.verify(alice)).subject).toBe('alice');
        expect((await verifier.verify(bob)).subject).toBe('bob');
      }
    });

    it('can share a cache or run without one', async () => {
      const keys = new StaticKeySource([k1]);
      const shared = new VerifiedTokenCache<AuthPrincipal>();
      const token = signJwt(accessClaims(NOW), k1);
      await verifierWith(keys, { cache: shared }).verify(token);
      expect(shared.size).toBe(1);
      const uncached = verifierWith(keys, { cache: false });
      await uncached.verify(token);
      await uncached.verify(token);
      expect(keys.lookups).toBe(3);
    });
  });

  describe('refusing a token by its header', () => {
    // A payload that is not even base64url JSON: reaching it means "malformed".
    const withBrokenPayload = (kid: string) => `${Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid })).toString('base64url')}.e30x.AAAA`;

    it('refuses a kid the key source rules out before decoding the payload', async () => {
      const keySource: KeySource = {
        getKey: () => Promise.reject(new Error('getKey must not be reached')),
        refusesKidNow: (kid) => kid === 'random-kid',
      };
      const verifier = verifierWith(keySource, { cache: false });
      expect(await reasonOf(verifier.verify(withBrokenPayload('random-kid')))).toBe('unknown_kid');
      // Any other kid goes on to the payload, which is malformed.
      expect(await reasonOf(verifier.verify(withBrokenPayload('k1')))).toBe('malformed');
    });

    it('checks the header algorithm before the payload as well', async () => {
      const verifier = verifierWith(new StaticKeySource([k1]), { cache: false });
      const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: 'k1' })).toString('base64url');
      expect(await reasonOf(verifier.verify(`${header}.e30x.AAAA`))).toBe('unsupported_alg');
    });

    it('decodes the whole token when the key source has no early answer', async () => {
      const verifier = verifierWith(new StaticKeySource([k1]), { cache: false });
      expect(await reasonOf(verifier.verify(withBrokenPayload('random-kid')))).toBe('malformed');
    });
  });

  describe('over a JWKS', () => {
    function jwksVerifier(keys: unknown[]) {
      const fetch = stubFetch(() => jsonResponse({ keys }));
      const jwks = new JwksCache({ jwksUri: 'https://sso.example.test/certs', fetch });
      return { jwks, verifier: verifierWith(jwks) };
    }

    it('accepts tokens signed by any key of the set', async () => {
      const { verifier } = jwksVerifier([jwkOf(k1), jwkOf(k2)]);
      expect(await reasonOf(verifier.verify(signJwt(accessClaims(NOW), k1)))).toBe('accepted');
      expect(await reasonOf(verifier.verify(signJwt(accessClaims(NOW), k2)))).toBe('accepted');
    });

    it('refuses an unknown kid', async () => {
      const { verifier, jwks } = jwksVerifier([jwkOf(k1)]);
      expect(await reasonOf(verifier.verify(signJwt(accessClaims(NOW), attacker)))).toBe('unknown_kid');
      expect(jwks.fetchCount).toBe(1);
    });

    it('refuses a token without kid when the set has several keys', async () => {
      const { verifier } = jwksVerifier([jwkOf(k1), jwkOf(k2)]);
      const token = signJwt(accessClaims(NOW), k1, { header: { kid: undefined } });
      expect(await reasonOf(verifier.verify(token))).toBe('ambiguous_key');
    });

    it('does not use an embedded jwk even when its kid is unknown to the set', async () => {
      const { verifier } = jwksVerifier([jwkOf(k1)]);
      const token = signJwt(accessClaims(NOW), attacker, { header: { jwk: jwkOf(attacker), jku: 'https://evil/jwks' } });
      expect(await reasonOf(verifier.verify(token))).toBe('unknown_kid');
    });

    it('answers 503 when the key set cannot be fetched', async () => {
      const fetch = stubFetch(() => jsonResponse({}, 500));
      const verifier = verifierWith(new JwksCache({ jwksUri: 'https://sso.example.test/certs', fetch }));
      await expect(verifier.verify(signJwt(accessClaims(NOW), k1))).rejects.toBeInstanceOf(KeySetUnavailableError);
    });
  });
});
