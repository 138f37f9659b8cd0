import { ServiceUnavailableException } from '@nestjs/common';
import { MemorySessionStore } from './memory-session-store';
import { InvalidSessionError } from './session-errors';
import type { SessionRecord, TokenSet } from './session-record';
import { SessionRefresher } from './session-refresher';
import { sessionRecord } from './testing/session-fixtures';
import type { TokenRefresher } from './token-refresher';

const T0 = 1_750_000_000_000;
const record = (extra: Partial<SessionRecord> = {}) =>
  sessionRecord({ accessToken: 'at-0', refreshToken: 'rt-0', refreshTokenExpiresAt: T0 + 1_800_000, ...extra }, T0);

/** A Keycloak stand-in whose answers the test releases by hand. */
class FakeKeycloak implements TokenRefresher {
  calls: string[] = [];
  answer: () => Promise<TokenSet | undefined> = () => Promise.resolve(this.next());
  private issued = 0;

  refresh(refreshToken: string): Promise<TokenSet | undefined> {
    this.calls.push(refreshToken);
    return this.answer();
  }

  next(): TokenSet {
    this.issued++;
    return { accessToken: `at-${this.issued}`, expiresIn: 300, refreshToken: `rt-${this.issued}`, refreshExpiresIn: 1800 };
  }
}

describe('SessionRefresher', () => {
  let store: MemorySessionStore;
  let keycloak: FakeKeycloak;
  let refresher: SessionRefresher;

  beforeEach(async () => {
    jest.useFakeTimers({ now: T0 });
    store = new MemorySessionStore();
    keycloak = new FakeKeycloak();
    refresher = new SessionRefresher(store, keycloak);
    await store.create('k1', record());
  });

  afterEach(() => jest.useRealTimers());

  it('leaves a session alone until its refresh time', async () => {
    jest.setSystemTime(T0 + 239_000);
    expect((await refresher.refreshIfDue('k1', record())).accessToken).toBe('at-0');
    expect(keycloak.calls).toEqual([]);
  });

  it('refreshes a due session once, however many requests ask at the same time', async () => {
    jest.setSystemTime(T0 + 250_000);
    let release!: () => void;
    keycloak.answer = () => new Promise((resolve) => (release = () => resolve(keycloak.next())));
    const seen = (await store.get('k1')) as SessionRecord;
    const pending = Array.from({ length: 10 }, () => refresher.refreshIfDue('k1', seen));
    await jest.advanceTimersByTimeAsync(0);
    release();
    const results = await Promise.all(pending);
    expect(keycloak.calls).toEqual(['rt-0']);
    expect(new Set(results.map((r) => r.accessToken))).toEqual(new Set(['at-1']));
    const stored = (await store.get('k1')) as SessionRecord;
    expect(stored).toMatchObject({ accessToken: 'at-1', refreshToken: 'rt-1', accessTokenExpiresAt: T0 + 250_000 + 300_000 });
    // Refresh a minute before expiry: 300 s token, 60 s leeway.
    expect(stored.refreshAt).toBe(T0 + 250_000 + 240_000);
  });

  it('refreshes once across replicas: the one without the lock waits for the result', async () => {
    jest.setSystemTime(T0 + 250_000);
    const other = new SessionRefresher(store, keycloak);
    let release!: () => void;
    keycloak.answer = () => new Promise((resolve) => (release = () => resolve(keycloak.next())));
    const seen = (await store.get('k1')) as SessionRecord;
    const first = refresher.refreshIfDue('k1', seen);
    await jest.advanceTimersByTimeAsync(0);
    const second = other.refreshIfDue('k1', seen);
    await jest.advanceTimersByTimeAsync(150);
    release();
    await jest.advanceTimersByTimeAsync(200);
    expect((await first).accessToken).toBe('at-1');
    expect((await second).accessToken).toBe('at-1');
    expect(keycloak.calls).toHaveLength(1);
  });

  it('ends the session when Keycloak refuses the refresh token', async () => {
    jest.setSystemTime(T0 + 250_000);
    keycloak.answer = () => Promise.resolve(undefined);
    await expect(refresher.refreshIfDue('k1', record())).rejects.toBeInstanceOf(InvalidSessionError);
    expect(await store.get('k1')).toBeUndefined();
  });

  it('keeps the current token while Keycloak is unreachable, and answers 503 once it expired', async () => {
    keycloak.answer = () => Promise.reject(new Error('ECONNREFUSED'));
    jest.setSystemTime(T0 + 250_000);
    expect((await refresher.refreshIfDue('k1', record())).accessToken).toBe('at-0');
    jest.setSystemTime(T0 + 300_000);
    await expect(refresher.refreshIfDue('k1', record())).rejects.toBeInstanceOf(ServiceUnavailableException);
    expect(await store.get('k1')).toBeDefined();
  });

  it('does not bring back a session that was logged out while the refresh ran', async () => {
    jest.setSystemTime(T0 + 250_000);
    keycloak.answer = async () => {
      await store.deleteByKeycloakSession('kc-1');
      return keycloak.next();
    };
    await expect(refresher.refreshIfDue('k1', record())).rejects.toBeInstanceOf(InvalidSessionError);
    expect(await store.get('k1')).toBeUndefined();
  });

  it('ends a session whose refresh token has expired once the access token has too', async () => {
    await store.update('k1', record({ refreshTokenExpiresAt: T0 + 100_000 }));
    jest.setSystemTime(T0 + 300_000);
    await expect(refresher.refreshIfDue('k1', record({ refreshTokenExpiresAt: T0 + 100_000 }))).rejects.toBeInstanceOf(
      InvalidSessionError,
    );
    expect(keycloak.calls).toEqual([]);
    expect(await store.get('k1')).toBeUndefined();
  });

  it('refreshes on demand even when not due', async () => {
    const refreshed = await refresher.refresh('k1', record(), true);
    expect(refreshed.accessToken).toBe('at-1');
    expect(keycloak.calls).toEqual(['rt-0']);
  });
});
