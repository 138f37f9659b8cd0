import type { PendingLogin, SessionRecord } from './session-record';

/**
 * Where sessions and pending logins live. Keys are hashes of what the browser
 * holds, never the cookie values themselves. Memory for one process, Redis
 * when several replicas must share sessions and logouts.
 */
export interface SessionStore {
  get(key: string): Promise<SessionRecord | undefined>;
  /** Stores a new session until `record.expiresAt`, indexed by subject and Keycloak `sid`. */
  create(key: string, record: SessionRecord): Promise<void>;
  /**
   * Replaces an existing session; false (and nothing stored) when it is gone,
   * so a refresh finishing after a logout cannot bring the session back.
   */
  update(key: string, record: SessionRecord): Promise<boolean>;
  delete(key: string): Promise<boolean>;
  /** Ends every session of one Keycloak session (back-channel logout by `sid`); returns how many. */
  deleteByKeycloakSession(sid: string): Promise<number>;
  /** Ends every session of a user (back-channel logout by `sub` only). */
  deleteBySubject(subject: string): Promise<number>;

  savePendingLogin(key: string, pending: PendingLogin, ttlSec: number): Promise<void>;
  /** Returns and removes in one step: a state is good for one callback only. */
  takePendingLogin(key: string): Promise<PendingLogin | undefined>;

  /** A short exclusive lease (e.g. to refresh a session once across replicas); a holder token, or undefined. */
  acquireLock(name: string, ttlMs: number): Promise<string | undefined>;
  /** Releases the lease only if `holder` still owns it. */
  releaseLock(name: string, holder: string): Promise<void>;
}

/** Injection token of the `SessionStore`. */
export const SESSION_STORE = Symbol('SESSION_STORE');
