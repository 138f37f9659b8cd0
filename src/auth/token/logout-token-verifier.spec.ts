import { InvalidLogoutTokenError, KeySetUnavailableError } from './errors';
import type { KeySource } from './jwt-verifier';
import { BACKCHANNEL_LOGOUT_EVENT, LogoutTokenVerifier } from './logout-token-verifier';
import { InMemoryReplayStore, type ReplayStore } from './replay-store';
import { ISSUER, StaticKeySource, rsaKey, signJwt } from './testing/tokens';
import { outcomeOf } from './testing/outcome';

const NOW = 1_750_000_000_000;
const nowSec = NOW / 1000;
const CLIENT = 'nest-api';
const key = rsaKey('k1');
let sequence = 0;

/** What Keycloak sends: header typ logout+jwt, claim typ Logout, exp two minutes out. */
function logoutClaims(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    iss: ISSUER,
    aud: CLIENT,
    iat: nowSec - 1,
    exp: nowSec + 120,
    jti: `logout-${++sequence}`,
    typ: 'Logout',
    sid: 'sid-1',
    sub: 'alice-id',
    events: { [BACKCHANNEL_LOGOUT_EVENT]: {} },
    ...extra,
  };
}

const sign = (claims: Record<string, unknown>, header: Record<string, unknown> = { typ: 'logout+jwt' }): string =>
  signJwt(claims, key, { header });

function verifierWith(options: { replayStore?: ReplayStore; keySource?: KeySource } = {}): LogoutTokenVerifier {
  return new LogoutTokenVerifier({
    issuer: ISSUER,
    clientId: CLIENT,
    keySource: options.keySource ?? new StaticKeySource([key]),
    replayStore: options.replayStore,
    now: () => NOW,
  });
}

const reasonOf = (promise: Promise<unknown>): Promise<string> => outcomeOf(promise, InvalidLogoutTokenError);

describe('LogoutTokenVerifier', () => {
  it('accepts a valid logout token and returns sid and sub', async () => {
    const claims = await verifierWith().verify(sign(logoutClaims()));
    expect(claims).toMatchObject({ sid: 'sid-1', sub: 'alice-id' });
  });

  it('accepts sid without sub, and sub without sid', async () => {
    const verifier = verifierWith();
    expect(await reasonOf(verifier.verify(sign(logoutClaims({ sub: undefined }))))).toBe('accepted');
    expect(await reasonOf(verifier.verify(sign(logoutClaims({ sid: undefined }))))).toBe('accepted');
  });

  it('accepts a token without exp, and without header typ', async () => {
    const verifier = verifierWith();
    expect(await reasonOf(verifier.verify(sign(logoutClaims({ exp: undefined }))))).toBe('accepted');
    expect(await reasonOf(verifier.verify(sign(logoutClaims(), { typ: undefined })))).toBe('accepted');
  });

  it.each([
    ['a nonce', { nonce: 'n' }, 'nonce_present'],
    ['no events', { events: undefined }, 'missing_events'],
    ['events without the back-channel member', { events: { 'http://other/event': {} } }, 'missing_events'],
    ['a non-object event value', { events: { [BACKCHANNEL_LOGOUT_EVENT]: true } }, 'missing_events'],
    ['an array as events', { events: [BACKCHANNEL_LOGOUT_EVENT] }, 'missing_events'],
    ['neither sid nor sub', { sid: undefined, sub: undefined }, 'missing_subject'],
    ['a non-string sid', { sid: 7 }, 'invalid_claim'],
    ['no jti', { jti: undefined }, 'missing_claim'],
    ['no iat', { iat: undefined }, 'missing_claim'],
    ['an old iat', { iat: nowSec - 331, exp: undefined }, 'too_old'],
    ['an expired exp', { exp: nowSec - 31 }, 'expired'],
    ['another audience', { aud: 'nest-swagger' }, 'wrong_audience'],
    ['no audience', { aud: undefined }, 'missing_claim'],
    ['another issuer', { iss: 'https://sso.example.test/realms/partner' }, 'wrong_issuer'],
    ['Keycloak typ of an access token', { typ: 'Bearer' }, 'wrong_token_type'],
  ])('rejects a token with %s', async (_name, extra, reason) => {
    expect(await reasonOf(verifierWith().verify(sign(logoutClaims(extra))))).toBe(reason);
  });

  it('rejects a header typ other than logout+jwt', async () => {
    expect(await reasonOf(verifierWith().verify(sign(logoutClaims(), { typ: 'JWT' })))).toBe('wrong_header_type');
  });

  it('rejects an ID token posted as logout token', async () => {
    const idClaims = { iss: ISSUER, aud: CLIENT, sub: 'alice-id', typ: 'ID', iat: nowSec, exp: nowSec + 300, nonce: 'n' };
    expect(await reasonOf(verifierWith().verify(signJwt(idClaims, key)))).toBe('wrong_header_type');
    // Even without the header typ, and with an events claim bolted on, the nonce gives it away.
    const withEvents = { ...idClaims, typ: undefined, events: { [BACKCHANNEL_LOGOUT_EVENT]: {} }, jti: 'j' };
    expect(await reasonOf(verifierWith().verify(sign(withEvents, { typ: undefined })))).toBe('nonce_present');
  });

  it('rejects a replayed jti', async () => {
    const verifier = verifierWith();
    const token = sign(logoutClaims());
    expect(await reasonOf(verifier.verify(token))).toBe('accepted');
    expect(await reasonOf(verifier.verify(token))).toBe('replayed');
  });

  it('does not burn the jti of a token that fails validation', async () => {
    const verifier = verifierWith();
    const claims = logoutClaims();
    expect(await reasonOf(verifier.verify(sign({ ...claims, nonce: 'n' })))).toBe('nonce_present');
    expect(await reasonOf(verifier.verify(sign(claims)))).toBe('accepted');
  });

  it('keys the replay store by issuer and jti, for as long as the token is acceptable', async () => {
    const markIfNew = jest.fn().mockResolvedValue(true);
    await verifierWith({ replayStore: { markIfNew } }).verify(sign(logoutClaims({ jti: 'j-1' })));
    // exp + skew - now = 120 + 30
    expect(markIfNew).toHaveBeenCalledWith(`${ISSUER} j-1`, 150);
  });

  it('shares replay state through a shared store', async () => {
    const store = new InMemoryReplayStore({ now: () => NOW });
    const token = sign(logoutClaims());
    expect(await reasonOf(verifierWith({ replayStore: store }).verify(token))).toBe('accepted');
    expect(await reasonOf(verifierWith({ replayStore: store }).verify(token))).toBe('replayed');
  });

  it('rejects a forged signature', async () => {
    const forged = signJwt(logoutClaims(), { ...rsaKey('evil'), kid: 'k1' }, { header: { typ: 'logout+jwt' } });
    expect(await reasonOf(verifierWith().verify(forged))).toBe('bad_signature');
  });

  it('lets a key-set outage through as 503, not 400', async () => {
    const keySource: KeySource = { getKey: () => Promise.reject(new KeySetUnavailableError()) };
    await expect(verifierWith({ keySource }).verify(sign(logoutClaims()))).rejects.toBeInstanceOf(KeySetUnavailableError);
  });
});
