'use strict';
// The Keycloak the bench talks to: BENCH_KEYCLOAK_URL if given (reused, never
// stopped or changed), else the bench's own dev-mem instance on its own port,
// started through keycloak/keycloak.js (or reused if already up there) and
// stopped at the end if this run started it.

const keycloak = require('../../keycloak/keycloak.js');

async function openKeycloak(settings, log) {
  if (settings.keycloakUrl) {
    const url = new URL(settings.keycloakUrl);
    const discovery = `${settings.keycloakUrl}/realms/${settings.realm}/.well-known/openid-configuration`;
    await keycloak.waitForReady(discovery, 10_000);
    log(`reusing Keycloak at ${settings.keycloakUrl}`);
    return { url: settings.keycloakUrl, port: Number(url.port || 80), dedicated: false, close: async () => {} };
  }
  const started = await keycloak.startKeycloak({
    port: settings.keycloakPort,
    db: 'dev-mem',
    log: (message) => log(`[keycloak] ${message}`),
  });
  const startedHere = !started.reused;
  return {
    url: started.url,
    port: started.port,
    // An instance on the bench's own port is the bench's (its realm may be changed),
    // even if an earlier run left it up.
    dedicated: true,
    startedHere,
    version: keycloak.KEYCLOAK_VERSION,
    close: async () => {
      if (startedHere && !settings.keepKeycloak) await keycloak.stopKeycloak({ port: started.port, log: () => {} });
    },
  };
}

module.exports = { openKeycloak, KEYCLOAK_VERSION: keycloak.KEYCLOAK_VERSION };
