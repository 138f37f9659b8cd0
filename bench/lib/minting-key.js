'use strict';
// Validly signed tokens by the hundred thousand, for the memory case.
//
// Keycloak issues ~300 tokens a second here, so 100,000 real ones would take
// over five minutes and expire (300 s lifespan) before use. Instead the bench
// gives its own dedicated realm a second RS256 key through the admin API: a
// *passive* key (Keycloak publishes it in the JWKS but never signs with it)
// whose private half the bench generated. Tokens signed with it carry the
// realm's real claims and pass every check of every verifier; to an API they
// are indistinguishable from Keycloak's. The key is removed at the end.
// Never done against a reused Keycloak (BENCH_KEYCLOAK_URL).

const os = require('node:os');
const { generateKeyPairSync, randomUUID, sign, createPrivateKey } = require('node:crypto');
const { Worker, isMainThread, parentPort, workerData } = require('node:worker_threads');
const { postForm } = require('./tokens');

const KEY_NAME = 'bench-minting-key';

async function adminApi(keycloakUrl, admin) {
  const { access_token: token } = await postForm(`${keycloakUrl}/realms/master/protocol/openid-connect/token`, {
    grant_type: 'password',
    client_id: 'admin-cli',
    username: admin.username,
    password: admin.password,
  });
  return async (method, path, body) => {
    const response = await fetch(`${keycloakUrl}/admin${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`admin ${method} ${path} answered ${response.status}`);
    const text = await response.text();
    return { location: response.headers.get('location'), body: text ? JSON.parse(text) : undefined };
  };
}

/** Adds a passive RS256 key to `realm`; resolves to { kid, privateKeyPem, remove() }. */
async function addPassiveSigningKey(keycloakUrl, realm, admin) {
  const api = await adminApi(keycloakUrl, admin);
  await removeLeftovers(api, realm);
  const { body: realmInfo } = await api('GET', `/realms/${realm}`);
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' });
  const { location } = await api('POST', `/realms/${realm}/components`, {
    name: KEY_NAME,
    providerId: 'rsa',
    providerType: 'org.keycloak.keys.KeyProvider',
    parentId: realmInfo.id,
    config: { priority: ['0'], enabled: ['true'], active: ['false'], algorithm: ['RS256'], privateKey: [privateKeyPem] },
  });
  const componentId = location.split('/').pop();
  const { body: keys } = await api('GET', `/realms/${realm}/keys`);
  const ours = keys.keys.find((key) => key.providerId === componentId);
  if (!ours) throw new Error('Keycloak did not list the added key');
  return {
    kid: ours.kid,
    privateKeyPem,
    remove: () => api('DELETE', `/realms/${realm}/components/${componentId}`),
  };
}

// A run that died before its cleanup must not leave keys piling up.
async function removeLeftovers(api, realm) {
  const { body: components } = await api('GET', `/realms/${realm}/components?type=org.keycloak.keys.KeyProvider`);
  for (const component of components.filter((c) => c.name === KEY_NAME)) {
    await api('DELETE', `/realms/${realm}/components/${component.id}`);
  }
}

/** `count` distinct RS256 tokens with `claims` (fresh jti, exp in an hour), signed on every core. */
async function mintTokens({ privateKeyPem, kid }, claims, count) {
  const workers = Math.max(1, Math.min(os.availableParallelism(), 4));
  const now = Math.floor(Date.now() / 1000);
  const template = { ...claims, iat: now, exp: now + 3600 };
  const shares = Array.from({ length: workers }, (_, i) => Math.floor(count / workers) + (i < count % workers ? 1 : 0));
  const parts = await Promise.all(
    shares.map(
      (share) =>
        new Promise((resolve, reject) => {
          const worker = new Worker(__filename, { workerData: { privateKeyPem, kid, template, count: share } });
          worker.once('message', resolve);
          worker.once('error', reject);
        }),
    ),
  );
  return parts.flat();
}

function mintInWorker({ privateKeyPem, kid, template, count }) {
  const key = createPrivateKey(privateKeyPem);
  const header = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid })).toString('base64url');
  const tokens = new Array(count);
  for (let i = 0; i < count; i++) {
    const payload = Buffer.from(JSON.stringify({ ...template, jti: `minted:${randomUUID()}` })).toString('base64url');
    const signingInput = `${header}.${payload}`;
    tokens[i] = `${signingInput}.${sign('sha256', Buffer.from(signingInput), key).toString('base64url')}`;
  }
  parentPort.postMessage(tokens);
}

if (!isMainThread && workerData && workerData.privateKeyPem) mintInWorker(workerData);

module.exports = { addPassiveSigningKey, mintTokens };
