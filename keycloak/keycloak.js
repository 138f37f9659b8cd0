#!/usr/bin/env node
'use strict';
// A pinned Keycloak for development and tests, without Docker.
//
//   node keycloak/keycloak.js fetch       download (Maven) and unpack the distribution
//   node keycloak/keycloak.js start [--port 8080] [--db dev-file|dev-mem] [--fresh] [--no-aot]
//   node keycloak/keycloak.js stop [--port 8080]
//   node keycloak/keycloak.js status [--port 8080]
//
// Plain CommonJS with node built-ins only: it runs before `npm install` and is
// required from the Jest global setup, scripts/up.js and the bench.

const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { parseArgs } = require('node:util');
const { KEYCLOAK_VERSION, DIST_DIR, IMPORT_DIR, instancePaths, relative } = require('./lib/paths');
const { ensureDistribution } = require('./lib/distribution');
const { findJava } = require('./lib/java');
const { prepareInstance, realmNames, copyRealmImports, readState, writeState, readPid, knownPorts } = require('./lib/instance');
const { sleep, isRunning, groupIsRunning, runningPid, acquireLock, releaseLock, waitForLockRelease } = require('./lib/processes');
const { waitForReady, probe, waitForInstance, logTail } = require('./lib/readiness');
const { aotWanted, aotPlan, discardUnfinishedCache } = require('./lib/aot');

// Keeps the management interface (health) of the dev (8080) and test (8180)
// instances apart; the default 9000 would collide.
const MANAGEMENT_PORT_OFFSET = 1000;
// A first start on a fresh machine re-augments Quarkus (~20-30 s) before booting.
const DEFAULT_TIMEOUT_MS = 180_000;
// Writing the AOT cache on shutdown takes ~16 s; a plain shutdown ~2 s.
const STOP_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_AOT_TRAINING_MS = 90_000;

const defaultLog = (message) => console.log(`[keycloak] ${message}`);

function managementPortFor(port) {
  return port + MANAGEMENT_PORT_OFFSET;
}

/**
 * Starts Keycloak on `port` (start-dev, realms imported from keycloak/import), or reuses
 * the instance already answering there. Resolves once every imported realm serves its
 * discovery document. Options: see keycloak.d.ts.
 */
