// The session store contract, run against the in-memory store and against a
// real redis-server (started by the test support on 127.0.0.1:6390). With
// Redis, two store instances on two connections play two API replicas.
import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { MemorySessionStore } from '../src/auth/session/memory-session-store';
import { RedisReplayStore } from '../src/auth/session/redis-replay-store';
import { RedisSessionStore } from '../src/auth/session/redis-session-store';
import type { PendingLogin, SessionRecord } from '../src/auth/session/session-record';
import type { SessionStore } from '../src/auth/session/session-store';
import { sessionRecord } from '../src/auth/session/testing/session-fixtures';
import { ensureRedis } from './support/redis';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const record = (extra: Partial<SessionRecord> = {}) => sessionRecord(extra);

const pending: PendingLogin = { nonce: 'n', codeVerifier: 'v', returnTo: '/x', bindingHash: 'b' };

interface Backend {
  /** Two handles on the same storage: one per replica. */
  replicas(): [SessionStore, SessionStore];
}

const connections: Redis[] = [];

const backends: Array<[string, () => Promise<Backend>]> = [
  [
    'memory',
    async () => {
      // One process: both "replicas" are the same store.
      const store = new MemorySessionStore();
      return { replicas: () => [store, store] };
    },
  ],
  [
    'redis',
    async () => {
      const { url } = await ensureRedis();
      // A prefix per run, so parallel runs and other specs never see each other's keys.
      const prefix = `nka-test:${randomBytes(6).toString('hex')}:`;
      const a = new Redis(url);
      const b = new Redis(url);
      connections.push(a, b);
      return { replicas: () => [new RedisSessionStore(a, { prefix }), new RedisSessionStore(b, { prefix })] };
    },
  ],
];

afterAll(async () => {
  await Promise.all(connections.map((connection) => connection.quit()));
});

describe.each(backends)('session store contract: %s', (_name, makeBackend) => {
  let one: SessionStore;
  let other: SessionStore;
  let keyCounter = 0;
  const key = () => `k-${Date.now()}-${++keyCounter}`;

  beforeAll(async () => {
    [one, other] = (await makeBackend()).replicas();
  });

  it('stores a session for every replica, and deletes it for every replica', async () => {
    const k = key();
    await one.create(k, record());
    expect(await other.get(k)).toMatchObject({ subject: 'alice-id', keycloakSessionId: 'kc-1', csrfToken: 'csrf' });
    expect(await other.delete(k)).toBe(true);
    expect(await one.get(k)).toBeUndefined();
    expect(await one.delete(k)).toBe(false);
  });

  it('expires a session at its expiresAt', async () => {
    const k = key();
    await one.create(k, record({ expiresAt: Date.now() + 300 }));
    expect(await other.get(k)).toBeDefined();
    await sleep(400);
    expect(await other.get(k)).toBeUndefined();
  });

  it('updates a live session, but never brings back an ended one', async () => {
    const k = key();
    await one.create(k, record({ keycloakSessionId: 'kc-upd' }));
    expect(await other.update(k, record({ keycloakSessionId: 'kc-upd', accessToken: 'at-2' }))).toBe(true);
    expect((await one.get(k))?.accessToken).toBe('at-2');
    await one.deleteByKeycloakSession('kc-upd');
    expect(await other.update(k, record({ keycloakSessionId: 'kc-upd', accessToken: 'at-3' }))).toBe(false);
    expect(await one.get(k)).toBeUndefined();
  });

  it('ends all sessions of a Keycloak sid on every replica, and only those', async () => {
    const sid = `kc-${key()}`;
    const [a, b, c] = [key(), key(), key()];
    await one.create(a, record({ keycloakSessionId: sid }));
    await other.create(b, record({ keycloakSessionId: sid }));
    await one.create(c, record({ keycloakSessionId: `${sid}-other` }));
    expect(await other.deleteByKeycloakSession(sid)).toBe(2);
    expect(await one.get(a)).toBeUndefined();
    expect(await one.get(b)).toBeUndefined();
    expect(await one.get(c)).toBeDefined();
    expect(await one.deleteByKeycloakSession(sid)).toBe(0);
  });

  it('ends all sessions of a subject, including ones already deleted singly', async () => {
    const subject = `user-${key()}`;
    const [a, b, c] = [key(), key(), key()];
    await one.create(a, record({ subject, keycloakSessionId: `${subject}-1` }));
    await other.create(b, record({ subject, keycloakSessionId: `${subject}-2` }));
    await one.create(c, record({ subject, keycloakSessionId: `${subject}-3` }));
    await other.delete(c);
    expect(await one.deleteBySubject(subject)).toBe(2);
    expect(await other.get(a)).toBeUndefined();
    expect(await other.get(b)).toBeUndefined();
    expect(await one.deleteByKeycloakSession(`${subject}-1`)).toBe(0);
  });

  it('hands a pending login to exactly one replica', async () => {
    const state = key();
    await one.savePendingLogin(state, pending, 60);
    const taken = await Promise.all([one.takePendingLogin(state), other.takePendingLogin(state)]);
    expect(taken.filter(Boolean)).toEqual([pending]);
  });

  it('forgets a pending login after its TTL', async () => {
    const state = key();
    await one.savePendingLogin(state, pending, 1);
    await sleep(1_100);
    expect(await other.takePendingLogin(state)).toBeUndefined();
  });

  it('gives a refresh lock to one replica until the holder releases it or it expires', async () => {
    const name = `refresh:${key()}`;
    const [first, second] = await Promise.all([one.acquireLock(name, 300), other.acquireLock(name, 300)]);
    expect([first, second].filter(Boolean)).toHaveLength(1);
    const holder = (first ?? second) as string;
    const [holderStore, waiter] = first ? [one, other] : [other, one];
    await waiter.releaseLock(name, 'not-the-holder');
    expect(await waiter.acquireLock(name, 300)).toBeUndefined();
    await holderStore.releaseLock(name, holder);
    const again = await waiter.acquireLock(name, 300);
    expect(again).toEqual(expect.any(String));
    await sleep(350);
    expect(await holderStore.acquireLock(name, 300)).toEqual(expect.any(String));
  });
});

