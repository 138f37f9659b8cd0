#!/usr/bin/env node
'use strict';
// A pinned Keycloak for development and tests, without Docker.
//
//   node keycloak/keycloak.js fetch                      download + unpack the distribution
//   node keycloak/keycloak.js start [--port 8080] [--db dev-file|dev-mem] [--fresh]
//   node keycloak/keycloak.js stop [--port 8080]
//   node keycloak/keycloak.js status [--port 8080]
//
// Plain CommonJS with node built-ins only: it runs before `npm install` has been
// trusted on a machine and is required from the Jest global setup.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');
const { parseArgs } = require('node:util');

const KEYCLOAK_VERSION = '26.7.3';
const MAVEN_ARTIFACT = `org.keycloak:keycloak-quarkus-dist:${KEYCLOAK_VERSION}:tar.gz`;
// Keycloak 26.x refuses to run on anything older.
const MIN_JAVA = 21;
// JDK 25 added one-step AOT cache creation (JEP 514); it cuts start-dev by about a third.
const MIN_JAVA_AOT = 25;
// Keeps the management interface (health) of the dev (8080) and test (8180)
// instances apart; the default 9000 would collide.
const MANAGEMENT_PORT_OFFSET = 1000;
// First start of an instance re-augments Quarkus (~20 s) before booting (~15 s) on 2 cores.
const DEFAULT_TIMEOUT_MS = 180_000;
// Writing the AOT cache on shutdown takes ~16 s; a plain shutdown takes ~2 s.
const STOP_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_AOT_TRAINING_MS = 90_000;

const ROOT = path.resolve(__dirname, '..');
const CACHE_DIR = path.join(ROOT, '.cache', 'keycloak');
const DIST_DIR = path.join(CACHE_DIR, `keycloak-${KEYCLOAK_VERSION}`);
const INSTANCES_DIR = path.join(CACHE_DIR, 'instances');
const IMPORT_DIR = path.join(__dirname, 'import');
const JVM_ROOTS = ['/usr/lib/jvm', '/usr/java', '/Library/Java/JavaVirtualMachines'];

const defaultLog = (message) => console.log(`[keycloak] ${message}`);

// ---------------------------------------------------------------- distribution

/** Downloads (through Maven, so ~/.m2 caches it) and unpacks the pinned distribution once. */
function ensureDistribution({ log = defaultLog } = {}) {
  if (fs.existsSync(path.join(DIST_DIR, 'bin', 'kc.sh'))) return DIST_DIR;
  requireCommand('mvn', 'Maven (mvn) is needed to download Keycloak: install it (e.g. apt-get install maven)');
  requireCommand('tar', 'tar is needed to unpack Keycloak');
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  const work = fs.mkdtempSync(path.join(CACHE_DIR, '.fetch-'));
  try {
    log(`downloading ${MAVEN_ARTIFACT} with Maven`);
    // cwd is an empty folder so that no pom.xml around us changes what Maven resolves.
    run('mvn', ['-q', '-B', 'dependency:copy', `-Dartifact=${MAVEN_ARTIFACT}`, `-DoutputDirectory=${work}`], { cwd: work });
    const tarball = path.join(work, `keycloak-quarkus-dist-${KEYCLOAK_VERSION}.tar.gz`);
    if (!fs.existsSync(tarball)) throw new Error(`Maven finished but ${tarball} is missing`);
    run('tar', ['-xzf', tarball, '-C', work]);
    // Rename last so an interrupted fetch never leaves a half-unpacked distribution behind.
    fs.renameSync(path.join(work, `keycloak-${KEYCLOAK_VERSION}`), DIST_DIR);
    log(`unpacked into ${relative(DIST_DIR)}`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  return DIST_DIR;
}

function requireCommand(command, hint) {
  const probe = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  if (probe.status !== 0) throw new Error(hint);
}

// Output is shown only on failure: Maven prints colour codes even with -q -B.
function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(`${command} ${args[0]} failed with exit code ${result.status}\n${result.stdout}${result.stderr}`);
  }
}

// ---------------------------------------------------------------------- java

