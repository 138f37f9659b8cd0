'use strict';
// How to start each app under test. All of them reach Keycloak through the
// counting proxy (`keycloakUrl`), check the same issuer and audience, and
// serve GET /api/public and GET /api/protected.

const path = require('node:path');
const { startServer } = require('./servers');

/** Our API, as `npm run start:prod` runs it, with logging off so it does not dominate. */
function startOurs(settings, keycloakUrl, { name = 'ours', env = {} } = {}) {
  return startServer({
    name,
    script: path.join(settings.root, 'dist', 'main.js'),
    cwd: settings.root,
    readyPath: '/api/public',
    settings,
    env: {
      NODE_ENV: 'production',
      LOG_LEVEL: 'silent',
      KEYCLOAK_URL: keycloakUrl,
      KEYCLOAK_REALM: settings.realm,
      KEYCLOAK_CLIENT_ID: settings.apiClient.id,
      KEYCLOAK_CLIENT_SECRET: settings.apiClient.secret,
      ...env,
    },
  });
}

/** Our AuthModule in a minimal app (no helmet, CORS, Swagger, logging), on `adapter` (express or fastify). */
function startOurModule(settings, keycloakUrl, adapter) {
  return startPeerApp(settings, 'our-module', adapter, { KEYCLOAK_URL: keycloakUrl, KEYCLOAK_REALM: settings.realm, AUDIENCE: settings.apiClient.id });
}

function startCommonRecipe(settings, keycloakUrl, adapter = 'express') {
  return startPeerApp(settings, 'common-recipe', adapter, { KEYCLOAK_URL: keycloakUrl, KEYCLOAK_REALM: settings.realm, AUDIENCE: settings.apiClient.id });
}

/** One of the plain-JavaScript apps in bench/peers/<folder>, on Nest's `adapter`. */
function startPeerApp(settings, folderName, adapter, env) {
  const folder = path.join(settings.root, 'bench', 'peers', folderName);
  return startServer({
    name: adapter === 'express' ? folderName : `${folderName}-${adapter}`,
    script: path.join(folder, 'main.js'),
    cwd: folder,
    readyPath: '/api/public',
    settings,
    env: { NODE_ENV: 'production', HTTP_ADAPTER: adapter, ...env },
  });
}

function startNestKeycloakConnect(settings, keycloakUrl, mode) {
  const folder = path.join(settings.root, 'bench', 'peers', 'nest-keycloak-connect');
  return startServer({
    name: `nest-keycloak-connect-${mode}`,
    script: path.join(folder, 'main.js'),
    cwd: folder,
    readyPath: '/api/public',
    settings,
    env: {
      NODE_ENV: 'production',
      TOKEN_VALIDATION: mode,
      KEYCLOAK_URL: keycloakUrl,
      KEYCLOAK_REALM: settings.realm,
      CLIENT_ID: settings.apiClient.id,
      CLIENT_SECRET: settings.apiClient.secret,
    },
  });
}

module.exports = { startOurs, startOurModule, startCommonRecipe, startNestKeycloakConnect };
