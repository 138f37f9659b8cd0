import type Redis from 'ioredis';
import type { ReplayStore } from '../token';
import { BROWSER_DEFAULTS } from './browser-defaults';

/**
 * Logout-token `jti`s shared by every replica: Keycloak delivers a logout
 * token to one replica, and a replay of it to another must still be refused.
 */
export class RedisReplayStore implements ReplayStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string = BROWSER_DEFAULTS.redisPrefix,
  ) {}

  async markIfNew(id: string, ttlSec: number): Promise<boolean> {
    return (await this.redis.set(`${this.prefix}jti:${id}`, '1', 'EX', Math.max(1, Math.ceil(ttlSec)), 'NX')) === 'OK';
  }
}