describe('Redis specifics', () => {
  let redis: Redis;
  let prefix: string;

  beforeAll(async () => {
    const { url } = await ensureRedis();
    redis = new Redis(url);
    connections.push(redis);
    prefix = `nka-test:${randomBytes(6).toString('hex')}:`;
  });

  it('keeps only hashes of browser-held values and the indexes, nothing under the raw key names', async () => {
    const store = new RedisSessionStore(redis, { prefix });
    await store.create('hash-of-cookie', record({ subject: 'sub-x', keycloakSessionId: 'sid-x' }));
    const keys = (await redis.keys(`${prefix}*`)).sort();
    expect(keys).toEqual([`${prefix}sess:hash-of-cookie`, `${prefix}sid:sid-x`, `${prefix}sub:sub-x`]);
    const ttl = await redis.pttl(`${prefix}sess:hash-of-cookie`);
    expect(ttl).toBeGreaterThan(3_500_000);
    expect(ttl).toBeLessThanOrEqual(3_600_000);
    await store.delete('hash-of-cookie');
    // The indexes lose the member with the session; empty sets vanish.
    expect(await redis.keys(`${prefix}*`)).toEqual([]);
  });

  it('refuses a logout-token jti seen by another replica', async () => {
    const second = new Redis((await ensureRedis()).url);
    connections.push(second);
    const replicaA = new RedisReplayStore(redis, prefix);
    const replicaB = new RedisReplayStore(second, prefix);
    const jti = `https://issuer jti-${randomBytes(4).toString('hex')}`;
    expect(await replicaA.markIfNew(jti, 60)).toBe(true);
    expect(await replicaB.markIfNew(jti, 60)).toBe(false);
    expect(await replicaA.markIfNew(jti, 60)).toBe(false);
    expect(await redis.ttl(`${prefix}jti:${jti}`)).toBeGreaterThan(55);
  });
});
