import { MemorySessionStore } from './memory-session-store';
import type { PendingLogin, SessionRecord } from './session-record';
import { sessionRecord } from './testing/session-fixtures';

const T0 = 1_750_000_000_000;
const record = (extra: Partial<SessionRecord> = {}) => sessionRecord(extra, T0);

const pending: PendingLogin = { nonce: 'n', codeVerifier: 'v', returnTo: '/x', bindingHash: 'b' };

describe('MemorySessionStore', () => {
  let now: number;
  let store: MemorySessionStore;

  beforeEach(() => {
    now = T0;
    store = new MemorySessionStore({ now: () => now, maxSessions: 3, maxPendingLogins: 2 });
  });

  it('returns a session until it expires, then never again', async () => {
    await store.create('k1', record());
    expect((await store.get('k1'))?.subject).toBe('alice-id');
    now = T0 + 3_600_000;
    expect(await store.get('k1')).toBeUndefined();
    expect(store.size).toBe(0);
  });

  it('updates only sessions that still exist', async () => {
    await store.create('k1', record());
    expect(await store.update('k1', record({ accessToken: 'at2' }))).toBe(true);
    expect((await store.get('k1'))?.accessToken).toBe('at2');
    await store.delete('k1');
    expect(await store.update('k1', record({ accessToken: 'at3' }))).toBe(false);
    expect(await store.get('k1')).toBeUndefined();
  });

  it('ends every session of a Keycloak sid, and only those', async () => {
    await store.create('k1', record());
    await store.create('k2', record());
    await store.create('k3', record({ keycloakSessionId: 'kc-2' }));
    expect(await store.deleteByKeycloakSession('kc-1')).toBe(2);
    expect(await store.get('k1')).toBeUndefined();
    expect(await store.get('k2')).toBeUndefined();
    expect(await store.get('k3')).toBeDefined();
    expect(await store.deleteByKeycloakSession('kc-1')).toBe(0);
  });

  it('ends every session of a subject', async () => {
    await store.create('k1', record());
    await store.create('k2', record({ keycloakSessionId: 'kc-2' }));
    await store.create('k3', record({ subject: 'bob-id', keycloakSessionId: 'kc-3' }));
    expect(await store.deleteBySubject('alice-id')).toBe(2);
    expect(await store.get('k3')).toBeDefined();
  });

  it('is bounded: the oldest session goes first, and leaves its indexes', async () => {
    await store.create('k1', record());
    await store.create('k2', record({ subject: 'bob-id', keycloakSessionId: 'kc-2' }));
    await store.create('k3', record({ subject: 'carol-id', keycloakSessionId: 'kc-3' }));
    await store.create('k4', record({ subject: 'dave-id', keycloakSessionId: 'kc-4' }));
    expect(store.size).toBe(3);
    expect(await store.get('k1')).toBeUndefined();
    expect(await store.deleteByKeycloakSession('kc-1')).toBe(0);
    expect(await store.get('k4')).toBeDefined();
  });

  it('hands out a pending login once', async () => {
    await store.savePendingLogin('s1', pending, 600);
    expect(await store.takePendingLogin('s1')).toEqual(pending);
    expect(await store.takePendingLogin('s1')).toBeUndefined();
  });

  it('forgets pending logins after their TTL, and keeps at most the configured number', async () => {
    await store.savePendingLogin('s1', pending, 600);
    now = T0 + 600_000;
    expect(await store.takePendingLogin('s1')).toBeUndefined();
    await store.savePendingLogin('a', pending, 600);
    await store.savePendingLogin('b', pending, 600);
    await store.savePendingLogin('c', pending, 600);
    expect(await store.takePendingLogin('a')).toBeUndefined();
    expect(await store.takePendingLogin('c')).toEqual(pending);
  });

  it('grants a lock to one holder until it is released or expires', async () => {
    const first = await store.acquireLock('refresh:k1', 10_000);
    expect(first).toEqual(expect.any(String));
    expect(await store.acquireLock('refresh:k1', 10_000)).toBeUndefined();
    await store.releaseLock('refresh:k1', 'somebody-else');
    expect(await store.acquireLock('refresh:k1', 10_000)).toBeUndefined();
    await store.releaseLock('refresh:k1', first as string);
    const second = await store.acquireLock('refresh:k1', 10_000);
    expect(second).toEqual(expect.any(String));
    now += 10_000;
    expect(await store.acquireLock('refresh:k1', 10_000)).toEqual(expect.any(String));
  });
});
