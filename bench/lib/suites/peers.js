'use strict';
// Cases 4 and 5: the common recipe and nest-keycloak-connect, each on the same
// routes, tokens and concurrency as ours.

const { launch, measureDistinct, measureInterleaved } = require('../measure');

/**
 * `start` starts the app. A distinct-token run lasts at most about one
 * duration: an app that calls Keycloak per request gets as many tokens as its
 * reused-token rate would serve in that time. `withRoles`: the app also has
 * the role-guarded /api/manager route (our module's apps).
 */
async function benchPeer(ctx, label, start, { withRoles = false } = {}) {
  const app = await launch(ctx, label, start);
  try {
    const users = await ctx.tokens.userTokens();
    const specs = [
      { id: 'public', label: 'public route', path: '/api/public' },
      { id: 'protected', label: 'protected, token reused', path: '/api/protected', token: users.alice },
    ];
    if (withRoles) specs.push({ id: 'role', label: 'role-guarded (bob, manager)', path: '/api/manager', token: users.bob });
    const rows = await measureInterleaved(ctx, app, specs);
    const pool = await ctx.tokens.distinctTokens();
    const budget = Math.max(ctx.settings.connections * 20, Math.round(rows[1].rps * ctx.settings.durationSec));
    const tokens = pool.tokens.slice(0, Math.min(pool.tokens.length, budget));
    rows.push(
      await measureDistinct(ctx, app, { id: 'distinct', label: `protected, ${tokens.length} distinct tokens`, path: '/api/protected', tokens }),
    );
    return { rows };
  } finally {
    await app.stop();
  }
}

module.exports = { benchPeer };
