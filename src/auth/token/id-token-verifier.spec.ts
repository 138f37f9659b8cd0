import { InvalidTokenError } from './errors';
import { IdTokenVerifier } from './id-token-verifier';
import { ISSUER, StaticKeySource, rsaKey, signJwt } from './testing/tokens';
import { outcomeOf } from './testing/outcome';

const NOW = 1_750_000_000_000;
const nowSec = NOW / 1000;
const CLIENT = 'nest-api';
const key = rsaKey('k1');

function idClaims(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    iss: ISSUER,
    aud: CLIENT,
    azp: CLIENT,
    sub: 'alice-id',
    typ: 'ID',
    iat: nowSec - 5,
    exp: nowSec + 300,
    auth_time: nowSec - 60,
    nonce: 'n-0S6_WzA2Mj',
    sid: 'sid-1',
    ...extra,
  };
}

const verifier = new IdTokenVerifier({
  issuer: ISSUER,
  clientId: CLIENT,
  keySource: new StaticKeySource([key]),
  now: () => NOW,
});

const reasonOf = (promise: Promise<unknown>): Promise<string> => outcomeOf(promise, InvalidTokenError);

describe('IdTokenVerifier', () => {
  it('accepts a valid ID token with the expected nonce', async () => {
    const claims = await verifier.verify(signJwt(idClaims(), key), { nonce: 'n-0S6_WzA2Mj' });
    expect(claims).toMatchObject({ sub: 'alice-id', sid: 'sid-1', nonce: 'n-0S6_WzA2Mj' });
  });

  it.each([
    ['a different nonce', { nonce: 'n-other' }],
    ['a nonce differing only in length', { nonce: 'n-0S6_WzA2Mj-and-more' }],
    ['a missing nonce', { nonce: undefined }],
    ['a non-string nonce', { nonce: 42 }],
  ])('rejects %s', async (_name, extra) => {
    expect(await reasonOf(verifier.verify(signJwt(idClaims(extra), key), { nonce: 'n-0S6_WzA2Mj' }))).toBe(
      'nonce_mismatch',
    );
  });

  it('does not require a nonce when none was sent', async () => {
    expect(await reasonOf(verifier.verify(signJwt(idClaims({ nonce: undefined }), key)))).toBe('accepted');
  });

  describe('azp (OIDC Core §3.1.3.7 steps 4-5)', () => {
    it('requires azp when there are several audiences', async () => {
      const token = signJwt(idClaims({ aud: [CLIENT, 'other'], azp: undefined }), key);
      expect(await reasonOf(verifier.verify(token))).toBe('azp_mismatch');
    });

    it('accepts several audiences when azp is us', async () => {
      const token = signJwt(idClaims({ aud: [CLIENT, 'other'], azp: CLIENT }), key);
      expect(await reasonOf(verifier.verify(token))).toBe('accepted');
    });

    it('rejects an azp naming another client, even with a single audience', async () => {
      expect(await reasonOf(verifier.verify(signJwt(idClaims({ azp: 'other' }), key)))).toBe('azp_mismatch');
      const several = signJwt(idClaims({ aud: [CLIENT, 'other'], azp: 'other' }), key);
      expect(await reasonOf(verifier.verify(several))).toBe('azp_mismatch');
    });

    it('accepts a single audience without azp', async () => {
      expect(await reasonOf(verifier.verify(signJwt(idClaims({ azp: undefined }), key)))).toBe('accepted');
    });
  });

  it('rejects a token issued to another client', async () => {
    expect(await reasonOf(verifier.verify(signJwt(idClaims({ aud: 'nest-swagger' }), key)))).toBe('wrong_audience');
  });

  it('rejects an access token presented as ID token', async () => {
    expect(await reasonOf(verifier.verify(signJwt(idClaims({ typ: 'Bearer' }), key)))).toBe('wrong_token_type');
  });

  it('requires iat and sub, and checks exp', async () => {
    expect(await reasonOf(verifier.verify(signJwt(idClaims({ iat: undefined }), key)))).toBe('missing_claim');
    expect(await reasonOf(verifier.verify(signJwt(idClaims({ sub: undefined }), key)))).toBe('missing_claim');
    expect(await reasonOf(verifier.verify(signJwt(idClaims({ exp: nowSec - 31 }), key)))).toBe('expired');
    expect(await reasonOf(verifier.verify(signJwt(idClaims({ iat: nowSec + 31 }), key)))).toBe('issued_in_future');
  });

  it('checks auth_time against max_age (with skew)', async () => {
    const token = signJwt(idClaims({ auth_time: nowSec - 600 }), key);
    expect(await reasonOf(verifier.verify(token, { maxAgeSec: 600 }))).toBe('accepted');
    expect(await reasonOf(verifier.verify(token, { maxAgeSec: 569 }))).toBe('too_old');
    const withoutAuthTime = signJwt(idClaims({ auth_time: undefined }), key);
    expect(await reasonOf(verifier.verify(withoutAuthTime, { maxAgeSec: 600 }))).toBe('missing_claim');
    expect(await reasonOf(verifier.verify(withoutAuthTime))).toBe('accepted');
  });

  it('rejects a forged signature', async () => {
    const forged = signJwt(idClaims(), { ...rsaKey('other'), kid: 'k1' });
    expect(await reasonOf(verifier.verify(forged))).toBe('bad_signature');
  });
});
