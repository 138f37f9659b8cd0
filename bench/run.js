#!/usr/bin/env node
'use strict';
// `npm run bench`: our API against the common recipe and nest-keycloak-connect,
// in one run, on real Keycloak tokens. See BENCHMARKS.md for the method and
// bench/lib/settings.js for the knobs (BENCH_DURATION, BENCH_CONNECTIONS, ...).
//
// 1. build the API (dist/), install the isolated peer on first use;
// 2. start (or reuse) Keycloak and put the counting proxy in front of it;
// 3. run the suites one app at a time, each in its own process;
// 4. print the table, keep the raw results in bench/results/, and rewrite the
//    generated part of BENCHMARKS.md and docs/benchmarks.png.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { readSettings, wants } = require('./lib/settings');
const { openKeycloak, KEYCLOAK_VERSION } = require('./lib/keycloak-instance');
const { startCountingProxy } = require('./lib/counting-proxy');
const { ensurePeerInstalled } = require('./lib/peer-install');
const { claimsOf, headerOf, passwordGrant } = require('./lib/tokens');
const { tokenSupply } = require('./lib/token-supply');
const { addPassiveSigningKey } = require('./lib/minting-key');
const { startCommonRecipe, startNestKeycloakConnect, startOurModule } = require('./lib/apps');
const { benchOurs } = require('./lib/suites/ours');
const { benchFlood } = require('./lib/suites/flood');
const { benchPeer } = require('./lib/suites/peers');
const { consoleTable, markdown, writeMarkdown } = require('./lib/report');
const { renderChart } = require('./lib/chart');

const log = (message) => console.log(`[bench] ${message}`);

function build(settings) {
  log('building the API (tsc -p tsconfig.build.json)');
  const tsc = require.resolve('typescript/bin/tsc', { paths: [settings.root] });
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: settings.root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('the API does not build; fix it or set BENCH_SKIP_BUILD=1 to measure the existing dist/');
}

function machine(settings, keycloak) {
  const git = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: settings.root, encoding: 'utf8' });
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    node: process.version,
    cores: os.availableParallelism(),
    cpuModel: (os.cpus()[0] && os.cpus()[0].model) || 'unknown CPU',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    loadAverageAtStart: os.loadavg().map((v) => v.toFixed(2)).join(' '),
    keycloakVersion: KEYCLOAK_VERSION,
    keycloakNote: keycloak.dedicated
      ? `dev-mem, the bench's own instance on port ${keycloak.port}, ${keycloak.startedHere ? 'started by this run' : 'already running'}`
      : `reused at ${keycloak.url}`,
    commit: git.status === 0 ? git.stdout.trim() : 'unknown',
    durationSec: settings.durationSec,
    warmupSec: settings.warmupSec,
    connections: settings.connections,
  };
}

const capitalised = (word) => word[0].toUpperCase() + word.slice(1);

async function runSuites(ctx, peerInstallError) {
  const { settings } = ctx;
  const results = { ours: undefined, flood: undefined, peers: {} };
  if (wants(settings, 'ours') || wants(settings, 'memory')) results.ours = await benchOurs(ctx);
  if (wants(settings, 'flood')) results.flood = await benchFlood(ctx);
  // Our module in a minimal app, on each adapter: like for like with the recipe's minimal app.
  for (const adapter of ['express', 'fastify']) {
    if (!wants(settings, `module-${adapter}`)) continue;
    results.peers[`module${capitalised(adapter)}`] = await benchPeer(
      ctx,
      `our module, minimal app, ${capitalised(adapter)}`,
      () => startOurModule(settings, ctx.proxy.url, adapter),
      { withRoles: true },
    );
  }
  if (wants(settings, 'recipe')) {
    results.peers.recipe = await benchPeer(ctx, 'common recipe', () => startCommonRecipe(settings, ctx.proxy.url));
  }
  if (wants(settings, 'recipe-fastify')) {
    results.peers.recipeFastify = await benchPeer(ctx, 'common recipe, Fastify', () => startCommonRecipe(settings, ctx.proxy.url, 'fastify'));
  }
  for (const mode of ['offline', 'online']) {
    const key = mode === 'online' ? 'nkcOnline' : 'nkcOffline';
    if (!wants(settings, `nkc-${mode}`)) continue;
    results.peers[key] = peerInstallError
      ? { error: peerInstallError }
      : await benchPeer(ctx, `nest-keycloak-connect, ${mode}`, () => startNestKeycloakConnect(settings, ctx.proxy.url, mode));
  }
  return results;
}

