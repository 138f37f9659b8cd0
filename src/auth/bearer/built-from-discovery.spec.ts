import type { ProviderMetadata } from '../token';
import { BuiltFromDiscovery } from './built-from-discovery';

const METADATA = { issuer: 'https://sso.example.test/realms/r', jwks_uri: 'https://sso.example.test/certs' } as ProviderMetadata;

class Unavailable extends Error {}

describe('BuiltFromDiscovery', () => {
  it('builds once from the discovery document, for concurrent first uses too', async () => {
    const discover = jest.fn(() => Promise.resolve(METADATA));
    const build = jest.fn((metadata: ProviderMetadata) => ({ uri: metadata.jwks_uri }));
    const lazy = new BuiltFromDiscovery(discover, build, () => new Unavailable());
    expect(lazy.current).toBeUndefined();
    const [a, b] = await Promise.all([lazy.get(), lazy.get()]);
    expect(a).toBe(b);
    expect(lazy.current).toBe(a);
    expect(await lazy.get()).toBe(a);
    expect(build).toHaveBeenCalledTimes(1);
    expect(a).toEqual({ uri: METADATA.jwks_uri });
  });

  it('answers a failed discovery with its own error, never the cause, and tries again next time', async () => {
    const discover = jest
      .fn<Promise<ProviderMetadata>, []>()
      .mockRejectedValueOnce(new Error('connect ECONNREFUSED 10.0.0.1:8080'))
      .mockResolvedValue(METADATA);
    const lazy = new BuiltFromDiscovery(discover, () => 'built', () => new Unavailable('unavailable'));
    await expect(lazy.get()).rejects.toEqual(new Unavailable('unavailable'));
    expect(lazy.current).toBeUndefined();
    expect(await lazy.get()).toBe('built');
    expect(discover).toHaveBeenCalledTimes(2);
  });

  it('is unavailable while the document lacks what build needs', async () => {
    const lazy = new BuiltFromDiscovery(
      () => Promise.resolve(METADATA),
      (metadata) => metadata.introspection_endpoint,
      () => new Unavailable(),
    );
    await expect(lazy.get()).rejects.toBeInstanceOf(Unavailable);
    expect(lazy.current).toBeUndefined();
  });
});
