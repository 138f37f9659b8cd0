'use strict';
// Each app under test runs in its own `node` process (spawned directly, so the
// child's pid is the server's and /proc/<pid>/status is its memory), listening
// on a free loopback port, with its output in bench/results/logs/.

const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { spawn } = require('node:child_process');

const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Resident and peak resident memory of a process, in MiB, from /proc. */
function memoryOf(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (field) => Number((new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status) || [])[1]);
    return { rssMiB: kib('VmRSS') / 1024, peakRssMiB: kib('VmHWM') / 1024 };
  } catch {
    return { rssMiB: NaN, peakRssMiB: NaN };
  }
}

// utime and stime are fields 14 and 15 of /proc/<pid>/stat, in clock ticks
// (USER_HZ, 100 on Linux); counted from after the command name, which may hold spaces.
const TICKS_PER_SECOND = 100;

/** CPU time (user + system) the process has used so far, in milliseconds. */
function cpuTimeOf(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return NaN;
  }
}

async function waitForHttp(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`exited with code ${child.exitCode} before ${url} answered`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Starts `node <script>` with `env` (plus PORT/HOST) and waits for `readyPath`.
 * Resolves to { name, pid, url, memory(), cpuTimeMs(), stop() }.
 */
async function startServer({ name, script, cwd, env, readyPath, settings }) {
  const port = await freePort();
  const logDir = path.join(settings.resultsDir, 'logs');
  fs.mkdirSync(logDir, { recursive: true });
  const logFile = path.join(logDir, `${name}.log`);
  const logFd = fs.openSync(logFile, 'w');
  const nodeArgs = [];
  if (settings.cpuProfile) {
    const profileDir = path.join(settings.resultsDir, 'profiles');
    nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${name}.cpuprofile`);
  }
  const child = spawn(process.execPath, [...nodeArgs, script], {
    cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', logFd, logFd],
  });
  fs.closeSync(logFd);
  const url = `http://127.0.0.1:${port}`;
  const startedAt = Date.now();
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    await waitForHttp(`${url}${readyPath}`, child, READY_TIMEOUT_MS);
  } catch (error) {
    child.kill('SIGKILL');
    const tail = fs.readFileSync(logFile, 'utf8').trim().split('\n').slice(-15).join('\n');
    throw new Error(`${name}: ${error.message}\n${tail}`);
  }
  return {
    name,
    pid: child.pid,
    url,
    startedAt,
    memory: () => memoryOf(child.pid),
    cpuTimeMs: () => cpuTimeOf(child.pid),
    stop: async () => {
      if (child.exitCode !== null) return;
      // SIGINT: --cpu-prof writes its profile on a normal exit, which Nest's
      // shutdown hooks give on SIGINT/SIGTERM; SIGKILL only if it hangs.
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}

module.exports = { startServer, memoryOf, cpuTimeOf, freePort };