/** Finds a JDK new enough for Keycloak: $JAVA_HOME if it qualifies, else the newest one installed. */
function findJava() {
  const seen = [];
  const fromEnv = process.env.JAVA_HOME ? describeJava(process.env.JAVA_HOME) : null;
  if (fromEnv) {
    if (fromEnv.major >= MIN_JAVA) return fromEnv;
    seen.push(fromEnv);
  }
  const candidates = new Map();
  for (const home of candidateJavaHomes()) {
    const java = describeJava(home);
    if (java && !candidates.has(java.realHome)) candidates.set(java.realHome, java);
  }
  const usable = [...candidates.values()].filter((j) => j.major >= MIN_JAVA).sort((a, b) => b.major - a.major);
  if (usable.length > 0) return usable[0];
  seen.push(...candidates.values());
  const found = seen.map((j) => `${j.home} (${j.major})`).join(', ') || 'none';
  throw new Error(
    `Keycloak ${KEYCLOAK_VERSION} needs Java ${MIN_JAVA}+; found ${found}. ` +
      `Install a JDK ${MIN_JAVA} or newer (e.g. apt-get install openjdk-21-jdk-headless, or Temurin 21/25) or point JAVA_HOME at one.`,
  );
}

function candidateJavaHomes() {
  const homes = [];
  for (const root of JVM_ROOTS) {
    let entries = [];
    try {
      entries = fs.readdirSync(root);
    } catch {
      continue;
    }
    for (const entry of entries) {
      const home = path.join(root, entry);
      // macOS bundles keep the JDK one level down.
      homes.push(fs.existsSync(path.join(home, 'Contents', 'Home')) ? path.join(home, 'Contents', 'Home') : home);
    }
  }
  const onPath = spawnSync('sh', ['-c', 'command -v java'], { encoding: 'utf8' });
  if (onPath.status === 0 && onPath.stdout.trim()) {
    try {
      homes.push(path.dirname(path.dirname(fs.realpathSync(onPath.stdout.trim()))));
    } catch {
      // a dangling alternatives link is not a JDK
    }
  }
  return homes;
}

function describeJava(home) {
  const binary = path.join(home, 'bin', 'java');
  if (!fs.existsSync(binary)) return null;
  let version = null;
  try {
    // The release file answers without starting a JVM (~0.1 s each).
    const release = fs.readFileSync(path.join(home, 'release'), 'utf8');
    version = (/^JAVA_RUNTIME_VERSION="([^"]+)"/m.exec(release) || /^JAVA_VERSION="([^"]+)"/m.exec(release) || [])[1];
  } catch {
    // no release file: ask the binary
  }
  if (!version) {
    const probe = spawnSync(binary, ['-version'], { encoding: 'utf8' });
    version = (/version "([^"]+)"/.exec(`${probe.stderr}${probe.stdout}`) || [])[1];
  }
  if (!version) return null;
  const parts = version.split(/[.+\-_]/).map(Number);
  const major = parts[0] === 1 ? parts[1] : parts[0];
  return { home, realHome: fs.realpathSync(home), version, major };
}

// ------------------------------------------------------------------ instances

function managementPortFor(port) {
  return port + MANAGEMENT_PORT_OFFSET;
}

function instancePaths(port) {
  const home = path.join(INSTANCES_DIR, String(port));
  return {
    home,
    pidFile: path.join(home, 'keycloak.pid'),
    stateFile: path.join(home, 'keycloak-state.json'),
    lockFile: path.join(home, 'start.lock'),
    logFile: path.join(home, 'keycloak.log'),
    importDir: path.join(home, 'data', 'import'),
  };
}

// Each port gets its own Keycloak home. Sharing one distribution does not work:
// start-dev re-augments into lib/quarkus whenever a build option (the database)
// differs, rewriting jars under the feet of the other running instance, and
// data/ (H2 files, import folder, tmp) would be shared too. The 168 MB of
// third-party jars in lib/lib are hard-linked, not copied. Not symlinked: Quarkus
// resolves the real path of lib/lib and re-augments into the directory it finds
// there, which then was the shared distribution.
const INSTANCE_LAYOUT = 'layout: lib/lib hard-linked';

