'use strict';
// The stress case: forged tokens with random unknown `kid`s sent alongside
// valid traffic. Each unknown kid may make the API look for a rotated key, at
// most once per JWKS cooldown; this instance runs with a short cooldown
// (BENCH_FLOOD_COOLDOWN) so the run spans several windows and the bound is
// actually exercised. Valid traffic is measured alone, then with the flood.

const { startOurs } = require('../apps');
const { countsSince } = require('../counting-proxy');
const { forgedTokens } = require('../forged-tokens');
const { runLoad } = require('../load');
const { launch, measure } = require('../measure');

const FLOOD_CONNECTIONS = 10;

async function benchFlood(ctx) {
  const { settings } = ctx;
  const cooldownSec = settings.floodCooldownSec;
  const app = await launch(ctx, `ours, JWKS cooldown ${cooldownSec} s`, () =>
    startOurs(settings, ctx.proxy.url, { name: 'ours-flood', env: { AUTH_JWKS_COOLDOWN_SECONDS: String(cooldownSec) } }),
  );
  try {
    const users = await ctx.tokens.userTokens();
    const protectedRoute = { path: '/api/protected', token: users.alice };
    const alone = await measure(ctx, app, { id: 'flood-baseline', label: 'valid traffic alone', ...protectedRoute });
    const forged = forgedTokens(ctx.claims.alice, settings.floodTokens, { kid: 'random' });
    const before = await ctx.proxy.counts();
    const [valid, flood] = await Promise.all([
      runLoad({ url: app.url, connections: settings.connections, durationSec: settings.durationSec, ...protectedRoute }),
      runLoad({
        url: app.url,
        path: '/api/protected',
        connections: FLOOD_CONNECTIONS,
        tokens: forged,
        overallRate: Math.ceil(settings.floodTokens / settings.durationSec),
      }),
    ]);
    const during = countsSince(before, await ctx.proxy.counts());
    const windowSec = Math.max(valid.elapsedSec, flood.elapsedSec);
    const result = {
      cooldownSec,
      alone,
      valid,
      flood,
      jwksFetches: during.jwks,
      allowedFetches: Math.floor(windowSec / cooldownSec) + 1,
      windowSec,
      validRatio: valid.okRps / alone.okRps,
      ...app.memory(),
    };
    ctx.log(
      `flood: ${flood.completed} forged (${flood.ok} accepted), ${during.jwks} JWKS fetches ` +
        `(allowed ${result.allowedFetches} in ${windowSec.toFixed(1)} s), valid ${valid.okRps.toFixed(0)} req/s ` +
        `= ${result.validRatio.toFixed(2)}x of ${alone.okRps.toFixed(0)} alone`,
    );
    return result;
  } finally {
    await app.stop();
  }
}

module.exports = { benchFlood };
