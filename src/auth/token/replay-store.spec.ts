import { InMemoryReplayStore } from './replay-store';

describe('InMemoryReplayStore', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_750_000_000_000 }));
  afterEach(() => jest.useRealTimers());

  it('accepts an id once within its TTL', async () => {
    const store = new InMemoryReplayStore();
    expect(await store.markIfNew('a', 60)).toBe(true);
    expect(await store.markIfNew('a', 60)).toBe(false);
    expect(await store.markIfNew('b', 60)).toBe(true);
  });

  it('forgets an id after its TTL', async () => {
    const store = new InMemoryReplayStore();
    await store.markIfNew('a', 60);
    jest.advanceTimersByTime(59_999);
    expect(await store.markIfNew('a', 60)).toBe(false);
    jest.advanceTimersByTime(1);
    expect(await store.markIfNew('a', 60)).toBe(true);
  });

  it('is bounded, dropping expired entries first and then the oldest', async () => {
    const store = new InMemoryReplayStore({ maxEntries: 3 });
    await store.markIfNew('short', 1);
    await store.markIfNew('b', 600);
    await store.markIfNew('c', 600);
    jest.advanceTimersByTime(1_000);
    await store.markIfNew('d', 600);
    expect(store.size).toBe(3);
    expect(await store.markIfNew('b', 600)).toBe(false);
    await store.markIfNew('e', 600);
    expect(store.size).toBe(3);
    // 'b' was re-checked, not re-inserted, so it is still the oldest and was evicted.
    expect(await store.markIfNew('c', 600)).toBe(false);
    expect(await store.markIfNew('d', 600)).toBe(false);
    expect(await store.markIfNew('b', 600)).toBe(true);
  });
});
