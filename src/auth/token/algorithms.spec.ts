import { isJwsAlgorithm, keyFitsAlgorithm, toAlgorithmSet, verifySignature } from './algorithms';
import { decodeJwt } from './jwt';
import { ecKey, rsaKey, signJwt } from './testing/tokens';

const rsa = rsaKey('rsa');
const p256 = ecKey('p256', 'P-256');
const p384 = ecKey('p384', 'P-384');

describe('JWS algorithms', () => {
  it('knows only asymmetric algorithms', () => {
    expect(isJwsAlgorithm('RS256')).toBe(true);
    expect(isJwsAlgorithm('ES512')).toBe(true);
    for (const alg of ['none', 'HS256', 'HS512', 'EdDSA', 'rs256', '', 'toString', '__proto__']) {
      expect(isJwsAlgorithm(alg)).toBe(false);
    }
  });

  it.each([['none'], ['HS256'], ['RS256', 'HS384']])('refuses to configure %s', (...algs) => {
    expect(() => toAlgorithmSet(algs)).toThrow(TypeError);
  });

  it('refuses an empty allow-list', () => {
    expect(() => toAlgorithmSet([])).toThrow(TypeError);
  });

  it('matches key families to algorithms', () => {
    expect(keyFitsAlgorithm(rsa.publicKey, 'RS256')).toBe(true);
    expect(keyFitsAlgorithm(rsa.publicKey, 'PS512')).toBe(true);
    expect(keyFitsAlgorithm(rsa.publicKey, 'ES256')).toBe(false);
    expect(keyFitsAlgorithm(p256.publicKey, 'ES256')).toBe(true);
    expect(keyFitsAlgorithm(p256.publicKey, 'ES384')).toBe(false);
    expect(keyFitsAlgorithm(p384.publicKey, 'ES384')).toBe(true);
    expect(keyFitsAlgorithm(p256.publicKey, 'RS256')).toBe(false);
  });

  it('refuses RSA keys shorter than 2048 bits', () => {
    const weak = rsaKey('weak', 1024);
    expect(keyFitsAlgorithm(weak.publicKey, 'RS256')).toBe(false);
    const token = decodeJwt(signJwt({}, weak));
    expect(verifySignature('RS256', weak.publicKey, token.signingInput, token.signature)).toBe(false);
  });

  it.each([
    ['RS256', rsa],
    ['RS384', rsa],
    ['RS512', rsa],
    ['PS256', rsa],
    ['PS384', rsa],
    ['PS512', rsa],
    ['ES256', p256],
    ['ES384', p384],
    ['ES512', ecKey('p521', 'P-521')],
  ] as const)('verifies %s and rejects a flipped bit', (alg, key) => {
    const jwt = decodeJwt(signJwt({ sub: 'x' }, key, { alg }));
    expect(verifySignature(alg, key.publicKey, jwt.signingInput, jwt.signature)).toBe(true);
    const tampered = Buffer.from(jwt.signature);
    tampered[tampered.length - 1] ^= 1;
    expect(verifySignature(alg, key.publicKey, jwt.signingInput, tampered)).toBe(false);
  });

  it('rejects a DER-encoded ECDSA signature (JWS uses R||S)', () => {
    const jwt = decodeJwt(signJwt({}, p256, { alg: 'ES256' }));
    const r = jwt.signature.subarray(0, 32);
    const s = jwt.signature.subarray(32);
    const int = (b: Buffer): Buffer => Buffer.concat([Buffer.from([0x02, b.length + 1, 0]), b]);
    const body = Buffer.concat([int(r), int(s)]);
    const der = Buffer.concat([Buffer.from([0x30, body.length]), body]);
    expect(verifySignature('ES256', p256.publicKey, jwt.signingInput, der)).toBe(false);
  });

  it('rejects an RS256 signature presented as PS256 and vice versa', () => {
    const rs = decodeJwt(signJwt({}, rsa, { alg: 'RS256' }));
    expect(verifySignature('PS256', rsa.publicKey, rs.signingInput, rs.signature)).toBe(false);
    const ps = decodeJwt(signJwt({}, rsa, { alg: 'PS256' }));
    expect(verifySignature('RS256', rsa.publicKey, ps.signingInput, ps.signature)).toBe(false);
  });
});