function prepareInstance(port) {
  const paths = instancePaths(port);
  const marker = path.join(paths.home, 'version.txt');
  const wanted = `${fs.readFileSync(path.join(DIST_DIR, 'version.txt'), 'utf8').trim()}\n${INSTANCE_LAYOUT}\n`;
  if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === wanted) return paths;

  fs.mkdirSync(paths.home, { recursive: true });
  for (const entry of fs.readdirSync(paths.home)) {
    // data/ survives a distribution change so a dev-file database is migrated, not lost.
    if (entry !== 'data') fs.rmSync(path.join(paths.home, entry), { recursive: true, force: true });
  }
  for (const entry of fs.readdirSync(DIST_DIR)) {
    if (entry === 'version.txt') continue;
    const source = path.join(DIST_DIR, entry);
    if (entry !== 'lib') {
      fs.cpSync(source, path.join(paths.home, entry), { recursive: true, preserveTimestamps: true });
      continue;
    }
    for (const libEntry of fs.readdirSync(source)) {
      const from = path.join(source, libEntry);
      const to = path.join(paths.home, 'lib', libEntry);
      if (libEntry === 'lib') linkTree(from, to);
      else fs.cpSync(from, to, { recursive: true, preserveTimestamps: true });
    }
  }
  // Written last: its presence means the copy is complete.
  fs.writeFileSync(marker, wanted);
  return paths;
}

function linkTree(from, to) {
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) {
      linkTree(source, target);
      continue;
    }
    try {
      fs.linkSync(source, target);
    } catch (error) {
      // Another filesystem, or one without hard links: pay the copy.
      if (!['EXDEV', 'EPERM', 'ENOTSUP'].includes(error.code)) throw error;
      fs.copyFileSync(source, target);
    }
  }
}

function copyRealmImports(importDir, realmsDir) {
  fs.mkdirSync(importDir, { recursive: true });
  // A realm file removed from keycloak/import must not keep being imported.
  for (const stale of fs.readdirSync(importDir)) fs.rmSync(path.join(importDir, stale), { force: true });
  for (const file of realmFiles(realmsDir)) fs.copyFileSync(file, path.join(importDir, path.basename(file)));
}

function realmFiles(realmsDir) {
  return fs
    .readdirSync(realmsDir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => path.join(realmsDir, f));
}

/** Realm names declared by the export files, in file order. */
function realmNames(realmsDir = IMPORT_DIR) {
  return realmFiles(realmsDir).map((file) => JSON.parse(fs.readFileSync(file, 'utf8')).realm);
}

function readState(stateFile) {
  try {
    return JSON.parse(fs.readFileSync(stateFile, 'utf8'));
  } catch {
    return {};
  }
}

function readPid(pidFile) {
  try {
    const pid = Number.parseInt(fs.readFileSync(pidFile, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

// ------------------------------------------------------------------ processes

function procStat(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may contain spaces and parentheses; fields resume after the last ')'.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state, pgrp: Number(pgrp) };
  } catch {
    return null;
  }
}

// kill(pid, 0) succeeds on zombies, and PID 1 in some containers never reaps them.
function isRunning(pid) {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return error.code === 'EPERM';
  }
  const stat = process.platform === 'linux' ? procStat(pid) : null;
  return !stat || stat.state !== 'Z';
}

function groupIsRunning(pgid) {
  if (process.platform !== 'linux') return isRunning(pgid);
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = procStat(Number(entry));
    if (stat && stat.pgrp === pgid && stat.state !== 'Z') return true;
  }
  return false;
}

// Guards against a stale pid file whose pid now belongs to an unrelated process.
function isKeycloakOf(pid, home) {
  let commandLine = '';
  try {
    commandLine = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    const probe = spawnSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8' });
    commandLine = probe.stdout || '';
  }
  return commandLine.includes(home);
}

function runningPid(paths) {
  const pid = readPid(paths.pidFile);
  return pid && isRunning(pid) && isKeycloakOf(pid, paths.home) ? pid : null;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ------------------------------------------------------------------ readiness

/** HTTP status of a GET, or null when nothing answers. */
async function httpStatus(url, timeoutMs = 3000) {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return null;
  }
}

/**
 * Polls `url` until it answers 200. Resolves with the milliseconds waited; rejects on
 * timeout, or early when `isAlive` says the process we are waiting for has died.
 */
