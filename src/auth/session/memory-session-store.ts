import { BROWSER_DEFAULTS } from './browser-defaults';
import { randomToken } from './secrets';
import type { PendingLogin, SessionRecord } from './session-record';
import type { SessionStore } from './session-store';

export interface MemorySessionStoreOptions {
  maxSessions?: number;
  maxPendingLogins?: number;
  now?: () => number;
}

interface Expiring<T> {
  value: T;
  expiresAt: number;
}

/**
 * Sessions of a single process. Bounded: when full, expired entries go first,
 * then the oldest, so a flood of logins costs memory up to a ceiling only.
 * Every read checks expiry, so nothing outlives its TTL even between sweeps.
 */
export class MemorySessionStore implements SessionStore {
  private readonly sessions = new Map<string, Expiring<SessionRecord>>();
  private readonly pending = new Map<string, Expiring<PendingLogin>>();
  private readonly locks = new Map<string, Expiring<string>>();
  private readonly bySid = new Map<string, Set<string>>();
  private readonly bySubject = new Map<string, Set<string>>();
  private readonly maxSessions: number;
  private readonly maxPendingLogins: number;
  private readonly now: () => number;

  constructor(options: MemorySessionStoreOptions = {}) {
    this.maxSessions = options.maxSessions ?? BROWSER_DEFAULTS.memoryMaxSessions;
    this.maxPendingLogins = options.maxPendingLogins ?? BROWSER_DEFAULTS.memoryMaxPendingLogins;
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.sessions.size;
  }

  get(key: string): Promise<SessionRecord | undefined> {
    return Promise.resolve(this.live(this.sessions, key, (k) => this.drop(k)));
  }

  create(key: string, record: SessionRecord): Promise<void> {
    this.drop(key);
    makeRoom(this.sessions, this.maxSessions, this.now(), (k) => this.drop(k));
    this.sessions.set(key, { value: record, expiresAt: record.expiresAt });
    index(this.bySubject, record.subject, key);
    if (record.keycloakSessionId) index(this.bySid, record.keycloakSessionId, key);
    return Promise.resolve();
  }

  update(key: string, record: SessionRecord): Promise<boolean> {
    if (this.live(this.sessions, key, (k) => this.drop(k)) === undefined) return Promise.resolve(false);
    this.sessions.set(key, { value: record, expiresAt: record.expiresAt });
    return Promise.resolve(true);
  }

  delete(key: string): Promise<boolean> {
    const existed = this.live(this.sessions, key, (k) => this.drop(k)) !== undefined;
    this.drop(key);
    return Promise.resolve(existed);
  }

  deleteByKeycloakSession(sid: string): Promise<number> {
    return Promise.resolve(this.dropAll(this.bySid.get(sid)));
  }

  deleteBySubject(subject: string): Promise<number> {
    return Promise.resolve(this.dropAll(this.bySubject.get(subject)));
  }

  savePendingLogin(key: string, pending: PendingLogin, ttlSec: number): Promise<void> {
    const now = this.now();
    makeRoom(this.pending, this.maxPendingLogins, now, (k) => this.pending.delete(k));
    this.pending.set(key, { value: pending, expiresAt: now + ttlSec * 1000 });
    return Promise.resolve();
  }

  takePendingLogin(key: string): Promise<PendingLogin | undefined> {
    const pending = this.live(this.pending, key, (k) => this.pending.delete(k));
    this.pending.delete(key);
    return Promise.resolve(pending);
  }

  acquireLock(name: string, ttlMs: number): Promise<string | undefined> {
    if (this.live(this.locks, name, (k) => this.locks.delete(k)) !== undefined) return Promise.resolve(undefined);
    const holder = randomToken(16);
    this.locks.set(name, { value: holder, expiresAt: this.now() + ttlMs });
    return Promise.resolve(holder);
  }

  releaseLock(name: string, holder: string): Promise<void> {
    if (this.locks.get(name)?.value === holder) this.locks.delete(name);
    return Promise.resolve();
  }

  private live<T>(map: Map<string, Expiring<T>>, key: string, expire: (key: string) => void): T | undefined {
    const entry = map.get(key);
    if (entry === undefined) return undefined;
    if (this.now() >= entry.expiresAt) {
      expire(key);
      return undefined;
    }
    return entry.value;
  }

  private dropAll(keys: Set<string> | undefined): number {
    let ended = 0;
    for (const key of [...(keys ?? [])]) {
      if (this.live(this.sessions, key, (k) => this.drop(k)) !== undefined) ended++;
      this.drop(key);
    }
    return ended;
  }

  private drop(key: string): void {
    const record = this.sessions.get(key)?.value;
    if (!record) return;
    this.sessions.delete(key);
    unindex(this.bySubject, record.subject, key);
    if (record.keycloakSessionId) unindex(this.bySid, record.keycloakSessionId, key);
  }
}

function makeRoom<T>(map: Map<string, Expiring<T>>, max: number, now: number, evict: (key: string) => void): void {
  // Map iteration is insertion order: the oldest entries come first.
  for (const [key, entry] of map) {
    if (map.size < max && entry.expiresAt > now) return;
    evict(key);
  }
}

function index(map: Map<string, Set<string>>, name: string, key: string): void {
  let keys = map.get(name);
  if (!keys) map.set(name, (keys = new Set()));
  keys.add(key);
}

function unindex(map: Map<string, Set<string>>, name: string, key: string): void {
  const keys = map.get(name);
  if (!keys) return;
  keys.delete(key);
  if (keys.size === 0) map.delete(name);
}
