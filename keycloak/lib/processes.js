'use strict';
// Process checks that survive zombies, stale pid files and concurrent starters.

const fs = require('node:fs');
const { spawnSync } = require('node:child_process');
const { randomUUID } = require('node:crypto');
const { readPid } = require('./instance');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

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
function commandLineMentions(pid, text) {
  let commandLine = '';
  try {
    commandLine = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    commandLine = spawnSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8' }).stdout || '';
  }
  return commandLine.includes(text);
}

/** The pid of the instance at `paths` if it is alive and really is that Keycloak. */
function runningPid(paths) {
  const pid = readPid(paths.pidFile);
  return pid && isRunning(pid) && commandLineMentions(pid, paths.home) ? pid : null;
}

// Only one caller may spawn an instance (of Keycloak, of the test Redis); the others
// wait for it. The lock holds "<pid> <nonce>": the pid lets a lock left by a dead
// process be taken over, the nonce keeps two callers in one process apart.
/** Resolves to a token for releaseLock, or null while someone alive holds the lock. */
function acquireLock(lockFile) {
  const token = `${process.pid} ${randomUUID()}`;
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      fs.writeFileSync(lockFile, token, { flag: 'wx' });
      return token;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      const owner = readPid(lockFile);
      if (owner && isRunning(owner)) return null;
      fs.rmSync(lockFile, { force: true });
    }
  }
  return null;
}

function releaseLock(lockFile, token) {
  let content = null;
  try {
    content = fs.readFileSync(lockFile, 'utf8');
  } catch {
    return;
  }
  if (token && content === token) fs.rmSync(lockFile, { force: true });
}

async function waitForLockRelease(lockFile, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (fs.existsSync(lockFile)) {
    const owner = readPid(lockFile);
    if (!owner || !isRunning(owner)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for process ${owner} to release ${lockFile}`);
    await sleep(250);
  }
}

module.exports = {
  sleep,
  readPid,
  isRunning,
  groupIsRunning,
  commandLineMentions,
  runningPid,
  acquireLock,
  releaseLock,
  waitForLockRelease,
};
