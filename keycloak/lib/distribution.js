'use strict';
// The pinned keycloak-quarkus-dist, fetched with Maven (so ~/.m2 caches it) and unpacked once.

const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { KEYCLOAK_VERSION, CACHE_DIR, DIST_DIR, relative } = require('./paths');

const MAVEN_ARTIFACT = `org.keycloak:keycloak-quarkus-dist:${KEYCLOAK_VERSION}:tar.gz`;

function ensureDistribution({ log = () => {} } = {}) {
  if (fs.existsSync(path.join(DIST_DIR, 'bin', 'kc.sh'))) return DIST_DIR;
  requireCommand('mvn', 'Maven (mvn) is needed to download Keycloak: install it (e.g. apt-get install maven)');
  requireCommand('tar', 'tar is needed to unpack Keycloak');
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  const work = fs.mkdtempSync(path.join(CACHE_DIR, '.fetch-'));
  try {
    log(`downloading ${MAVEN_ARTIFACT} with Maven`);
    // cwd is an empty folder so that no pom.xml around us changes what Maven resolves.
    run('mvn', ['-q', '-B', 'dependency:copy', `-Dartifact=${MAVEN_ARTIFACT}`, `-DoutputDirectory=${work}`], { cwd: work });
    const tarball = path.join(work, `keycloak-quarkus-dist-${KEYCLOAK_VERSION}.tar.gz`);
    if (!fs.existsSync(tarball)) throw new Error(`Maven finished but ${tarball} is missing`);
    run('tar', ['-xzf', tarball, '-C', work]);
    // Renamed last so an interrupted fetch never leaves a half-unpacked distribution behind.
    fs.renameSync(path.join(work, `keycloak-${KEYCLOAK_VERSION}`), DIST_DIR);
    log(`unpacked into ${relative(DIST_DIR)}`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  return DIST_DIR;
}

function requireCommand(command, hint) {
  const probe = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  if (probe.status !== 0) throw new Error(hint);
}

// Output is shown only on failure: Maven prints colour codes even with -q -B.
function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(`${command} ${args[0]} failed with exit code ${result.status}\n${result.stdout}${result.stderr}`);
  }
}

module.exports = { ensureDistribution };
