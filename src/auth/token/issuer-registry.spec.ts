import { AccessTokenVerifier } from './access-token-verifier';
import { InvalidTokenError } from './errors';
import { IssuerRegistry } from './issuer-registry';
import { ISSUER, StaticKeySource, accessClaims, jsonResponse, jwkOf, rsaKey, signJwt, stubFetch } from './testing/tokens';
import { outcomeOf } from './testing/outcome';

const NOW = 1_750_000_000_000;
const PARTNER = 'https://sso.example.test/realms/partner';
const mainKey = rsaKey('main-k');
const partnerKey = rsaKey('partner-k');

const reasonOf = (promise: Promise<unknown>): Promise<string> => outcomeOf(promise, InvalidTokenError);

describe('IssuerRegistry', () => {
  beforeEach(() => jest.useFakeTimers({ now: NOW }));
  afterEach(() => jest.useRealTimers());

  function twoRealms() {
    const fetch = stubFetch((url) => jsonResponse({ keys: [jwkOf(url.includes('/partner/') ? partnerKey : mainKey)] }));
    const registry = IssuerRegistry.fromConfigs(
      [
        { issuer: ISSUER, audience: 'nest-api', jwksUri: `${ISSUER}/protocol/openid-connect/certs` },
        { issuer: PARTNER, audience: 'partner-api', jwksUri: `${PARTNER}/protocol/openid-connect/certs` },
      ],
      { fetch },
    );
    return { fetch, registry };
  }

  it('verifies each realm with its own keys and audience', async () => {
    const { registry, fetch } = twoRealms();
    const main = await registry.verify(signJwt(accessClaims(NOW), mainKey));
    const partner = await registry.verify(signJwt(accessClaims(NOW, { iss: PARTNER, aud: 'partner-api' }), partnerKey));
    expect(main.issuer).toBe(ISSUER);
    expect(partner.issuer).toBe(PARTNER);
    expect(fetch.calls.map((call) => call.url)).toEqual([
      `${ISSUER}/protocol/openid-connect/certs`,
      `${PARTNER}/protocol/openid-connect/certs`,
    ]);
    expect(registry.issuers).toEqual([ISSUER, PARTNER]);
  });

  it('refuses an unknown issuer without any network call', async () => {
    const { registry, fetch } = twoRealms();
    const token = signJwt(accessClaims(NOW, { iss: 'https://evil.example/realms/x' }), rsaKey('x'));
    expect(await reasonOf(registry.verify(token))).toBe('unknown_issuer');
    expect(await reasonOf(registry.verify(signJwt(accessClaims(NOW, { iss: undefined }), mainKey)))).toBe('unknown_issuer');
    expect(fetch.calls).toHaveLength(0);
  });

  it('does not let one realm’s key sign for the other realm', async () => {
    const { registry } = twoRealms();
    const crossSigned = signJwt(accessClaims(NOW, { iss: PARTNER, aud: 'partner-api' }), { ...mainKey, kid: 'partner-k' });
    expect(await reasonOf(registry.verify(crossSigned))).toBe('bad_signature');
  });

  it('applies the audience of the chosen realm', async () => {
    const { registry } = twoRealms();
    const token = signJwt(accessClaims(NOW, { iss: PARTNER, aud: 'nest-api' }), partnerKey);
    expect(await reasonOf(registry.verify(token))).toBe('wrong_audience');
  });

  it('caches across realms before decoding', async () => {
    const keys = new StaticKeySource([mainKey]);
    const registry = new IssuerRegistry([
      new AccessTokenVerifier({ issuer: ISSUER, audience: 'nest-api', keySource: keys, cache: false }),
    ]);
    const token = signJwt(accessClaims(NOW), mainKey);
    await registry.verify(token);
    // Admitted on its second use, then served from the cache.
    expect(await registry.verify(token)).toBe(await registry.verify(token));
    expect(keys.lookups).toBe(2);
  });

  it('refuses duplicate or missing issuers at construction', () => {
    const verifier = new AccessTokenVerifier({ issuer: ISSUER, audience: 'a', keySource: new StaticKeySource([]) });
    expect(() => new IssuerRegistry([verifier, verifier])).toThrow(TypeError);
    expect(() => new IssuerRegistry([])).toThrow(TypeError);
  });

  it('refuses malformed and oversized tokens', async () => {
    const { registry } = twoRealms();
    expect(await reasonOf(registry.verify('not.a-token'))).toBe('malformed');
    expect(await reasonOf(registry.verify('a'.repeat(9000)))).toBe('token_too_large');
  });
});
