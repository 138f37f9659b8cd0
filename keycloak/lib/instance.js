'use strict';
// One Keycloak home per port, built from the shared distribution.
//
// Sharing one distribution does not work: start-dev re-augments into lib/quarkus
// whenever a build option (the database) differs, rewriting jars under the feet of
// the other running instance, and data/ (H2 files, import folder) would be shared
// too. The 168 MB of third-party jars in lib/lib are hard-linked, not copied. Not
// symlinked either: Quarkus resolves the real path of lib/lib and re-augments into
// the directory it finds there, which then was the shared distribution.

const fs = require('node:fs');
const path = require('node:path');
const { DIST_DIR, IMPORT_DIR, instancePaths } = require('./paths');

const INSTANCE_LAYOUT = 'layout: lib/lib hard-linked';

function prepareInstance(port) {
  const paths = instancePaths(port);
  const marker = path.join(paths.home, 'version.txt');
  const wanted = `${fs.readFileSync(path.join(DIST_DIR, 'version.txt'), 'utf8').trim()}\n${INSTANCE_LAYOUT}\n`;
  if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === wanted) return paths;

  fs.mkdirSync(paths.home, { recursive: true });
  for (const entry of fs.readdirSync(paths.home)) {
    // data/ survives a distribution change so a dev-file database is migrated, not lost.
    if (entry !== 'data') fs.rmSync(path.join(paths.home, entry), { recursive: true, force: true });
  }
  for (const entry of fs.readdirSync(DIST_DIR)) {
    if (entry === 'version.txt') continue;
    const source = path.join(DIST_DIR, entry);
    if (entry !== 'lib') {
      fs.cpSync(source, path.join(paths.home, entry), { recursive: true, preserveTimestamps: true });
      continue;
    }
    for (const libEntry of fs.readdirSync(source)) {
      const from = path.join(source, libEntry);
      const to = path.join(paths.home, 'lib', libEntry);
      if (libEntry === 'lib') linkTree(from, to);
      else fs.cpSync(from, to, { recursive: true, preserveTimestamps: true });
    }
  }
  // Written last: its presence means the copy is complete.
  fs.writeFileSync(marker, wanted);
  return paths;
}

function linkTree(from, to) {
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) {
      linkTree(source, target);
      continue;
    }
    try {
      fs.linkSync(source, target);
    } catch (error) {
      // Another filesystem, or one without hard links: pay the copy.
      if (!['EXDEV', 'EPERM', 'ENOTSUP'].includes(error.code)) throw error;
      fs.copyFileSync(source, target);
    }
  }
}

function realmFiles(realmsDir) {
  return fs
    .readdirSync(realmsDir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => path.join(realmsDir, f));
}

/** Realm names declared by the export files, in file order. */
function realmNames(realmsDir = IMPORT_DIR) {
  return realmFiles(realmsDir).map((file) => JSON.parse(fs.readFileSync(file, 'utf8')).realm);
}

function copyRealmImports(importDir, realmsDir) {
  fs.mkdirSync(importDir, { recursive: true });
  // A realm file removed from keycloak/import must not keep being imported.
  for (const stale of fs.readdirSync(importDir)) fs.rmSync(path.join(importDir, stale), { force: true });
  for (const file of realmFiles(realmsDir)) fs.copyFileSync(file, path.join(importDir, path.basename(file)));
}

function readState(stateFile) {
  try {
    return JSON.parse(fs.readFileSync(stateFile, 'utf8'));
  } catch {
    return {};
  }
}

function writeState(stateFile, state) {
  fs.writeFileSync(stateFile, `${JSON.stringify(state, null, 2)}\n`);
}

function readPid(pidFile) {
  try {
    const pid = Number.parseInt(fs.readFileSync(pidFile, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function knownPorts() {
  try {
    return fs
      .readdirSync(path.dirname(instancePaths(0).home))
      .filter((p) => /^\d+$/.test(p))
      .map(Number);
  } catch {
    return [];
  }
}

module.exports = { prepareInstance, realmNames, copyRealmImports, readState, writeState, readPid, knownPorts };
