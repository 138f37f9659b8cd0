'use strict';
// Where the pinned distribution and the per-port instances live (git-ignored .cache/).

const path = require('node:path');

const KEYCLOAK_VERSION = '26.7.3';
const ROOT = path.resolve(__dirname, '..', '..');
const CACHE_DIR = path.join(ROOT, '.cache', 'keycloak');
const DIST_DIR = path.join(CACHE_DIR, `keycloak-${KEYCLOAK_VERSION}`);
const INSTANCES_DIR = path.join(CACHE_DIR, 'instances');
const IMPORT_DIR = path.resolve(__dirname, '..', 'import');

function instancePaths(port) {
  const home = path.join(INSTANCES_DIR, String(port));
  return {
    home,
    pidFile: path.join(home, 'keycloak.pid'),
    stateFile: path.join(home, 'keycloak-state.json'),
    lockFile: path.join(home, 'start.lock'),
    logFile: path.join(home, 'keycloak.log'),
    importDir: path.join(home, 'data', 'import'),
  };
}

function relative(file) {
  return path.relative(process.cwd(), file) || '.';
}

module.exports = { KEYCLOAK_VERSION, CACHE_DIR, DIST_DIR, INSTANCES_DIR, IMPORT_DIR, instancePaths, relative };
