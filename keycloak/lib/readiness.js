'use strict';
// "Ready" means every imported realm serves its discovery document, not just an open port.

const fs = require('node:fs');
const { sleep } = require('./processes');

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
async function waitForReady(url, timeoutMs = 180_000, { isAlive, intervalMs = 250 } = {}) {
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

module.exports = { waitForReady, probe, waitForInstance, logTail };
