'use strict';
// Measured rows: the load, and what the counting proxy and /proc saw meanwhile.

const { countsSince } = require('./counting-proxy');
const { runLoad, warmUp } = require('./load');

/** Starts an app and remembers the proxy counts at its start, so its totals exclude earlier apps. */
async function launch(ctx, label, start) {
  const countsAtStart = await ctx.proxy.counts();
  const server = await start();
  return { ...server, label, countsAtStart };
}

/** One load run of `spec` for `durationSec` (or its token list), with what the proxy and /proc saw. */
async function measureOnce(ctx, app, spec, durationSec) {
  const connections = spec.connections ?? ctx.settings.connections;
  const before = await ctx.proxy.counts();
  const cpuBefore = app.cpuTimeMs();
  const load = await runLoad({ url: app.url, path: spec.path, connections, durationSec, token: spec.token, tokens: spec.tokens });
  const cpuMs = app.cpuTimeMs() - cpuBefore;
  const after = await ctx.proxy.counts();
  const during = countsSince(before, after);
  return {
    app: app.label,
    id: spec.id,
    label: spec.label,
    ...load,
    connections,
    rounds: 1,
    // CPU time of the server per request, and how busy it was: on a shared
    // machine the server's own cost per request is steadier than req/s.
    cpuUsPerRequest: (cpuMs * 1000) / load.completed,
    serverCpuShare: cpuMs / 1000 / load.elapsedSec,
    jwksDuringRun: during.jwks,
    jwksSinceStart: countsSince(app.countsAtStart, after).jwks,
    keycloakCallsDuringRun: during.introspect + during.userinfo + during.token,
    ...app.memory(),
  };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** Rounds of one case as one row: medians of rates and latencies, sums of counts, the last memory reading. */
function combine(rounds) {
  const last = rounds[rounds.length - 1];
  const sum = (key) => rounds.reduce((total, round) => total + round[key], 0);
  const med = (key) => median(rounds.map((round) => round[key]));
  return {
    ...last,
    rounds: rounds.length,
    completed: sum('completed'),
    ok: sum('ok'),
    non2xx: sum('non2xx'),
    errors: sum('errors'),
    timeouts: sum('timeouts'),
    elapsedSec: sum('elapsedSec'),
    jwksDuringRun: sum('jwksDuringRun'),
    keycloakCallsDuringRun: sum('keycloakCallsDuringRun'),
    rps: med('rps'),
    okRps: med('okRps'),
    latencyP50: med('latencyP50'),
    latencyP99: med('latencyP99'),
    latencyMax: Math.max(...rounds.map((round) => round.latencyMax)),
    cpuUsPerRequest: med('cpuUsPerRequest'),
    serverCpuShare: med('serverCpuShare'),
    roundRps: rounds.map((round) => Math.round(round.rps)),
  };
}

/**
 * Duration-bound cases of one app, interleaved: each is warmed up, then the
 * cases take turns for `rounds` rounds of duration/rounds seconds, so a burst
 * of load from elsewhere on the machine hits all of them alike. A case's row
 * holds the median round.
 *
 * @param specs [{ id, label, path, token? }]
 */
async function measureInterleaved(ctx, app, specs) {
  const { settings } = ctx;
  for (const spec of specs) await warmUp(app.url, spec.path, spec.token, settings);
  const perCase = specs.map(() => []);
  for (let round = 0; round < settings.rounds; round++) {
    for (const [i, spec] of specs.entries()) perCase[i].push(await measureOnce(ctx, app, spec, settings.durationSec / settings.rounds));
  }
  const rows = perCase.map(combine);
  for (const row of rows) ctx.log(describe(row));
  return rows;
}

/** A case whose tokens are each sent once: one run, never repeated. */
async function measureDistinct(ctx, app, spec) {
  const row = await measureOnce(ctx, app, spec);
  ctx.log(describe(row));
  return row;
}

function describe(row) {
  const failed = row.completed - row.ok;
  const spread = row.roundRps && row.roundRps.length > 1 ? ` (rounds ${row.roundRps.join('/')})` : '';
  return (
    `${row.app.padEnd(28)} ${row.label.padEnd(34)} ${row.rps.toFixed(0).padStart(6)} req/s${spread}` +
    `  p50 ${row.latencyP50} ms  p99 ${row.latencyP99} ms  CPU ${row.cpuUsPerRequest.toFixed(0)} us/req (${(row.serverCpuShare * 100).toFixed(0)}% busy)  JWKS ${row.jwksDuringRun}/${row.jwksSinceStart}` +
    `  RSS ${row.rssMiB.toFixed(0)} MiB${failed ? `  (${failed} not 2xx, ${row.errors} errors)` : ''}`
  );
}

module.exports = { launch, measureInterleaved, measureDistinct, measureOnce, median };
