'use strict';
// Real Keycloak access tokens for the bench, through the `nest-test` client.
// A password grant costs Keycloak a password hash (~10 per second here), a
// refresh grant does not (~300 per second), so a pool of distinct tokens is one
// password login per user, then refresh grants: every refresh yields a new
// access token (new `jti`, `iat`, signature) of the same session.

const http = require('node:http');

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const USERS = ['alice', 'bob', 'carol'];
const POOL_CONCURRENCY = 32;

function postForm(url, form) {
  const body = new URLSearchParams(form).toString();
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () => {
          if (response.statusCode === 200) return resolve(JSON.parse(text));
          // The error body names the OAuth error; it never contains a token.
          reject(new Error(`${url} answered ${response.statusCode}: ${text.slice(0, 200)}`));
        });
      },
    );
    request.setTimeout(30_000, () => request.destroy(new Error(`${url} timed out`)));
    request.on('error', reject);
    request.end(body);
  });
}

function tokenEndpoint(keycloakUrl, realm) {
  return `${keycloakUrl}/realms/${realm}/protocol/openid-connect/token`;
}

/** One password grant; `<user>-pass` is the realm export's dev password. */
function passwordGrant(keycloakUrl, realm, clientId, username) {
  return postForm(tokenEndpoint(keycloakUrl, realm), {
    grant_type: 'password',
    client_id: clientId,
    username,
    password: `${username}-pass`,
  });
}

function claimsOf(token) {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}

function headerOf(token) {
  return JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString('utf8'));
}

/**
 * `count` distinct access tokens of alice, bob and carol, issued now.
 * Resolves to { tokens, expiresAt (earliest exp, ms), perSecond }.
 */
async function distinctTokenPool(keycloakUrl, realm, clientId, count) {
  const sessions = await Promise.all(USERS.map((user) => passwordGrant(keycloakUrl, realm, clientId, user)));
  const endpoint = tokenEndpoint(keycloakUrl, realm);
  const tokens = new Set();
  const started = Date.now();
  let issued = 0;
  const worker = async (index) => {
    const { refresh_token: refreshToken } = sessions[index % sessions.length];
    while (issued < count) {
      issued++;
      const grant = await postForm(endpoint, { grant_type: 'refresh_token', client_id: clientId, refresh_token: refreshToken });
      tokens.add(grant.access_token);
    }
  };
  await Promise.all(Array.from({ length: POOL_CONCURRENCY }, (_, i) => worker(i)));
  const list = [...tokens];
  const expiresAt = list.reduce((earliest, token) => Math.min(earliest, claimsOf(token).exp * 1000), Infinity);
  return { tokens: list, expiresAt, perSecond: list.length / ((Date.now() - started) / 1000) };
}

module.exports = { passwordGrant, distinctTokenPool, claimsOf, headerOf, postForm };
