'use strict';
// Tokens that look like Keycloak's but are not: the real claims (so they pass
// the size, shape and `iss` checks and reach the key lookup), a fresh `jti`
// (so each is distinct), and 256 random bytes where the RS256 signature goes.

const { randomBytes, randomUUID } = require('node:crypto');

const b64url = (value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/**
 * `count` forged tokens modelled on `claims`. `kid: 'random'` gives each its own
 * unknown key id (the JWKS flood); a real kid gives tokens that fail only at the
 * signature (what the memory case uses to show failures are never cached).
 */
function forgedTokens(claims, count, { kid }) {
  const tokens = new Array(count);
  for (let i = 0; i < count; i++) {
    const header = { alg: 'RS256', typ: 'JWT', kid: kid === 'random' ? randomBytes(32).toString('base64url') : kid };
    const payload = { ...claims, jti: `forged:${randomUUID()}` };
    tokens[i] = `${b64url(header)}.${b64url(payload)}.${randomBytes(256).toString('base64url')}`;
  }
  return tokens;
}

module.exports = { forgedTokens, b64url };
