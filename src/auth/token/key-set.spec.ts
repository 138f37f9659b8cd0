import { InvalidTokenError } from './errors';
import { KeySet, usableJwks, type ConvertedJwk } from './key-set';
import { ecKey, jwkOf, rsaKey, type TestKey } from './testing/tokens';

const k1 = rsaKey('k1');
const k2 = rsaKey('k2');
const ec = ecKey('ec', 'P-256');
const RS = new Set(['RS256'] as const);

function converted(key: TestKey, extra: { kid?: string; alg?: string } = { kid: key.kid, alg: 'RS256' }): ConvertedJwk {
  const pem = key.publicKey.export({ format: 'pem', type: 'spki' }).toString();
  return { ...extra, getPublicKey: () => pem };
}

function reasonOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidTokenError);
    return (error as InvalidTokenError).reason;
  }
  return 'found';
}

describe('KeySet', () => {
  it('finds keys by kid', () => {
    const set = KeySet.build([converted(k1), converted(k2)], RS);
    expect(set.size).toBe(2);
    expect(set.find('k2', 'RS256')?.equals(k2.publicKey)).toBe(true);
    expect(set.find('k3', 'RS256')).toBeUndefined();
    expect(set.hasKid('k1')).toBe(true);
  });

  it('binds a key to its declared algorithm', () => {
    const set = KeySet.build([converted(k1)], new Set(['RS256', 'PS256'] as const));
    expect(set.find('k1', 'RS256')).toBeDefined();
    expect(set.find('k1', 'PS256')).toBeUndefined();
  });

  it('lets a key without alg serve any allowed algorithm of its type', () => {
    const set = KeySet.build([converted(k1, { kid: 'k1' })], new Set(['RS256', 'PS256', 'ES256'] as const));
    expect(set.find('k1', 'PS256')).toBeDefined();
    expect(set.find('k1', 'ES256')).toBeUndefined();
  });

  it('picks among keys sharing a kid by algorithm', () => {
    const set = KeySet.build(
      [converted(k1, { kid: 'same', alg: 'RS256' }), converted(ec, { kid: 'same', alg: 'ES256' })],
      new Set(['RS256', 'ES256'] as const),
    );
    expect(set.find('same', 'ES256')?.equals(ec.publicKey)).toBe(true);
    expect(set.find('same', 'RS256')?.equals(k1.publicKey)).toBe(true);
  });

  it('drops keys that fit no allowed algorithm, and fails when none is left', () => {
    const set = KeySet.build([converted(k1), converted(ec, { kid: 'ec' })], RS);
    expect(set.size).toBe(1);
    expect(() => KeySet.build([converted(ec, { kid: 'ec' })], RS)).toThrow('no key usable');
  });

  it('uses the only fitting key for a token without kid, and refuses to guess among several', () => {
    expect(KeySet.build([converted(k1)], RS).only('RS256').equals(k1.publicKey)).toBe(true);
    expect(reasonOf(() => KeySet.build([converted(k1), converted(k2)], RS).only('RS256'))).toBe('ambiguous_key');
    expect(reasonOf(() => KeySet.build([converted(k1)], new Set(['RS256', 'PS256'] as const)).only('PS256'))).toBe(
      'unknown_kid',
    );
  });

  it('keeps the KeyObject of an unchanged key from the previous set', () => {
    const first = KeySet.build([converted(k1)], RS);
    const second = KeySet.build([converted(k1), converted(k2)], RS, first);
    expect(second.find('k1', 'RS256')).toBe(first.find('k1', 'RS256'));
    const rotated = KeySet.build([converted(k2, { kid: 'k1', alg: 'RS256' })], RS, first);
    expect(rotated.find('k1', 'RS256')).not.toBe(first.find('k1', 'RS256'));
    expect(rotated.find('k1', 'RS256')?.equals(k2.publicKey)).toBe(true);
  });
});

describe('usableJwks', () => {
  it('keeps signing keys of allowed algorithms only', () => {
    const keys = [
      jwkOf(k1),
      jwkOf(k2, {}),
      jwkOf(k2, { use: 'enc', alg: 'RSA-OAEP' }),
      jwkOf(k2, { use: 'sig', alg: 'RS512' }),
      jwkOf(ec, { use: 'sig', alg: 'ES256' }),
      { kty: 'oct', k: 'c2VjcmV0', kid: 'hmac' },
      null,
      'junk',
    ];
    expect(usableJwks({ keys }, RS)).toEqual([keys[0], keys[1]]);
  });

  it('refuses a document without a keys array', () => {
    expect(() => usableJwks({}, RS)).toThrow('keys');
    expect(() => usableJwks(null, RS)).toThrow('keys');
  });
});
