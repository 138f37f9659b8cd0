'use strict';
// JDK 25 AOT cache (JEP 483/514): a run with -XX:AOTCacheOutput records the classes
// Keycloak loads and writes a cache when it exits; later starts map it and boot
// about a third faster (measured on 2 cores: ~14 s -> ~9 s for start-dev).

const fs = require('node:fs');
const path = require('node:path');
const { readState } = require('./instance');

const MIN_JAVA_AOT = 25;
const AOT_WRITTEN = /AOTCache creation is complete/;

function aotWanted(option) {
  if (option !== undefined) return option;
  if (process.env.KEYCLOAK_AOT !== undefined) return process.env.KEYCLOAK_AOT !== '0';
  // A CI machine boots once; paying ~16 s at shutdown to write a cache nobody reuses is a loss.
  return !process.env.CI;
}

/** { mode: 'off' | 'use' | 'train', file?, flag? } for the next start of an instance. */
function aotPlan(paths, java, db, enabled) {
  if (!enabled || java.major < MIN_JAVA_AOT) return { mode: 'off' };
  // The cache is only valid for the exact JVM build that wrote it.
  const file = path.join(paths.home, `keycloak-jdk-${java.version.replace(/[^\w.-]/g, '_')}.aot`);
  if (fs.existsSync(file)) return { mode: 'use', file, flag: `-XX:AOTCache=${file}` };
  // Training on a run that re-augments first would record (and slowly dump) the
  // augmentation JVM instead of the server, so train only once the build is settled.
  const state = readState(paths.stateFile);
  if (state.db !== db || state.ready !== true) return { mode: 'off' };
  return { mode: 'train', file, flag: `-XX:AOTCacheOutput=${file}` };
}

/** After a training run stopped: a cache cut off mid-write would only be rejected at every later start. */
function discardUnfinishedCache(state, logText) {
  if (state.aot === 'train' && state.aotFile && !AOT_WRITTEN.test(logText)) fs.rmSync(state.aotFile, { force: true });
}

module.exports = { aotWanted, aotPlan, discardUnfinishedCache };
