'use strict';
// Process checks that survive zombies, stale pid files and concurrent starters.

const fs = require('node:fs');
const { spawnSync } = require('node:child_process');
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

function releaseLock(lockFile) {
  if (readPid(lockFile) === process.pid) fs.rmSync(lockFile, { force: true });
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

module.exports = { sleep, isRunning, groupIsRunning, runningPid, acquireLock, releaseLock, waitForLockRelease };
