// A real Redis for e2e specs, started on demand: `await ensureRedis()` from a spec.
// Safe across Jest workers: a lock file decides who starts it, Redis's own pid file
// says which process it is, and an owner file names the Jest run that started it so
// only that run's global teardown stops it. A Redis already running is reused, never stopped.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { acquireLock, commandLineMentions, isRunning, readPid, releaseLock, sleep } from '../../keycloak/lib/processes';
import { DEFAULTS, runId } from './env';

const REDIS_DIR = path.resolve(__dirname, '..', '..', '.cache', 'redis');
const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 10_000;

export interface RedisInstance {
  url: string;
  port: number;
  /** False when an already running Redis was reused. */
  startedByThisRun: boolean;
}

function files(port: number) {
  return {
    pid: path.join(REDIS_DIR, `redis-${port}.pid`),
    log: path.join(REDIS_DIR, `redis-${port}.log`),
    lock: path.join(REDIS_DIR, `redis-${port}.lock`),
    owner: path.join(REDIS_DIR, `redis-${port}.owner`),
  };
}

/** True when a Redis answers PING on 127.0.0.1:port. */
export function pingRedis(port: number = DEFAULTS.redisPort, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

function redisServerBinary(): string {
  const probe = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  const found = probe.status === 0 ? probe.stdout.trim() : '';
  if (found) return found;
  if (existsSync('/usr/bin/redis-server')) return '/usr/bin/redis-server';
  throw new Error('redis-server not found: install it (Debian/Ubuntu: apt-get install redis-server) for the Redis e2e specs');
}

/**
 * Resolves once a Redis answers on the test port (6390), starting one if none does.
 * The started server keeps nothing on disk and is stopped by the global teardown.
 */
export async function ensureRedis(port: number = DEFAULTS.redisPort): Promise<RedisInstance> {
  const url = `redis://127.0.0.1:${port}`;
  const paths = files(port);
  const owner = () => (existsSync(paths.owner) ? readFileSync(paths.owner, 'utf8') : undefined);
  const instance = (): RedisInstance => ({ url, port, startedByThisRun: owner() !== undefined && owner() === runId() });

  if (await pingRedis(port)) return instance();
  mkdirSync(REDIS_DIR, { recursive: true });
  const deadline = Date.now() + START_TIMEOUT_MS;
  let lock: string | null;
  while (!(lock = acquireLock(paths.lock))) {
    // Another worker is starting it.
    if (await pingRedis(port)) return instance();
    if (Date.now() > deadline) throw new Error(`timed out waiting for another process to start Redis on ${port}`);
    await sleep(100);
  }
  try {
    if (await pingRedis(port)) return instance();
    const result = spawnSync(
      redisServerBinary(),
      [
        '--port', String(port),
        '--bind', '127.0.0.1',
        // Test data is disposable; persisting it would only leave files behind.
        '--save', '',
        '--appendonly', 'no',
        '--daemonize', 'yes',
        '--pidfile', paths.pid,
        '--logfile', paths.log,
        '--dir', REDIS_DIR,
      ],
      { encoding: 'utf8' },
    );
    if (result.status !== 0) throw new Error(`redis-server exited with ${result.status}: ${result.stderr.trim()}`);
    await waitFor(() => pingRedis(port), START_TIMEOUT_MS, `Redis on port ${port} (log: ${paths.log})`);
    // Without a run id (a spec run outside Jest's global setup) nobody would stop it; leave it running.
    const id = runId();
    if (id) writeFileSync(paths.owner, id);
    else rmSync(paths.owner, { force: true });
    return instance();
  } finally {
    releaseLock(paths.lock, lock);
  }
}

/** Stops the Redis on `port` if the Jest run `ownerRunId` started it; resolves true if it did. */
export async function stopRedisStartedBy(ownerRunId: string, port: number = DEFAULTS.redisPort): Promise<boolean> {
  const paths = files(port);
  if (!existsSync(paths.owner) || readFileSync(paths.owner, 'utf8') !== ownerRunId) return false;
  const pid = readPid(paths.pid);
  // A stale pid file may name a pid the system has since given to another process.
  if (pid !== null && isRunning(pid) && commandLineMentions(pid, 'redis-server')) {
    process.kill(pid, 'SIGTERM');
    const deadline = Date.now() + STOP_TIMEOUT_MS;
    while (isRunning(pid) && Date.now() < deadline) await sleep(100);
    if (isRunning(pid)) process.kill(pid, 'SIGKILL');
  }
  rmSync(paths.owner, { force: true });
  rmSync(paths.pid, { force: true });
  return true;
}
