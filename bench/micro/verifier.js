#!/usr/bin/env node
'use strict';
// `node bench/micro/verifier.js` (after `npm run build`): what one token check
// costs in-process, without HTTP, next to what the common recipe's
// jsonwebtoken does, and what one verified-token cache entry weighs.
// No Keycloak: tokens are signed with a key made here, with Keycloak's claims.
// Each figure is the best of several rounds, which is what a busy shared
// machine disturbs least.

const path = require('node:path');
const v8 = require('node:v8');
const vm = require('node:vm');
const { generateKeyPairSync } = require('node:crypto');
const { verify: cryptoVerify } = require('node:crypto');

const ROOT = path.resolve(__dirname, '..', '..');
const token = require(path.join(ROOT, 'dist', 'auth', 'token'));
const jsonwebtoken = require(require.resolve('jsonwebtoken', { paths: [require.resolve('passport-jwt', { paths: [ROOT] })] }));
const { mintTokens } = require('../lib/minting-key');

const ISSUER = 'http://127.0.0.1:8380/realms/nest-keycloak-auth';
const ROUNDS = 7;
const DISTINCT = 14_000;

function keycloakLikeClaims() {
  const now = Math.floor(Date.now() / 1000);
  return {
    exp: now + 300,
    iat: now,
    iss: ISSUER,
    aud: ['nest-api', 'account'],
    sub: 'd54b896a-5e2c-4aab-9c6b-cea799f22b33',
    typ: 'Bearer',
    azp: 'nest-test',
    sid: 'fDIV9GD53qP90tbLZIN5J3J_',
    acr: '1',
    realm_access: { roles: ['default-roles-nest-keycloak-auth', 'offline_access', 'uma_authorization', 'user'] },
    resource_access: { account: { roles: ['manage-account', 'manage-account-links', 'view-profile'] } },
    scope: 'profile email',
    email_verified: true,
    name: 'Alice Anderson',
    preferred_username: 'alice',
    given_name: 'Alice',
    family_name: 'Anderson',
    email: 'alice@example.com',
  };
}

async function best(operations, run) {
  let fastest = Infinity;
  for (let round = 0; round < ROUNDS; round++) {
    const started = process.hrtime.bigint();
    await run(round);
    fastest = Math.min(fastest, Number(process.hrtime.bigint() - started) / operations / 1000);
  }
  return fastest;
}

function gcNow() {
  v8.setFlagsFromString('--expose-gc');
  vm.runInNewContext('gc')();
}

async function main() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = publicKey.export({ type: 'spki', format: 'pem' });
  const signer = { privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }), kid: 'bench' };
  const tokens = await mintTokens(signer, keycloakLikeClaims(), DISTINCT);
  const keySource = { getKey: async () => publicKey };
  const verifier = (cache) => new token.AccessTokenVerifier({ issuer: ISSUER, audience: 'nest-api', keySource, cache });
  const slice = (round, n) => tokens.slice((round * n) % DISTINCT, ((round * n) % DISTINCT) + n);
  const jwtOptions = { issuer: ISSUER, audience: 'nest-api', algorithms: ['RS256'] };

  const results = [
    ['ours, token seen before (cache hit)', await best(20_000, async () => {
      const v = verifier();
      for (let i = 0; i < 20_000; i++) await v.verify(tokens[0]);
    })],
    ['ours, new token (cache miss; its first sighting recorded)', await best(2000, async (round) => {
      const v = verifier();
      for (const t of slice(round, 2000)) await v.verify(t);
    })],
    ['ours, cache off', await best(2000, async (round) => {
      const v = verifier(false);
      for (const t of slice(round, 2000)) await v.verify(t);
    })],
    ['  of which: SHA-256 cache key', await best(20_000, async (round) => {
      for (const t of slice(round, 2000)) for (let k = 0; k < 10; k++) token.VerifiedTokenCache.keyOf(t);
    })],
    ['  of which: RS256 signature (crypto.verify, KeyObject)', await best(2000, async (round) => {
      for (const t of slice(round, 2000)) {
        const dot = t.lastIndexOf('.');
        cryptoVerify('sha256', Buffer.from(t.slice(0, dot)), publicKey, Buffer.from(t.slice(dot + 1), 'base64url'));
      }
    })],
    ['common recipe: jsonwebtoken.verify with a PEM string', await best(2000, async (round) => {
      for (const t of slice(round, 2000)) jsonwebtoken.verify(t, pem, jwtOptions);
    })],
    ['jsonwebtoken.verify with a KeyObject', await best(2000, async (round) => {
      for (const t of slice(round, 2000)) jsonwebtoken.verify(t, publicKey, jwtOptions);
    })],
  ];
  console.log('operation'.padEnd(56), 'µs per token (best of 7)');
  for (const [name, us] of results) console.log(name.padEnd(56), us.toFixed(1).padStart(8));

  // Weight of a full cache: heap after filling 10,000 entries minus heap before.
  const cache = new token.VerifiedTokenCache({ maxEntries: 10_000 });
  const v = verifier(cache);
  gcNow();
  const before = process.memoryUsage().heapUsed;
  for (const t of tokens.slice(0, 10_000)) await v.verify(t);
  gcNow();
  const perEntry = (process.memoryUsage().heapUsed - before) / cache.size;
  console.log(`verified-token cache: ${cache.size} entries, ${(perEntry / 1024).toFixed(2)} KiB of heap each (${((perEntry * cache.size) / 2 ** 20).toFixed(1)} MiB in all)`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
