import { VerifiedTokenCache } from './verified-token-cache';

const NOW = 1_750_000_000_000;
const nowSec = NOW / 1000;

describe('VerifiedTokenCache', () => {
  beforeEach(() => jest.useFakeTimers({ now: NOW }));
  afterEach(() => jest.useRealTimers());

  it('keys by SHA-256, never by the token itself', () => {
    const token = 'header.payload.signature';
    const key = VerifiedTokenCache.keyOf(token);
    expect(Buffer.from(key, 'latin1').toString('base64')).toBe('JW0E205eSsMIdR7QiFtyK3WGMFZ8U6cSXtn70Gjlw/Y=');
    expect(key).not.toContain(token);
    expect(VerifiedTokenCache.keyOf(token)).toBe(key);
  });

  it('gives tokens differing in one character different entries (no cross-token confusion)', () => {
    const cache = new VerifiedTokenCache<string>();
    const a = 'aaaa.bbbb.cccc';
    const b = 'aaaa.bbbb.cccd';
    cache.set(VerifiedTokenCache.keyOf(a), 'alice', nowSec + 60);
    expect(cache.get(VerifiedTokenCache.keyOf(a))).toBe('alice');
    expect(cache.get(VerifiedTokenCache.keyOf(b))).toBeUndefined();
    cache.set(VerifiedTokenCache.keyOf(b), 'bob', nowSec + 60);
    expect(cache.get(VerifiedTokenCache.keyOf(a))).toBe('alice');
    expect(cache.get(VerifiedTokenCache.keyOf(b))).toBe('bob');
  });

  it('never returns an entry at or after the token exp', () => {
    const cache = new VerifiedTokenCache<string>({ maxTtlMs: 3_600_000 });
    cache.set('k', 'v', nowSec + 10);
    jest.advanceTimersByTime(9_999);
    expect(cache.get('k')).toBe('v');
    jest.advanceTimersByTime(1);
    expect(cache.get('k')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('caps an entry at maxTtl even if the token lives longer', () => {
    const cache = new VerifiedTokenCache<string>({ maxTtlMs: 60_000 });
    cache.set('k', 'v', nowSec + 3_600);
    jest.advanceTimersByTime(59_999);
    expect(cache.get('k')).toBe('v');
    jest.advanceTimersByTime(1);
    expect(cache.get('k')).toBeUndefined();
  });

  it('does not store a token that is already expired', () => {
    const cache = new VerifiedTokenCache<string>();
    cache.set('k', 'v', nowSec);
    cache.set('k2', 'v', nowSec - 5);
    expect(cache.size).toBe(0);
  });

  it('uses maxTtl for a value without exp', () => {
    const cache = new VerifiedTokenCache<string>({ maxTtlMs: 1_000 });
    cache.set('k', 'v', undefined);
    expect(cache.get('k')).toBe('v');
    jest.advanceTimersByTime(1_000);
    expect(cache.get('k')).toBeUndefined();
  });

  it('is bounded and evicts the oldest insertion first', () => {
    const cache = new VerifiedTokenCache<number>({ maxEntries: 3 });
    for (let i = 0; i < 5; i++) cache.set(`k${i}`, i, nowSec + 60);
    expect(cache.size).toBe(3);
    expect(cache.get('k0')).toBeUndefined();
    expect(cache.get('k1')).toBeUndefined();
    expect([cache.get('k2'), cache.get('k3'), cache.get('k4')]).toEqual([2, 3, 4]);
  });

  it('does not evict when overwriting an existing key at the bound', () => {
    const cache = new VerifiedTokenCache<number>({ maxEntries: 2 });
    cache.set('a', 1, nowSec + 60);
    cache.set('b', 2, nowSec + 60);
    cache.set('b', 3, nowSec + 60);
    expect([cache.get('a'), cache.get('b')]).toEqual([1, 3]);
  });

  it('stores nothing when maxEntries is 0', () => {
    const cache = new VerifiedTokenCache<number>({ maxEntries: 0 });
    cache.set('a', 1, nowSec + 60);
    expect(cache.get('a')).toBeUndefined();
  });

  it('follows an injected clock', () => {
    let now = NOW;
    const cache = new VerifiedTokenCache<number>({ now: () => now });
    cache.set('a', 1, nowSec + 5);
    now += 5_000;
    expect(cache.get('a')).toBeUndefined();
  });

  it('can delete and clear entries', () => {
    const cache = new VerifiedTokenCache<number>();
    cache.set('a', 1, nowSec + 60);
    cache.set('b', 2, nowSec + 60);
    cache.delete('a');
    expect(cache.get('a')).toBeUndefined();
    cache.clear();
    expect(cache.size).toBe(0);
  });

  describe("admission 'repeat'", () => {
    it('stores a key only the second time it is set', () => {
      const cache = new VerifiedTokenCache<number>({ admission: 'repeat' });
      cache.set('a', 1, nowSec + 60);
      expect(cache.get('a')).toBeUndefined();
      expect(cache.size).toBe(0);
      cache.set('a', 2, nowSec + 60);
      expect(cache.get('a')).toBe(2);
      cache.set('a', 3, nowSec + 60);
      expect(cache.get('a')).toBe(3);
    });

    it('lets keys set once never displace admitted entries', () => {
      const cache = new VerifiedTokenCache<number>({ maxEntries: 2, admission: 'repeat' });
      for (const key of ['a', 'a', 'b', 'b']) cache.set(key, 1, nowSec + 60);
      for (let i = 0; i < 100; i++) cache.set(`once-${i}`, i, nowSec + 60);
      expect(cache.size).toBe(2);
      expect([cache.get('a'), cache.get('b')]).toEqual([1, 1]);
    });

    it('remembers a bounded number of keys seen once, forgetting the oldest', () => {
      const cache = new VerifiedTokenCache<number>({ maxEntries: 3, admission: 'repeat' });
      const keys = ['k0', 'k1', 'k2', 'k3'].map((k) => VerifiedTokenCache.keyOf(k));
      for (const key of keys) cache.set(key, 1, nowSec + 60);
      // k0 was pushed out of the doorkeeper by k3: its next set is a first sighting again.
      cache.set(keys[0], 1, nowSec + 60);
      expect(cache.get(keys[0])).toBeUndefined();
      cache.set(keys[3], 1, nowSec + 60);
      expect(cache.get(keys[3])).toBe(1);
    });

    it('does not count an expired token as a sighting', () => {
      const cache = new VerifiedTokenCache<number>({ admission: 'repeat' });
      cache.set('a', 1, nowSec - 1);
      cache.set('a', 1, nowSec + 60);
      expect(cache.get('a')).toBeUndefined();
    });

    it('forgets sightings on clear', () => {
      const cache = new VerifiedTokenCache<number>({ admission: 'repeat' });
      cache.set('a', 1, nowSec + 60);
      cache.clear();
      cache.set('a', 1, nowSec + 60);
      expect(cache.get('a')).toBeUndefined();
    });

    it('stores nothing when maxEntries is 0', () => {
      const cache = new VerifiedTokenCache<number>({ maxEntries: 0, admission: 'repeat' });
      for (let i = 0; i < 3; i++) cache.set('a', 1, nowSec + 60);
      expect(cache.size).toBe(0);
    });
  });
});
