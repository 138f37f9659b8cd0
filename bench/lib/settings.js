'use strict';
// Every knob of `npm run bench`, read once from the environment. The defaults
// keep a full run near 6-8 minutes on the project's 2-core machine.

const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');

function int(name, fallback, min = 0) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer >= ${min} (got "${raw}")`);
  return value;
}

function list(name) {
  const raw = process.env[name];
  return raw ? raw.split(',').map((s) => s.trim()).filter(Boolean) : [];
}

function readSettings() {
  return {
    root: ROOT,
    resultsDir: path.join(ROOT, 'bench', 'results'),
    /** Seconds of measured load per duration-bound run. */
    durationSec: int('BENCH_DURATION', 10, 1),
    /** Unmeasured load before an app's first run, so the JIT has settled. */
    warmupSec: int('BENCH_WARMUP', 3, 0),
    connections: int('BENCH_CONNECTIONS', 50, 1),
    /** Duration cases of one app take turns in this many rounds (the row is the median round). */
    rounds: int('BENCH_ROUNDS', 3, 1),
    /** Real Keycloak tokens for the cold path, each sent once per app. */
    distinctTokens: int('BENCH_DISTINCT_TOKENS', 6000, 100),
    /** Forged tokens with random `kid`s in the flood case. */
    floodTokens: int('BENCH_FLOOD_TOKENS', 10000, 100),
    /** JWKS cooldown of the API instance under the flood; short, so the run spans several windows. */
    floodCooldownSec: int('BENCH_FLOOD_COOLDOWN', 2, 1),
    /** Distinct tokens of the memory case (forged ones, then validly signed ones). */
    memoryTokens: int('BENCH_MEMORY_TOKENS', 100000, 1000),
    /**
     * A Keycloak to reuse (e.g. http://localhost:8180). Unset: the bench starts
     * (or reuses) its own dev-mem instance on `keycloakPort`.
     */
    keycloakUrl: process.env.BENCH_KEYCLOAK_URL ? process.env.BENCH_KEYCLOAK_URL.replace(/\/+$/, '') : undefined,
    keycloakPort: int('BENCH_KEYCLOAK_PORT', 8380, 1),
    keepKeycloak: process.env.BENCH_KEEP_KEYCLOAK === '1',
    keycloakAdmin: {
      username: process.env.BENCH_KEYCLOAK_ADMIN || 'admin',
      password: process.env.BENCH_KEYCLOAK_ADMIN_PASSWORD || 'admin',
    },
    realm: 'nest-keycloak-auth',
    apiClient: { id: 'nest-api', secret: 'nest-api-dev-secret' },
    testClientId: 'nest-test',
    /** Only these suites (ours, memory, flood, module-express, module-fastify, recipe, recipe-fastify, nkc-offline, nkc-online); empty: all. */
    only: list('BENCH_ONLY'),
    skipBuild: process.env.BENCH_SKIP_BUILD === '1',
    /** Write CPU profiles of every server into bench/results/profiles. */
    cpuProfile: process.env.BENCH_CPU_PROF === '1',
    /** Rewrite the generated part of BENCHMARKS.md and the committed chart (off: results/ only). */
    writeReport: process.env.BENCH_WRITE_REPORT !== '0',
    chartPath: path.join(ROOT, 'docs', 'benchmarks.png'),
  };
}

function wants(settings, suite) {
  return settings.only.length === 0 || settings.only.includes(suite);
}

module.exports = { readSettings, wants, ROOT };