async function waitForReady(url, timeoutMs = DEFAULT_TIMEOUT_MS, { isAlive, intervalMs = 250 } = {}) {
  const started = Date.now();
  for (;;) {
    if ((await httpStatus(url)) === 200) return Date.now() - started;
    if (isAlive && !isAlive()) throw new Error(`process exited before ${url} answered`);
    if (Date.now() - started > timeoutMs) throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
    await sleep(intervalMs);
  }
}

function discoveryUrl(baseUrl, realm) {
  return `${baseUrl}/realms/${encodeURIComponent(realm)}/.well-known/openid-configuration`;
}

/** 'ready' (every realm answers), 'partial' (Keycloak up, a realm missing), 'other' or 'down'. */
async function probe(baseUrl, realmList) {
  const realms = realmList.length > 0 ? realmList : ['master'];
  const statuses = await Promise.all(realms.map((realm) => httpStatus(discoveryUrl(baseUrl, realm))));
  if (statuses.every((s) => s === 200)) return { state: 'ready' };
  if (statuses.every((s) => s === null)) return { state: 'down' };
  const missing = realms.filter((_, i) => statuses[i] !== 200);
  const master = await httpStatus(discoveryUrl(baseUrl, 'master'));
  return { state: master === 200 ? 'partial' : 'other', missing };
}

async function waitForInstance({ baseUrl, managementPort, realms, timeoutMs, isAlive }) {
  const deadline = Date.now() + timeoutMs;
  await waitForReady(`http://localhost:${managementPort}/health/ready`, timeoutMs, { isAlive });
  for (const realm of realms) {
    await waitForReady(discoveryUrl(baseUrl, realm), Math.max(deadline - Date.now(), 1000), { isAlive });
  }
}

function logTail(logFile, lines = 25) {
  try {
    return fs.readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

// ---------------------------------------------------------------------- start

// Only one process may spawn an instance; the others wait for it to become ready.
function acquireLock(lockFile) {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      return true;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      const owner = readPid(lockFile);
      if (owner && owner !== process.pid && isRunning(owner)) return false;
      fs.rmSync(lockFile, { force: true });
    }
  }
  return false;
}

