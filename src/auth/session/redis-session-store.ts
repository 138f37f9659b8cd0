import type Redis from 'ioredis';
import { BROWSER_DEFAULTS } from './browser-defaults';
import { randomToken } from './secrets';
import type { PendingLogin, SessionRecord } from './session-record';
import type { SessionStore } from './session-store';

// Removing a session must also remove it from its `sub` and `sid` indexes, in
// one step, so a back-channel logout racing a logout never leaves a dangling
// index entry that later matches nothing (or a reused key). Lua runs atomically.
// Keys outside KEYS are touched, so this store targets a single Redis (or a
// primary with replicas), not Redis Cluster.
const DROP = `
local function drop(prefix, id)
  local raw = redis.call('GET', prefix .. 'sess:' .. id)
  if not raw then return 0 end
  redis.call('DEL', prefix .. 'sess:' .. id)
  local record = cjson.decode(raw)
  redis.call('SREM', prefix .. 'sub:' .. record.subject, id)
  if type(record.keycloakSessionId) == 'string' then
    redis.call('SREM', prefix .. 'sid:' .. record.keycloakSessionId, id)
  end
  return 1
end
`;

const DROP_ONE = `${DROP}
return drop(ARGV[1], ARGV[2])`;

const DROP_INDEXED = `${DROP}
local ended = 0
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do ended = ended + drop(ARGV[1], id) end
redis.call('DEL', KEYS[1])
return ended`;

// Index sets live as long as their longest-lived member, never shorter.
const CREATE = `
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
for i = 2, #KEYS do
  redis.call('SADD', KEYS[i], ARGV[3])
  if redis.call('PTTL', KEYS[i]) < tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[i], ARGV[2]) end
end
return 1`;

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * Sessions shared by every replica through Redis: a logout (RP-initiated or
 * back-channel) seen by one replica ends the session for all of them.
 */
export class RedisSessionStore implements SessionStore {
  private readonly prefix: string;
  private readonly now: () => number;

  constructor(
    private readonly redis: Redis,
    options: { prefix?: string; now?: () => number } = {},
  ) {
    this.prefix = options.prefix ?? BROWSER_DEFAULTS.redisPrefix;
    this.now = options.now ?? Date.now;
  }

  async get(key: string): Promise<SessionRecord | undefined> {
    const raw = await this.redis.get(this.sessionKey(key));
    return raw === null ? undefined : (JSON.parse(raw) as SessionRecord);
  }

  async create(key: string, record: SessionRecord): Promise<void> {
    const ttlMs = this.ttlMs(record);
    if (ttlMs <= 0) return;
    const indexes = [this.indexKey('sub', record.subject)];
    if (record.keycloakSessionId) indexes.push(this.indexKey('sid', record.keycloakSessionId));
    await this.redis.eval(CREATE, 1 + indexes.length, this.sessionKey(key), ...indexes, JSON.stringify(record), ttlMs, key);
  }

  async update(key: string, record: SessionRecord): Promise<boolean> {
    const ttlMs = this.ttlMs(record);
    if (ttlMs <= 0) return this.delete(key).then(() => false);
    // XX: only an existing session is replaced; one ended meanwhile stays ended.
    return (await this.redis.set(this.sessionKey(key), JSON.stringify(record), 'PX', ttlMs, 'XX')) === 'OK';
  }

  async delete(key: string): Promise<boolean> {
    return (await this.redis.eval(DROP_ONE, 0, this.prefix, key)) === 1;
  }

  async deleteByKeycloakSession(sid: string): Promise<number> {
    return Number(await this.redis.eval(DROP_INDEXED, 1, this.indexKey('sid', sid), this.prefix));
  }

  async deleteBySubject(subject: string): Promise<number> {
    return Number(await this.redis.eval(DROP_INDEXED, 1, this.indexKey('sub', subject), this.prefix));
  }

  async savePendingLogin(key: string, pending: PendingLogin, ttlSec: number): Promise<void> {
    await this.redis.set(this.prefix + 'login:' + key, JSON.stringify(pending), 'EX', ttlSec);
  }

  async takePendingLogin(key: string): Promise<PendingLogin | undefined> {
    // GETDEL: two replicas receiving the same callback cannot both use the state.
    const raw = await this.redis.getdel(this.prefix + 'login:' + key);
    return raw === null ? undefined : (JSON.parse(raw) as PendingLogin);
  }

  async acquireLock(name: string, ttlMs: number): Promise<string | undefined> {
    const holder = randomToken(16);
    const ok = await this.redis.set(this.prefix + 'lock:' + name, holder, 'PX', ttlMs, 'NX');
    return ok === 'OK' ? holder : undefined;
  }

  async releaseLock(name: string, holder: string): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.prefix + 'lock:' + name, holder);
  }

  private ttlMs(record: SessionRecord): number {
    return Math.ceil(record.expiresAt - this.now());
  }

  private sessionKey(key: string): string {
    return `${this.prefix}sess:${key}`;
  }

  private indexKey(kind: 'sub' | 'sid', value: string): string {
    return `${this.prefix}${kind}:${value}`;
  }
}
