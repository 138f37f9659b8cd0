import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type Redis from 'ioredis';
import { InMemoryReplayStore, type ReplayStore } from '../token';
import { BROWSER_SETTINGS, type BrowserSettings } from './browser-settings';
import { MemorySessionStore } from './memory-session-store';
import { RedisReplayStore } from './redis-replay-store';
import { RedisSessionStore } from './redis-session-store';
import type { SessionStore } from './session-store';

/** Bounds how long a request waits on an unreachable Redis before it fails. */
const REDIS_COMMAND_TIMEOUT_MS = 2_000;

/**
 * Chooses where sessions and logout `jti`s live: this process, or Redis when
 * `browser.redisUrl` is set so that every replica sees the same sessions, the
 * same logouts and the same replayed logout tokens. Owns the Redis connection.
 */
@Injectable()
export class SessionBackend implements OnApplicationShutdown {
  readonly sessions: SessionStore;
  readonly logoutReplays: ReplayStore;
  private readonly redis?: Redis;
  private readonly logger = new Logger('SessionBackend');

  constructor(@Inject(BROWSER_SETTINGS) settings: BrowserSettings) {
    if (!settings.redisUrl) {
      this.sessions = new MemorySessionStore();
      this.logoutReplays = new InMemoryReplayStore();
      return;
    }
    this.redis = new (loadRedis())(settings.redisUrl, {
      maxRetriesPerRequest: 1,
      commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
      lazyConnect: false,
    });
    // ioredis reconnects by itself; without a listener an outage would crash
    // the process. One line per outage, not one per reconnect attempt.
    let down = false;
    this.redis.on('ready', () => (down = false));
    this.redis.on('error', (error: NodeJS.ErrnoException) => {
      if (down) return;
      down = true;
      this.logger.warn(`Redis unavailable (${error.code ?? 'error'}); sessions fail until it is back`);
    });
    this.sessions = new RedisSessionStore(this.redis);
    this.logoutReplays = new RedisReplayStore(this.redis);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis?.quit().catch(() => this.redis?.disconnect());
  }
}

/**
 * ioredis is loaded only when Redis is configured, so services that keep
 * sessions in memory (or use no browser flows) need not install it: it is an
 * optional peer of the package.
 */
function loadRedis(): typeof Redis {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('ioredis') as { default: typeof Redis }).default;
}
