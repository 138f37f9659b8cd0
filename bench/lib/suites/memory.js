'use strict';
// The memory case, on our API process after cases 1-3b:
//   A. `memoryTokens` distinct forged tokens (real claims and kid, random
//      signature): every one fails, and none may be remembered;
//   B. `memoryTokens` distinct validly signed tokens (minted with a passive key
//      the bench added to its own realm, see minting-key.js), each sent twice
//      in a row: the verified-token cache admits a token on its second use, so
//      every token enters it; the cache fills to its bound and must stay there.
// RSS is read after every tenth of each phase.

const { forgedTokens } = require('../forged-tokens');
const { runLoad } = require('../load');
const { mintTokens } = require('../minting-key');

const CHUNKS = 10;

async function sendInChunks(ctx, app, phase, tokens, checkpoints) {
  const size = Math.ceil(tokens.length / CHUNKS);
  const totals = { phase, sent: 0, ok: 0, elapsedSec: 0, worstP99: 0 };
  for (let start = 0; start < tokens.length; start += size) {
    const load = await runLoad({
      url: app.url,
      path: '/api/protected',
      connections: ctx.settings.connections,
      tokens: tokens.slice(start, start + size),
    });
    totals.sent += load.completed;
    totals.ok += load.ok;
    totals.elapsedSec += load.elapsedSec;
    totals.worstP99 = Math.max(totals.worstP99, load.latencyP99);
    checkpoints.push({ phase, sent: totals.sent, ...app.memory() });
  }
  totals.rps = totals.sent / totals.elapsedSec;
  const last = checkpoints[checkpoints.length - 1];
  ctx.log(
    `memory ${phase.padEnd(8)} ${totals.sent} sent, ${totals.ok} accepted, ${totals.rps.toFixed(0)} req/s, ` +
      `RSS ${last.rssMiB.toFixed(0)} MiB (peak ${last.peakRssMiB.toFixed(0)} MiB)`,
  );
  return totals;
}

async function memoryCase(ctx, app) {
  const { settings } = ctx;
  const checkpoints = [{ phase: 'start', sent: 0, ...app.memory() }];
  const forged = forgedTokens(ctx.claims.alice, settings.memoryTokens, { kid: ctx.kid });
  const failures = await sendInChunks(ctx, app, 'forged', forged, checkpoints);
  let valid;
  let note;
  if (ctx.mintingKey) {
    ctx.log(`minting ${settings.memoryTokens} validly signed tokens`);
    const minted = await mintTokens(ctx.mintingKey, ctx.claims.alice, settings.memoryTokens);
    valid = await sendInChunks(ctx, app, 'valid', minted.flatMap((token) => [token, token]), checkpoints);
  } else {
    note = 'validly signed phase skipped: the bench does not change a reused Keycloak (BENCH_KEYCLOAK_URL) realm';
    ctx.log(`memory: ${note}`);
  }
  return { tokens: settings.memoryTokens, checkpoints, failures, valid, note };
}

module.exports = { memoryCase };
