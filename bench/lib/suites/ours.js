'use strict';
// Cases 1-3b: our API's public, protected (token reused) and role-guarded
// routes, interleaved; the cold path (distinct real tokens, each once); then,
// on the same process, the memory case.

const { startOurs } = require('../apps');
const { launch, measureDistinct, measureInterleaved } = require('../measure');
const { wants } = require('../settings');
const { memoryCase } = require('./memory');

async function benchOurs(ctx) {
  const app = await launch(ctx, 'ours', () => startOurs(ctx.settings, ctx.proxy.url));
  try {
    const users = await ctx.tokens.userTokens();
    const rows = await measureInterleaved(ctx, app, [
      { id: 'public', label: 'public route', path: '/api/public' },
      { id: 'protected', label: 'protected, token reused', path: '/api/protected', token: users.alice },
      { id: 'role', label: 'role-guarded (bob, manager)', path: '/api/manager', token: users.bob },
    ]);
    const pool = await ctx.tokens.distinctTokens();
    rows.push(
      await measureDistinct(ctx, app, {
        id: 'distinct',
        label: `protected, ${pool.tokens.length} distinct tokens`,
        path: '/api/protected',
        tokens: pool.tokens,
      }),
    );
    const memory = wants(ctx.settings, 'memory') ? await memoryCase(ctx, app) : undefined;
    return { rows, memory };
  } finally {
    await app.stop();
  }
}

module.exports = { benchOurs };
