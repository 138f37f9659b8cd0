// Types of processes.js for the TypeScript test helpers that share it (test/support/redis.ts).

export function sleep(ms: number): Promise<void>;
/** The pid in a pid file, or null if absent or garbage. */
export function readPid(pidFile: string): number | null;
/** Alive and not a zombie. */
export function isRunning(pid: number): boolean;
export function groupIsRunning(pgid: number): boolean;
/** True if the command line of `pid` contains `text` (guards against reused pids). */
export function commandLineMentions(pid: number, text: string): boolean;
export function runningPid(paths: { pidFile: string; home: string }): number | null;
/** Takes the lock file; resolves a token for releaseLock, or null while a live holder has it. */
export function acquireLock(lockFile: string): string | null;
/** Removes the lock only if `token` still owns it. */
export function releaseLock(lockFile: string, token: string | null): void;
export function waitForLockRelease(lockFile: string, timeoutMs: number): Promise<void>;
