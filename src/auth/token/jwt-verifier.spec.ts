import { InvalidTokenError } from './errors';
import { JwtVerifier, type JwtVerifierOptions } from './jwt-verifier';
import {
  AUDIENCE,
  ISSUER,
  StaticKeySource,
  jwkOf,
  rsaKey,
  signHs256WithPublicKey,
  signJwt,
  unsignedJwt,
} from './testing/tokens';
import { outcomeOf } from './testing/outcome';

const NOW = 1_750_000_000_000;
const nowSec = NOW / 1000;
const realm = rsaKey('k1');
const attacker = rsaKey('evil');

function claims(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { iss: ISSUER, aud: AUDIENCE, sub: 'alice', iat: nowSec - 10, exp: nowSec + 300, ...extra };
}

function setup(options: Partial<JwtVerifierOptions> = {}) {
  const keySource = new StaticKeySource([realm]);
  const verifier = new JwtVerifier({ issuer: ISSUER, audience: AUDIENCE, keySource, now: () => NOW, ...options });
  return { keySource, verifier };
}

const reasonOf = (promise: Promise<unknown>): Promise<string> => outcomeOf(promise, InvalidTokenError);

describe('JwtVerifier', () => {
  it('accepts a well-formed token and returns its claims', async () => {
    const { verifier } = setup();
    await expect(verifier.verify(signJwt(claims({ custom: 1 }), realm))).resolves.toMatchObject({ sub: 'alice', custom: 1 });
  });

  describe('signature and algorithm', () => {
    it('rejects a forged signature (other key, real kid)', async () => {
      const { verifier } = setup();
      const forged = signJwt(claims(), { ...attacker, kid: 'k1' });
      expect(await reasonOf(verifier.verify(forged))).toBe('bad_signature');
    });

    it('rejects a tampered payload', async () => {
      const { verifier } = setup();
      const [header, , signature] = signJwt(claims(), realm).split('.');
      const payload = Buffer.from(JSON.stringify(claims({ sub: 'admin' }))).toString('base64url');
      expect(await reasonOf(verifier.verify(`${header}.${payload}.${signature}`))).toBe('bad_signature');
    });

    it('rejects alg "none" without looking up a key', async () => {
      const { verifier, keySource } = setup();
      expect(await reasonOf(verifier.verify(unsignedJwt(claims(), 'k1')))).toBe('unsupported_alg');
      expect(keySource.lookups).toBe(0);
    });

    it('rejects HS256 signed with the RSA public key as HMAC secret', async () => {
      const { verifier, keySource } = setup();
      expect(await reasonOf(verifier.verify(signHs256WithPublicKey(claims(), realm)))).toBe('unsupported_alg');
      expect(keySource.lookups).toBe(0);
    });

    it('cannot be configured to accept HMAC or none', () => {
      expect(() => setup({ algorithms: ['HS256'] })).toThrow(TypeError);
      expect(() => setup({ algorithms: ['RS256', 'none'] })).toThrow(TypeError);
    });

    it('rejects an algorithm outside the allow-list even if the signature is valid', async () => {
      const { verifier } = setup();
      expect(await reasonOf(verifier.verify(signJwt(claims(), realm, { alg: 'PS256' })))).toBe('unsupported_alg');
      const { verifier: pss } = setup({ algorithms: ['PS256'] });
      expect(await reasonOf(pss.verify(signJwt(claims(), realm, { alg: 'PS256' })))).toBe('accepted');
    });

    it('rejects a crit header', async () => {
      const { verifier } = setup();
      const token = signJwt(claims(), realm, { header: { crit: ['exp'], exp: 1 } });
      expect(await reasonOf(verifier.verify(token))).toBe('crit_header');
    });

    it('rejects a non-string kid', async () => {
      const { verifier } = setup();
      expect(await reasonOf(verifier.verify(signJwt(claims(), realm, { header: { kid: 1 } })))).toBe('malformed');
    });

    it.each([
      ['an embedded jwk', { jwk: jwkOf(attacker) }],
      ['jku', { jku: 'https://attacker.example/jwks.json' }],
      ['x5u', { x5u: 'https://attacker.example/cert.pem' }],
      ['x5c', { x5c: ['MIIBattacker'] }],
    ])('ignores %s: the attacker key is never used', async (_name, header) => {
      const { verifier, keySource } = setup();
      // Signed by the attacker, pointing at the attacker's key, claiming the realm's kid.
      const token = signJwt(claims(), attacker, { header: { ...header, kid: 'k1' } });
      expect(await reasonOf(verifier.verify(token))).toBe('bad_signature');
      expect(keySource.lookups).toBe(1);
      // With the attacker's own kid there is no key at all.
      await expect(verifier.verify(signJwt(claims(), attacker, { header }))).rejects.toThrow('no key evil');
    });

    it('passes the kid and algorithm to the key source', async () => {
      const getKey = jest.fn().mockResolvedValue(realm.publicKey);
      const verifier = new JwtVerifier({ issuer: ISSUER, audience: AUDIENCE, keySource: { getKey }, now: () => NOW });
      await verifier.verify(signJwt(claims(), realm));
      await verifier.verify(signJwt(claims(), realm, { header: { kid: undefined } }));
      expect(getKey.mock.calls).toEqual([
        ['k1', 'RS256'],
        [undefined, 'RS256'],
      ]);
    });
  });

  describe('header typ', () => {
    it('accepts listed types case-insensitively, with or without application/', async () => {
      const { verifier } = setup({ headerTypes: ['at+jwt', 'jwt'] });
      for (const typ of ['JWT', 'at+jwt', 'application/AT+JWT', undefined]) {
        expect(await reasonOf(verifier.verify(signJwt(claims(), realm, { header: { typ } })))).toBe('accepted');
      }
      expect(await reasonOf(verifier.verify(signJwt(claims(), realm, { header: { typ: 'logout+jwt' } })))).toBe(
        'wrong_header_type',
      );
    });
  });

  describe('issuer', () => {
    it.each([
      ['another realm', 'https://sso.example.test/realms/partner'],
      ['a trailing slash', `${ISSUER}/`],
      ['different case', ISSUER.toUpperCase()],
      ['a missing iss', undefined],
    ])('rejects %s before any key lookup', async (_name, iss) => {
      const { verifier, keySource } = setup();
      expect(await reasonOf(verifier.verify(signJwt(claims({ iss }), realm)))).toBe('wrong_issuer');
      expect(keySource.lookups).toBe(0);
    });
  });

  describe('audience', () => {
    it('accepts aud as a string or a list containing the audience', async () => {
      const { verifier } = setup();
      expect(await reasonOf(verifier.verify(signJwt(claims({ aud: ['account', AUDIENCE] }), realm)))).toBe('accepted');
    });

    it('rejects a wrong audience', async () => {
      const { verifier } = setup();
      expect(await reasonOf(verifier.verify(signJwt(claims({ aud: 'account' }), realm)))).toBe('wrong_audience');
      expect(await reasonOf(verifier.verify(signJwt(claims({ aud: ['account', 'nest-api2'] }), realm)))).toBe(
        'wrong_audience',
      );
    });

    it('rejects a missing audience', async () => {
      const { verifier } = setup();
      expect(await reasonOf(verifier.verify(signJwt(claims({ aud: undefined }), realm)))).toBe('missing_claim');
    });

    it('rejects a malformed audience', async () => {
      const { verifier } = setup();
      expect(await reasonOf(verifier.verify(signJwt(claims({ aud: [AUDIENCE, 7] }), realm)))).toBe('invalid_claim');
      expect(await reasonOf(verifier.verify(signJwt(claims({ aud: { AUDIENCE } }), realm)))).toBe('invalid_claim');
    });

    it('accepts any of several configured audiences', async () => {
      const { verifier } = setup({ audience: ['other', AUDIENCE] });
      expect(await reasonOf(verifier.verify(signJwt(claims(), realm)))).toBe('accepted');
    });
  });

  describe('times (skew 30 s)', () => {
    it.each([
      ['expired beyond the skew', { exp: nowSec - 31 }, 'expired'],
      ['expired exactly at exp + skew', { exp: nowSec - 30 }, 'expired'],
      ['expired within the skew', { exp: nowSec - 29 }, 'accepted'],
      ['missing exp', { exp: undefined }, 'missing_claim'],
      ['a string exp', { exp: String(nowSec + 300) }, 'invalid_claim'],
      ['nbf in the future beyond the skew', { nbf: nowSec + 31 }, 'not_yet_valid'],
      ['nbf within the skew', { nbf: nowSec + 29 }, 'accepted'],
      ['a non-numeric nbf', { nbf: 'soon' }, 'invalid_claim'],
      ['iat in the future beyond the skew', { iat: nowSec + 31 }, 'issued_in_future'],
      ['iat within the skew', { iat: nowSec + 29 }, 'accepted'],
      ['missing iat (optional by default)', { iat: undefined }, 'accepted'],
    ])('%s', async (_name, extra, expected) => {
      const { verifier } = setup();
      expect(await reasonOf(verifier.verify(signJwt(claims(extra), realm)))).toBe(expected);
    });

    it('refuses a negative or infinite skew at construction', () => {
      expect(() => setup({ clockSkewSec: -1 })).toThrow(TypeError);
      expect(() => setup({ clockSkewSec: Infinity })).toThrow(TypeError);
    });

    it('honours a configured skew of 0', async () => {
      const { verifier } = setup({ clockSkewSec: 0 });
      expect(await reasonOf(verifier.verify(signJwt(claims({ exp: nowSec }), realm)))).toBe('expired');
      expect(await reasonOf(verifier.verify(signJwt(claims({ exp: nowSec + 1 }), realm)))).toBe('accepted');
    });

    it('can make exp optional and iat required', async () => {
      const { verifier } = setup({ requireExp: false, requireIat: true });
      expect(await reasonOf(verifier.verify(signJwt(claims({ exp: undefined }), realm)))).toBe('accepted');
      expect(await reasonOf(verifier.verify(signJwt(claims({ iat: undefined }), realm)))).toBe('missing_claim');
    });

    it('follows the injected clock', async () => {
      let now = NOW;
      const { verifier } = setup({ now: () => now });
      const token = signJwt(claims(), realm);
      expect(await reasonOf(verifier.verify(token))).toBe('accepted');
      now += 331_000;
      expect(await reasonOf(verifier.verify(token))).toBe('expired');
    });
  });

  it('reports malformed tokens as invalid_token', async () => {
    const { verifier } = setup();
    expect(await reasonOf(verifier.verify('a.b'))).toBe('malformed');
  });
});