async function main() {
  const settings = readSettings();
  fs.mkdirSync(settings.resultsDir, { recursive: true });
  if (!settings.skipBuild) build(settings);
  const wantsNkc = wants(settings, 'nkc-online') || wants(settings, 'nkc-offline');
  const peerInstallError = wantsNkc ? ensurePeerInstalled(path.join(__dirname, 'peers', 'nest-keycloak-connect'), log) : undefined;
  if (peerInstallError) log(`nest-keycloak-connect could not be installed: ${peerInstallError}`);

  const keycloak = await openKeycloak(settings, log);
  const proxy = await startCountingProxy(keycloak.port);
  let mintingKey;
  const cleanup = async () => {
    proxy.stop();
    if (mintingKey) await mintingKey.remove().catch(() => {});
    await keycloak.close();
  };
  process.once('SIGINT', () => cleanup().finally(() => process.exit(130)));
  try {
    const meta = machine(settings, keycloak);
    log(`Keycloak ${keycloak.url} behind the counting proxy ${proxy.url}; load average ${meta.loadAverageAtStart}`);
    if (keycloak.dedicated && wants(settings, 'memory')) {
      mintingKey = await addPassiveSigningKey(keycloak.url, settings.realm, settings.keycloakAdmin);
      log(`added a passive signing key (kid ${mintingKey.kid}) to the bench realm for the memory case`);
    }
    const sample = await passwordGrant(proxy.url, settings.realm, settings.testClientId, 'alice');
    const tokens = tokenSupply({ keycloakUrl: proxy.url, settings, log });
    const ctx = {
      settings,
      proxy,
      log,
      tokens,
      claims: { alice: claimsOf(sample.access_token) },
      kid: headerOf(sample.access_token).kid,
      mintingKey,
    };
    const suites = await runSuites(ctx, peerInstallError);
    const pools = tokens.pools.map((p) => `${p.count} at ${p.perSecond.toFixed(0)}/s`).join(', ');
    const results = {
      meta: { ...meta, pool: pools ? `distinct-token pools of ${pools} (refresh grants)` : 'no distinct-token pool' },
      ...suites,
      notes: [`Load average (1/5/15 min) when the run started: ${meta.loadAverageAtStart}.`],
    };
    if (peerInstallError) results.notes.push(`nest-keycloak-connect was not measured: ${peerInstallError}`);
    await report(settings, results);
  } finally {
    await cleanup();
  }
}

async function report(settings, results) {
  const stamp = results.meta.date.replace(/[:]/g, '-');
  fs.writeFileSync(path.join(settings.resultsDir, `${stamp}.json`), JSON.stringify(results, null, 2));
  fs.writeFileSync(path.join(settings.resultsDir, 'latest.json'), JSON.stringify(results, null, 2));
  console.log(`\n${consoleTable(results)}\n`);
  // A partial run (BENCH_ONLY) must not overwrite the full report unless asked to.
  const write = process.env.BENCH_WRITE_REPORT === '1' || (settings.writeReport && settings.only.length === 0);
  if (!write) {
    log(`results in ${path.relative(process.cwd(), settings.resultsDir)}/latest.json (BENCHMARKS.md left as it is)`);
    return;
  }
  await writeReport(settings, results);
}

/** The generated part of BENCHMARKS.md and the chart, from one run's results. */
async function writeReport(settings, results) {
  const png = await renderChart(results, path.join(settings.resultsDir, 'chart.svg'), settings.chartPath, log).catch((error) => {
    log(`chart not rendered: ${error.message}`);
    return undefined;
  });
  const file = path.join(settings.root, 'BENCHMARKS.md');
  writeMarkdown(file, markdown(results, png ? path.relative(settings.root, png) : undefined));
  log(`wrote ${path.relative(process.cwd(), file)}${png ? ` and ${path.relative(process.cwd(), png)}` : ''}`);
}

/** `npm run bench -- --report-only [results.json]`: redraw the report from saved results, measuring nothing. */
async function reportOnly(file) {
  const settings = readSettings();
  const results = JSON.parse(fs.readFileSync(file || path.join(settings.resultsDir, 'latest.json'), 'utf8'));
  console.log(`\n${consoleTable(results)}\n`);
  await writeReport(settings, results);
}

const reportOnlyAt = process.argv.indexOf('--report-only');
(reportOnlyAt >= 0 ? reportOnly(process.argv[reportOnlyAt + 1]) : main()).catch((error) => {
  console.error(`[bench] failed: ${error.stack || error.message}`);
  process.exitCode = 1;
});
