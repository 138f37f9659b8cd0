'use strict';
// Picks a JDK new enough for Keycloak, which may not be the machine's default `java`.

const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { KEYCLOAK_VERSION } = require('./paths');

// Keycloak 26.x refuses to run on anything older.
const MIN_JAVA = 21;
const JVM_ROOTS = ['/usr/lib/jvm', '/usr/java', '/Library/Java/JavaVirtualMachines'];

/** $JAVA_HOME if it is new enough, else the newest JDK installed in the usual places. */
function findJava() {
  const tooOld = [];
  const fromEnv = process.env.JAVA_HOME ? describeJava(process.env.JAVA_HOME) : null;
  if (fromEnv) {
    if (fromEnv.major >= MIN_JAVA) return fromEnv;
    tooOld.push(fromEnv);
  }
  const candidates = new Map();
  for (const home of candidateJavaHomes()) {
    const java = describeJava(home);
    if (java && !candidates.has(java.realHome)) candidates.set(java.realHome, java);
  }
  const usable = [...candidates.values()].filter((j) => j.major >= MIN_JAVA).sort((a, b) => b.major - a.major);
  if (usable.length > 0) return usable[0];
  for (const java of tooOld) if (!candidates.has(java.realHome)) candidates.set(java.realHome, java);
  const found = [...candidates.values()].map((j) => `${j.home} (${j.major})`).join(', ') || 'none';
  throw new Error(
    `Keycloak ${KEYCLOAK_VERSION} needs Java ${MIN_JAVA}+; found ${found}. ` +
      `Install a JDK ${MIN_JAVA} or newer (e.g. apt-get install openjdk-21-jdk-headless, or Temurin 21/25) or point JAVA_HOME at one.`,
  );
}

function candidateJavaHomes() {
  const homes = [];
  for (const root of JVM_ROOTS) {
    let entries = [];
    try {
      entries = fs.readdirSync(root);
    } catch {
      continue;
    }
    for (const entry of entries) {
      const home = path.join(root, entry);
      // macOS bundles keep the JDK one level down.
      const bundled = path.join(home, 'Contents', 'Home');
      homes.push(fs.existsSync(bundled) ? bundled : home);
    }
  }
  const onPath = spawnSync('sh', ['-c', 'command -v java'], { encoding: 'utf8' });
  if (onPath.status === 0 && onPath.stdout.trim()) {
    try {
      homes.push(path.dirname(path.dirname(fs.realpathSync(onPath.stdout.trim()))));
    } catch {
      // a dangling alternatives link is not a JDK
    }
  }
  return homes;
}

function describeJava(home) {
  const binary = path.join(home, 'bin', 'java');
  if (!fs.existsSync(binary)) return null;
  let version;
  try {
    // The release file answers without starting a JVM (~0.1 s each).
    const release = fs.readFileSync(path.join(home, 'release'), 'utf8');
    version = (/^JAVA_RUNTIME_VERSION="([^"]+)"/m.exec(release) || /^JAVA_VERSION="([^"]+)"/m.exec(release) || [])[1];
  } catch {
    // no release file: ask the binary
  }
  if (!version) {
    const probe = spawnSync(binary, ['-version'], { encoding: 'utf8' });
    version = (/version "([^"]+)"/.exec(`${probe.stderr}${probe.stdout}`) || [])[1];
  }
  if (!version) return null;
  return { home, realHome: fs.realpathSync(home), version, major: javaMajor(version) };
}

/** '1.8.0_292' -> 8, '17.0.15' -> 17, '25.0.3+9-LTS' -> 25, '21-ea' -> 21 */
function javaMajor(version) {
  const parts = version.split(/[.+\-_]/).map(Number);
  return parts[0] === 1 ? parts[1] : parts[0];
}

module.exports = { findJava, javaMajor, MIN_JAVA };
