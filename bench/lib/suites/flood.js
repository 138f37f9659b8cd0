'use strict';
// The stress case: forged tokens with random unknown `kid`s sent alongside
// valid traffic. Each unknown kid may make the API look for a rotated key, at
// most once per JWKS cooldown; this instance runs with a short cooldown
// (BENCH_FLOOD_COOLDOWN) so the run spans several windows and the bound is
// actually exercised. Rounds alternate valid traffic alone and valid traffic
// under the flood; each flood round sends its share of the forged tokens,
// spread evenly over the round.

const { startOurs } = require('../apps');
const { countsSince } = require('../counting-proxy');
const { forgedTokens } = require('../forged-tokens');
const { runLoad, warmUp } = require('../load');
const { launch, measureOnce, median } = require('../measure');

const FLOOD_CONNECTIONS = 10;

async function benchFlood(ctx) {
  const { settings } = ctx;
  const cooldownSec = settings.floodCooldownSec;
  const app = await launch(ctx, `ours, JWKS cooldown ${cooldownSec} s`, () =>
    startOurs(settings, ctx.proxy.url, { name: 'ours-flood', env: { AUTH_JWKS_COOLDOWN_SECONDS: String(cooldownSec) } }),
  );
  try {
    const users = await ctx.tokens.userTokens();
    const valid = { id: 'flood-valid', label: 'valid traffic', path: '/api/protected', token: users.alice };
    const roundSec = settings.durationSec / settings.rounds;
    const forged = forgedTokens(ctx.claims.alice, settings.floodTokens, { kid: 'random' });
    const share = Math.ceil(forged.length / settings.rounds);
    await warmUp(app.url, valid.path, valid.token, settings);
    const alone = [];
    const under = [];
    const floods = [];
    let windowSec = 0;
    const before = await ctx.proxy.counts();
    for (let round = 0; round < settings.rounds; round++) {
      alone.push(await measureOnce(ctx, app, valid, roundSec));
      const tokens = forged.slice(round * share, (round + 1) * share);
      const started = performance.now();
      const [validRun, floodRun] = await Promise.all([
        measureOnce(ctx, app, valid, roundSec),
        runLoad({ url: app.url, path: valid.path, connections: FLOOD_CONNECTIONS, tokens, overallRate: Math.ceil(tokens.length / roundSec) }),
      ]);
      windowSec += (performance.now() - started) / 1000;
      under.push(validRun);
      floods.push(floodRun);
    }
    const jwksFetches = countsSince(before, await ctx.proxy.counts()).jwks;
    const floodTotals = {
      completed: floods.reduce((n, f) => n + f.completed, 0),
      ok: floods.reduce((n, f) => n + f.ok, 0),
      rps: median(floods.map((f) => f.rps)),
      latencyP50: median(floods.map((f) => f.latencyP50)),
      latencyP99: median(floods.map((f) => f.latencyP99)),
      statusCodes: mergeStatusCodes(floods),
    };
    const summary = (runs) => ({
      okRps: median(runs.map((r) => r.okRps)),
      ok: runs.reduce((n, r) => n + r.ok, 0),
      latencyP50: median(runs.map((r) => r.latencyP50)),
      latencyP99: median(runs.map((r) => r.latencyP99)),
      cpuUsPerRequest: median(runs.map((r) => r.cpuUsPerRequest)),
    });
    const result = {
      cooldownSec,
      alone: summary(alone),
      valid: summary(under),
      flood: floodTotals,
      jwksFetches,
      // Every flood round may open a new window, plus one per cooldown within the rounds.
      allowedFetches: floods.length + Math.floor(windowSec / cooldownSec),
      windowSec,
      validRatio: summary(under).okRps / summary(alone).okRps,
      ...app.memory(),
    };
    ctx.log(
      `flood: ${floodTotals.completed} forged (${floodTotals.ok} accepted), ${jwksFetches} JWKS fetches ` +
        `(allowed ${result.allowedFetches} over ${windowSec.toFixed(1)} s of flood), valid ${result.valid.okRps.toFixed(0)} req/s ` +
        `= ${result.validRatio.toFixed(2)}x of ${result.alone.okRps.toFixed(0)} alone`,
    );
    return result;
  } finally {
    await app.stop();
  }
}

function mergeStatusCodes(runs) {
  const merged = {};
  for (const run of runs) {
    for (const [code, { count }] of Object.entries(run.statusCodes || {})) merged[code] = { count: (merged[code]?.count ?? 0) + count };
  }
  return merged;
}

module.exports = { benchFlood };