async function startKeycloak(opts = {}) {
  const port = Number(opts.port ?? 8080);
  const db = opts.db ?? 'dev-file';
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const realmsDir = opts.realmsDir ?? IMPORT_DIR;
  const log = opts.log ?? defaultLog;
  if (!['dev-file', 'dev-mem'].includes(db)) throw new Error(`unsupported db '${db}': use dev-file or dev-mem`);

  const baseUrl = `http://localhost:${port}`;
  const managementPort = managementPortFor(port);
  const realms = realmNames(realmsDir);
  const paths = instancePaths(port);
  const facts = { url: baseUrl, port, managementPort, db, realms, home: paths.home, logFile: paths.logFile };

  const reuse = async (how) => {
    const found = await probe(baseUrl, realms);
    if (found.state === 'ready') {
      log(`reusing the Keycloak already answering on ${baseUrl} (${how})`);
      return { ...facts, pid: readPid(paths.pidFile), reused: true, bootMs: 0 };
    }
    if (found.state === 'partial') {
      throw new Error(
        `Keycloak on ${baseUrl} lacks realm(s) ${found.missing.join(', ')}; it was started from other realm files. ` +
          `Stop it (node keycloak/keycloak.js stop --port ${port}) and start again.`,
      );
    }
    if (found.state === 'other') throw new Error(`port ${port} is taken by something that is not this Keycloak`);
    return null;
  };

  const existing = await reuse('started earlier');
  if (existing) return existing;

  fs.mkdirSync(paths.home, { recursive: true });
  const lock = acquireLock(paths.lockFile);
  if (!lock) {
    log(`another start of Keycloak on port ${port} is under way; waiting for it`);
    await waitForLockRelease(paths.lockFile, timeoutMs);
  }
  let spawned = null;
  try {
    const booting = runningPid(paths);
    if (booting) {
      log(`Keycloak (pid ${booting}) is still booting on port ${port}; waiting for it`);
      await waitForInstance({ baseUrl, managementPort, realms, timeoutMs, isAlive: () => isRunning(booting) });
      log(`ready on ${baseUrl}, started by another process`);
      return { ...facts, pid: booting, reused: true, bootMs: 0 };
    }
    const afterLock = await reuse('started by a concurrent run');
    if (afterLock) return afterLock;

    ensureDistribution({ log });
    const java = findJava();
    prepareInstance(port);
    copyRealmImports(paths.importDir, realmsDir);
    if (opts.fresh) fs.rmSync(path.join(paths.home, 'data', 'h2'), { recursive: true, force: true });
    const aot = aotPlan(paths, java, db, aotWanted(opts.aot));

    const args = [
      'start-dev',
      '--import-realm',
      `--http-port=${port}`,
      `--http-management-port=${managementPort}`,
      '--health-enabled=true',
      `--db=${db}`,
    ];
    const env = {
      ...process.env,
      JAVA_HOME: java.home,
      KC_BOOTSTRAP_ADMIN_USERNAME: process.env.KC_BOOTSTRAP_ADMIN_USERNAME || 'admin',
      KC_BOOTSTRAP_ADMIN_PASSWORD: process.env.KC_BOOTSTRAP_ADMIN_PASSWORD || 'admin',
      JAVA_OPTS_APPEND: [process.env.JAVA_OPTS_APPEND, aot.flag].filter(Boolean).join(' '),
    };
    const logFd = fs.openSync(paths.logFile, 'w');
    const started = Date.now();
    // detached: its own process group, so the instance outlives this process (CLI,
    // Jest global setup) and stop can reach kc.sh and its java child together.
    const child = spawn(path.join(paths.home, 'bin', 'kc.sh'), args, {
      cwd: paths.home,
      env,
      detached: true,
      stdio: ['ignore', logFd, logFd],
    });
    fs.closeSync(logFd);
    child.unref();
    spawned = child.pid;
    fs.writeFileSync(paths.pidFile, String(child.pid));
    const state = { pid: child.pid, port, managementPort, db, aot: aot.mode, aotFile: aot.file, java: java.version, ready: false };
    writeState(paths.stateFile, state);
    log(
      `starting Keycloak ${KEYCLOAK_VERSION} on ${baseUrl} (${db}, Java ${java.version}` +
        `${aot.mode === 'off' ? '' : `, AOT cache: ${aot.mode}`}, pid ${child.pid}, log ${relative(paths.logFile)})`,
    );
    releaseLock(paths.lockFile, lock);

    await waitForInstance({ baseUrl, managementPort, realms, timeoutMs, isAlive: () => isRunning(child.pid) });
    const bootMs = Date.now() - started;
    writeState(paths.stateFile, { ...state, ready: true, bootMs });
    log(`ready in ${(bootMs / 1000).toFixed(1)} s (realms: ${realms.join(', ')})`);
    return { ...facts, pid: child.pid, reused: false, bootMs };
  } catch (error) {
    if (spawned) {
      await stopKeycloak({ port, log: () => {} }).catch(() => {});
      error.message += `\n--- last lines of ${relative(paths.logFile)} ---\n${logTail(paths.logFile)}`;
    }
    throw error;
  } finally {
    releaseLock(paths.lockFile, lock);
  }
}

/**
 * Stops the instance this script started on `port` (found by its pid file): SIGTERM,
 * then SIGKILL to its process group after a timeout. An instance started some other
 * way is left alone.
 */
