'use strict';
// Hands the suites real tokens that will outlive the case they are used in.
// Keycloak's access tokens here live 300 s and a full run takes longer, so
// both the users' tokens and the distinct-token pool are fetched again when
// too little of their lifetime is left.

const { claimsOf, distinctTokenPool, passwordGrant } = require('./tokens');

// A duration case with warm-up takes ~15 s, a suite ~1-2 minutes.
const USER_TOKEN_MARGIN_MS = 150_000;
const POOL_MARGIN_MS = 100_000;

function tokenSupply({ keycloakUrl, settings, log }) {
  let users;
  let pool;
  const pools = [];

  async function userTokens() {
    if (users && users.expiresAt - Date.now() > USER_TOKEN_MARGIN_MS) return users;
    const [alice, bob] = await Promise.all(
      ['alice', 'bob'].map((name) => passwordGrant(keycloakUrl, settings.realm, settings.testClientId, name)),
    );
    const expiresAt = Math.min(claimsOf(alice.access_token).exp, claimsOf(bob.access_token).exp) * 1000;
    users = { alice: alice.access_token, bob: bob.access_token, expiresAt };
    return users;
  }

  async function distinctTokens() {
    if (pool && pool.expiresAt - Date.now() > POOL_MARGIN_MS) return pool;
    log(`obtaining ${settings.distinctTokens} distinct tokens from Keycloak (refresh grants)`);
    pool = await distinctTokenPool(keycloakUrl, settings.realm, settings.testClientId, settings.distinctTokens);
    pools.push({ count: pool.tokens.length, perSecond: pool.perSecond });
    log(`  ${pool.tokens.length} tokens at ${pool.perSecond.toFixed(0)} per second`);
    return pool;
  }

  return { userTokens, distinctTokens, pools };
}

module.exports = { tokenSupply };