async function waitForLockRelease(lockFile, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (fs.existsSync(lockFile)) {
    const owner = readPid(lockFile);
    if (!owner || !isRunning(owner)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for process ${owner} to start Keycloak`);
    await sleep(250);
  }
}

function aotPlan(paths, java, db, enabled) {
  if (!enabled || java.major < MIN_JAVA_AOT) return { mode: 'off' };
  // The cache is only valid for the exact JVM build that wrote it.
  const file = path.join(paths.home, `keycloak-jdk-${java.version.replace(/[^\w.-]/g, '_')}.aot`);
  if (fs.existsSync(file)) return { mode: 'use', file, flag: `-XX:AOTCache=${file}` };
  // Training on a run that re-augments first would record (and slowly dump) the
  // augmentation JVM instead of the server, so train only once the build is settled.
  const state = readState(paths.stateFile);
  if (state.db !== db || state.ready !== true) return { mode: 'off' };
  return { mode: 'train', file, flag: `-XX:AOTCacheOutput=${file}` };
}

function aotWanted(option) {
  if (option !== undefined) return option;
  if (process.env.KEYCLOAK_AOT !== undefined) return process.env.KEYCLOAK_AOT !== '0';
  // A CI machine boots once; paying ~16 s at shutdown to write a cache nobody reuses is a loss.
  return !process.env.CI;
}

/**
 * Starts Keycloak on `port` (start-dev, realms imported from keycloak/import), or reuses
 * the instance already answering there. Resolves once every imported realm serves its
 * discovery document.
 *
 * @param {object} [opts]
 * @param {number} [opts.port=8080]
 * @param {'dev-file'|'dev-mem'} [opts.db='dev-file']
 * @param {boolean} [opts.fresh=false] drop the dev-file database first (re-imports the realms)
 * @param {number} [opts.timeoutMs]
 * @param {boolean} [opts.aot] use/train a JDK 25 AOT cache (default: on, off when $CI is set)
 * @param {string} [opts.realmsDir] folder of realm exports
 * @param {(message: string) => void} [opts.log]
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
  if (!acquireLock(paths.lockFile)) {
    log(`another process is starting Keycloak on port ${port}; waiting for it`);
    await waitForLockRelease(paths.lockFile, timeoutMs);
  }
  let spawned = null;
  try {
    const starting = runningPid(paths);
    if (starting) {
      log(`Keycloak (pid ${starting}) is still booting on port ${port}; waiting for it`);
      await waitForInstance({ baseUrl, managementPort, realms, timeoutMs, isAlive: () => isRunning(starting) });
      return { ...facts, pid: starting, reused: true, bootMs: 0 };
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
    // detached: own process group, so the instance outlives this process (CLI, Jest
    // global setup) and stop can reach kc.sh and its java child together.
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
    fs.writeFileSync(
      paths.stateFile,
      JSON.stringify(
        { pid: child.pid, port, managementPort, db, aot: aot.mode, aotFile: aot.file, java: java.version, ready: false },
        null,
        2,
      ),
    );
    log(
      `starting Keycloak ${KEYCLOAK_VERSION} on ${baseUrl} (${db}, Java ${java.version}` +
        `${aot.mode === 'off' ? '' : `, AOT cache: ${aot.mode}`}, pid ${child.pid}, log ${relative(paths.logFile)})`,
    );
    fs.rmSync(paths.lockFile, { force: true });

    await waitForInstance({ baseUrl, managementPort, realms, timeoutMs, isAlive: () => isRunning(child.pid) });
    const bootMs = Date.now() - started;
    fs.writeFileSync(paths.stateFile, JSON.stringify({ ...readState(paths.stateFile), ready: true, bootMs }, null, 2));
    log(`ready in ${(bootMs / 1000).toFixed(1)} s (realms: ${realms.join(', ')})`);
    return { ...facts, pid: child.pid, reused: false, bootMs };
  } catch (error) {
    if (spawned) {
      await stopKeycloak({ port, log: () => {} }).catch(() => {});
      error.message += `\n--- last lines of ${relative(paths.logFile)} ---\n${logTail(paths.logFile)}`;
    }
    throw error;
  } finally {
    if (readPid(paths.lockFile) === process.pid) fs.rmSync(paths.lockFile, { force: true });
  }
}

// ----------------------------------------------------------------------- stop

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
  if (!isRunning(pid) || !isKeycloakOf(pid, paths.home)) {
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
  while ((isRunning(pid) || groupIsRunning(pid)) && Date.now() - started < timeoutMs) await sleep(200);
  let killed = false;
  if (isRunning(pid) || groupIsRunning(pid)) {
    killed = true;
    log(`still running after ${timeoutMs} ms; sending SIGKILL`);
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  fs.rmSync(paths.pidFile, { force: true });
  if (training && state.aotFile && !/AOTCache creation is complete/.test(safeRead(paths.logFile))) {
    // A cache cut off mid-write would only be rejected at every later start.
    fs.rmSync(state.aotFile, { force: true });
  }
  fs.writeFileSync(paths.stateFile, JSON.stringify({ ...state, pid: null, aot: 'off' }, null, 2));
  log(`stopped Keycloak on port ${port} (pid ${pid}) in ${((Date.now() - started) / 1000).toFixed(1)} s${killed ? ' (killed)' : ''}`);
  return { stopped: true, port, pid };
}

function safeRead(file) {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

// --------------------------------------------------------------------- status

async function statusOf(port, realms = realmNames()) {
  const paths = instancePaths(port);
  const pid = runningPid(paths);
  const found = await probe(`http://localhost:${port}`, realms);
  return { port, url: `http://localhost:${port}`, pid, ready: found.state === 'ready', state: found.state, missing: found.missing };
}

function knownPorts() {
  try {
    return fs.readdirSync(INSTANCES_DIR).filter((p) => /^\d+$/.test(p)).map(Number);
  } catch {
    return [];
  }
}

function relative(file) {
  return path.relative(process.cwd(), file) || '.';
}

// ------------------------------------------------------------------------ cli

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
  const command = positionals[0];
  const port = values.port ? Number(values.port) : undefined;
  switch (command) {
    case 'fetch':
      ensureDistribution();
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
        const owner = s.pid ? `pid ${s.pid}` : 'not started by this script';
        const detail = s.ready ? 'ready' : s.state === 'down' ? 'down' : `${s.state}${s.missing ? ` (missing ${s.missing.join(', ')})` : ''}`;
        defaultLog(`${s.url}: ${detail}, ${owner}`);
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
  ensureDistribution,
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
