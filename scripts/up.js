#!/usr/bin/env node
// `npm run up`: the whole thing on one machine, no Docker. Starts (or reuses)
// the pinned Keycloak with the realm export, builds the API, and runs it in the
// foreground with the development defaults below (a .env file overrides them).
// Ctrl-C stops the API and the Keycloak this script started.
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const keycloak = require('../keycloak/keycloak.js');

const root = path.resolve(__dirname, '..');
const DEV_KEYCLOAK_PORT = Number(process.env.KEYCLOAK_PORT || 8080);

// Dev-only defaults matching keycloak/import/; never used when a variable is set.
const DEV_ENV = {
  PORT: '3000',
  KEYCLOAK_URL: `http://localhost:${DEV_KEYCLOAK_PORT}`,
  KEYCLOAK_REALM: 'nest-keycloak-auth',
  KEYCLOAK_CLIENT_ID: 'nest-api',
  KEYCLOAK_CLIENT_SECRET: 'nest-api-dev-secret',
};

function loadDotEnv() {
  const file = path.join(root, '.env');
  if (!fs.existsSync(file)) return {};
  const values = {};
  for (const line of fs.readFileSync(file, 'utf8').split(/\r?\n/)) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (match) values[match[1]] = match[2].replace(/^(['"])(.*)\1$/, '$2');
  }
  return values;
}

async function main() {
  const kc = await keycloak.startKeycloak({ port: DEV_KEYCLOAK_PORT, db: 'dev-file' });

  console.log('Building the API…');
  const build = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (build.status !== 0) {
    console.error('Build failed.');
    process.exit(build.status || 1);
  }

  const env = { ...DEV_ENV, ...loadDotEnv(), ...process.env };
  const api = spawn(process.execPath, ['dist/main.js'], { cwd: root, env, stdio: 'inherit' });
  console.log(`API starting on http://localhost:${env.PORT} (Keycloak: ${env.KEYCLOAK_URL}, admin console: ${env.KEYCLOAK_URL}/admin)`);

  let stopping = false;
  const stop = async (code) => {
    if (stopping) return;
    stopping = true;
    api.kill('SIGTERM');
    if (kc && !kc.reused) await keycloak.stopKeycloak({ port: DEV_KEYCLOAK_PORT });
    process.exit(code);
  };
  process.on('SIGINT', () => stop(0));
  process.on('SIGTERM', () => stop(0));
  api.on('exit', (code) => stop(code ?? 0));
}

main().catch((error) => {
  console.error(`up failed: ${error && error.message ? error.message : error}`);
  process.exit(1);
});
