import { Inject, Injectable, Logger, ServiceUnavailableException } from '@nestjs/common';
import { BROWSER_DEFAULTS } from './browser-defaults';
import { withTokens, type SessionRecord } from './session-record';
import { InvalidSessionError } from './session-errors';
import { SESSION_STORE, type SessionStore } from './session-store';
import { TOKEN_REFRESHER, type TokenRefresher } from './token-refresher';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Refreshes a session's tokens before they expire, once per session however
 * many requests arrive together: concurrent callers in this process share one
 * promise, and a short store lock keeps other replicas from refreshing the
 * same session at the same moment (they wait and read the result instead).
 * Keycloak may rotate refresh tokens, so two parallel refreshes could burn
 * each other's token.
 */
@Injectable()
export class SessionRefresher {
  private readonly logger = new Logger('SessionRefresher');
  private readonly inFlight = new Map<string, Promise<SessionRecord>>();

  constructor(
    @Inject(SESSION_STORE) private readonly store: SessionStore,
    @Inject(TOKEN_REFRESHER) private readonly tokens: TokenRefresher,
  ) {}

  /** The record, refreshed first when its access token is about to expire. */
  refreshIfDue(key: string, record: SessionRecord): Promise<SessionRecord> {
    return Date.now() < record.refreshAt ? Promise.resolve(record) : this.refresh(key, record, false);
  }

  /** Refreshes now (`force`), or only if still due once the lock is held. */
  refresh(key: string, record: SessionRecord, force: boolean): Promise<SessionRecord> {
    let running = this.inFlight.get(key);
    if (!running) {
      running = this.refreshOnce(key, record, force).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, running);
    }
    return running;
  }

  private async refreshOnce(key: string, seen: SessionRecord, force: boolean): Promise<SessionRecord> {
    const holder = await this.store.acquireLock(`refresh:${key}`, BROWSER_DEFAULTS.refreshLockMs);
    if (holder === undefined) return this.awaitOtherReplica(key, seen);
    try {
      // Another replica may have refreshed between our read and the lock.
      const current = await this.store.get(key);
      if (!current) throw new InvalidSessionError('inactive');
      if (!force && current.accessToken !== seen.accessToken && Date.now() < current.refreshAt) return current;
      return await this.exchange(key, current);
    } finally {
      await this.store.releaseLock(`refresh:${key}`, holder).catch(() => undefined);
    }
  }

  private async exchange(key: string, current: SessionRecord): Promise<SessionRecord> {
    const now = Date.now();
    if (!current.refreshToken || (current.refreshTokenExpiresAt !== undefined && now >= current.refreshTokenExpiresAt)) {
      return this.keepOrEnd(key, current);
    }
    let tokens;
    try {
      tokens = await this.tokens.refresh(current.refreshToken);
    } catch {
      // Keycloak unreachable: the current token still works until it expires.
      if (now < current.accessTokenExpiresAt) return current;
      throw new ServiceUnavailableException({
        statusCode: 503,
        error: 'temporarily_unavailable',
        error_description: 'The session cannot be renewed right now',
      });
    }
    if (!tokens) {
      this.logger.log(`refresh refused by Keycloak; session of ${current.subject} ended`);
      await this.store.delete(key);
      throw new InvalidSessionError('expired');
    }
    const updated = withTokens(current, tokens, Date.now());
    if (!(await this.store.update(key, updated))) throw new InvalidSessionError('inactive');
    return updated;
  }

  // Without a usable refresh token the session lives as long as its access token.
  private async keepOrEnd(key: string, current: SessionRecord): Promise<SessionRecord> {
    if (Date.now() < current.accessTokenExpiresAt) return current;
    await this.store.delete(key);
    throw new InvalidSessionError('expired');
  }

  private async awaitOtherReplica(key: string, seen: SessionRecord): Promise<SessionRecord> {
    const deadline = Date.now() + BROWSER_DEFAULTS.refreshWaitMs;
    while (Date.now() < deadline) {
      await sleep(BROWSER_DEFAULTS.refreshPollMs);
      const current = await this.store.get(key);
      if (!current) throw new InvalidSessionError('inactive');
      if (current.accessToken !== seen.accessToken) return current;
    }
    // The other replica is slow or died holding the lock; the old token may still do.
    return this.keepOrEnd(key, seen);
  }
}