async function stopKeycloak(opts = {}) {
  const port = Number(opts.port ?? 8080);
  const log = opts.log ?? defaultLog;
  const paths = instancePaths(port);
  const pid = readPid(paths.pidFile);
  const state = readState(paths.stateFile);
  if (!pid) {
    log(`no pid file for port ${port}: nothing started by this script to stop`);
    return { stopped: false, port };
  }
  if (runningPid(paths) !== pid) {
    log(`Keycloak on port ${port} (pid ${pid}) is not running; removing the stale pid file`);
    fs.rmSync(paths.pidFile, { force: true });
    return { stopped: false, port, pid };
  }
  const training = state.aot === 'train';
  const timeoutMs = opts.timeoutMs ?? (training ? STOP_TIMEOUT_AOT_TRAINING_MS : STOP_TIMEOUT_MS);
  if (training) log('writing the AOT cache for faster starts next time (once, ~15 s)');
  const started = Date.now();
  // kc.sh traps TERM and forwards it to java, then exits with it.
  process.kill(pid, 'SIGTERM');
  const alive = () => isRunning(pid) || groupIsRunning(pid);
  while (alive() && Date.now() - started < timeoutMs) await sleep(200);
  const killed = alive();
  if (killed) {
    log(`still running after ${timeoutMs} ms; sending SIGKILL`);
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // gone in the meantime
    }
  }
  fs.rmSync(paths.pidFile, { force: true });
  discardUnfinishedCache(state, fs.existsSync(paths.logFile) ? fs.readFileSync(paths.logFile, 'utf8') : '');
  writeState(paths.stateFile, { ...state, pid: null, aot: 'off' });
  log(`stopped Keycloak on port ${port} (pid ${pid}) in ${((Date.now() - started) / 1000).toFixed(1)} s${killed ? ' (killed)' : ''}`);
  return { stopped: true, port, pid };
}

async function statusOf(port, realms = realmNames()) {
  const paths = instancePaths(port);
  const found = await probe(`http://localhost:${port}`, realms);
  return {
    port,
    url: `http://localhost:${port}`,
    pid: runningPid(paths),
    ready: found.state === 'ready',
    state: found.state,
    missing: found.missing,
  };
}

async function main(argv) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      db: { type: 'string' },
      fresh: { type: 'boolean', default: false },
      timeout: { type: 'string' },
      'no-aot': { type: 'boolean', default: false },
    },
  });
  const port = values.port ? Number(values.port) : undefined;
  switch (positionals[0]) {
    case 'fetch':
      ensureDistribution({ log: defaultLog });
      defaultLog(`distribution ready at ${relative(DIST_DIR)}; Java: ${findJava().home}`);
      return 0;
    case 'start':
      await startKeycloak({
        port,
        db: values.db,
        fresh: values.fresh,
        timeoutMs: values.timeout ? Number(values.timeout) * 1000 : undefined,
        aot: values['no-aot'] ? false : undefined,
      });
      return 0;
    case 'stop':
      await stopKeycloak({ port });
      return 0;
    case 'status': {
      const ports = port ? [port] : [...new Set([8080, 8180, ...knownPorts()])].sort((a, b) => a - b);
      let anyReady = false;
      for (const p of ports) {
        const s = await statusOf(p);
        anyReady ||= s.ready;
        const detail = s.ready ? 'ready' : `${s.state}${s.missing ? ` (missing ${s.missing.join(', ')})` : ''}`;
        defaultLog(`${s.url}: ${detail}, ${s.pid ? `pid ${s.pid}` : 'no process started by this script'}`);
      }
      return anyReady ? 0 : 1;
    }
    default:
      console.error('usage: node keycloak/keycloak.js fetch|start|stop|status [--port N] [--db dev-file|dev-mem] [--fresh] [--no-aot]');
      return 2;
  }
}

module.exports = {
  KEYCLOAK_VERSION,
  DIST_DIR,
  ensureDistribution: (opts = {}) => ensureDistribution({ log: defaultLog, ...opts }),
  findJava,
  startKeycloak,
  stopKeycloak,
  waitForReady,
  statusOf,
  realmNames,
  managementPortFor,
};

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      console.error(`[keycloak] ${error.message}`);
      process.exit(1);
    },
  );
}
