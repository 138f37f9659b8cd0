'use strict';
// Peers whose dependencies clash with the main package (nest-keycloak-connect
// needs Nest < 11) live in their own folder with their own package.json; the
// bench installs them on first use, so `npm run bench` works from a clone.

const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

/** Installs `folder`'s dependencies unless already done; resolves to an error message or undefined. */
function ensurePeerInstalled(folder, log) {
  const marker = path.join(folder, 'node_modules', '.package-lock.json');
  const manifest = path.join(folder, 'package.json');
  if (fs.existsSync(marker) && fs.statSync(marker).mtimeMs >= fs.statSync(manifest).mtimeMs) return undefined;
  log(`installing ${path.basename(folder)} (own package.json, first run only)`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  // `ci` when a lock file pins the versions measured; `install` otherwise.
  const command = fs.existsSync(path.join(folder, 'package-lock.json')) ? 'ci' : 'install';
  const result = spawnSync(npm, [command, '--prefix', folder, '--no-audit', '--no-fund', '--loglevel=error'], {
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (result.error) return `npm ${command} failed to run: ${result.error.message}`;
  if (result.status !== 0) {
    const reason = `${result.stderr}${result.stdout}`.trim().split('\n').slice(-5).join(' ');
    return `npm ${command} exited with ${result.status}: ${reason}`;
  }
  return undefined;
}

module.exports = { ensurePeerInstalled };
