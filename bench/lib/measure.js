'use strict';
// One measured row: warm-up (duration runs only), the load, and what the
// counting proxy and /proc saw meanwhile.

const { countsSince } = require('./counting-proxy');
const { runLoad, warmUp } = require('./load');

/** Starts an app and remembers the proxy counts at its start, so its totals exclude earlier apps. */
async function launch(ctx, label, start) {
  const countsAtStart = await ctx.proxy.counts();
  const server = await start();
  return { ...server, label, countsAtStart };
}

/**
 * @param ctx  { settings, proxy, log }
 * @param app  from `launch`
 * @param spec { id, label, path, token?, tokens?, durationSec?, connections? }
 */
async function measure(ctx, app, spec) {
  const { settings } = ctx;
  const connections = spec.connections ?? settings.connections;
  if (!spec.tokens) await warmUp(app.url, spec.path, spec.token, settings);
  const before = await ctx.proxy.counts();
  const cpuBefore = app.cpuTimeMs();
  const load = await runLoad({
    url: app.url,
    path: spec.path,
    connections,
    durationSec: spec.durationSec ?? settings.durationSec,
    token: spec.token,
    tokens: spec.tokens,
  });
  const cpuMs = app.cpuTimeMs() - cpuBefore;
  const after = await ctx.proxy.counts();
  const during = countsSince(before, after);
  const sinceStart = countsSince(app.countsAtStart, after);
  const row = {
    app: app.label,
    id: spec.id,
    label: spec.label,
    ...load,
    connections,
    // CPU time of the server per request, and how busy it was: on a shared
    // machine the server's own cost per request is steadier than req/s.
    cpuUsPerRequest: (cpuMs * 1000) / load.completed,
    serverCpuShare: cpuMs / 1000 / load.elapsedSec,
    jwksDuringRun: during.jwks,
    jwksSinceStart: sinceStart.jwks,
    keycloakCallsDuringRun: during.introspect + during.userinfo + during.token,
    ...app.memory(),
  };
  ctx.log(describe(row));
  return row;
}

function describe(row) {
  const failed = row.completed - row.ok;
  return (
    `${row.app.padEnd(28)} ${row.label.padEnd(34)} ${row.rps.toFixed(0).padStart(6)} req/s` +
    `  p50 ${row.latencyP50} ms  p99 ${row.latencyP99} ms  CPU ${row.cpuUsPerRequest.toFixed(0)} us/req (${(row.serverCpuShare * 100).toFixed(0)}% busy)  JWKS ${row.jwksDuringRun}/${row.jwksSinceStart}` +
    `  RSS ${row.rssMiB.toFixed(0)} MiB${failed ? `  (${failed} not 2xx, ${row.errors} errors)` : ''}`
  );
}

module.exports = { launch, measure };
