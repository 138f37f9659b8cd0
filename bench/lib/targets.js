'use strict';
// The targets, evaluated on a run's results. Reported, never asserted:
// a timed test on a shared 2-core machine would be flaky.

const FAR_AHEAD = 2; // what "far ahead of nest-keycloak-connect" is taken to mean

/** Two decimals, rounded down: a ratio of 0.899 against a 0.9 target must not read "0.90x, not met". */
const floor2 = (value) => (Math.floor(value * 100) / 100).toFixed(2);

function rowOf(suite, id) {
  return suite && suite.rows ? suite.rows.find((row) => row.id === id) : undefined;
}

/** a's throughput over b's: by req/s, and by server CPU per request (steadier on a shared machine). */
function ratio(a, b) {
  return a && b ? { rps: a.rps / b.rps, cpu: b.cpuUsPerRequest / a.cpuUsPerRequest } : undefined;
}

/** [{ target, achieved (number or text), met (true/false/undefined when not measured) }] */
function evaluateTargets(results) {
  const ours = results.ours;
  const pub = rowOf(ours, 'public');
  const prot = rowOf(ours, 'protected');
  const role = rowOf(ours, 'role');
  const distinct = rowOf(ours, 'distinct');
  const recipe = results.peers.recipe;
  const targets = [];
  // `met` follows req/s, as the issue defines the targets; the CPU-based ratio is shown beside it.
  const add = (target, value, threshold) =>
    targets.push({
      target,
      achieved:
        value === undefined
          ? 'not measured'
          : typeof value === 'number'
            ? `${floor2(value)}x`
            : `${floor2(value.rps)}x (by CPU per request: ${floor2(value.cpu)}x)`,
      met: value === undefined ? undefined : (typeof value === 'number' ? value : value.rps) >= threshold,
    });

  add('protected >= 0.9x public', ratio(prot, pub), 0.9);
  add('role-guarded >= 0.85x public', ratio(role, pub), 0.85);
  const onFastify = results.peers.moduleFastify;
  if (onFastify && onFastify.rows) {
    add('our module on Fastify: protected >= 0.9x its public route', ratio(rowOf(onFastify, 'protected'), rowOf(onFastify, 'public')), 0.9);
    add('our module on Fastify: role-guarded >= 0.85x its public route', ratio(rowOf(onFastify, 'role'), rowOf(onFastify, 'public')), 0.85);
  }
  // Against the common recipe: our full API (helmet, CORS, Swagger, ... on
  // Express) and our module in a minimal app like the recipe's, on each adapter.
  const comparisons = [
    ['our API vs the recipe, both on Express', ours, recipe],
    ['our module vs the recipe, minimal apps on Express', results.peers.moduleExpress, recipe],
    ['our module on Fastify vs the recipe as usually written (Express)', onFastify, recipe],
    ['like for like on Fastify: our module vs the recipe', onFastify, results.peers.recipeFastify],
  ];
  for (const [caseId, threshold, what] of [
    ['protected', 2.5, 'token reused'],
    ['distinct', 2, 'distinct tokens'],
  ]) {
    for (const [name, subject, reference] of comparisons) {
      if (!subject || !reference) continue;
      add(`>= ${threshold}x common recipe, protected, ${what}: ${name}`, ratio(rowOf(subject, caseId), rowOf(reference, caseId)), threshold);
    }
  }
  for (const [key, name] of [
    ['nkcOnline', 'nest-keycloak-connect online'],
    ['nkcOffline', 'nest-keycloak-connect offline'],
  ]) {
    add(`far ahead of ${name} (>= ${FAR_AHEAD}x), token reused`, ratio(prot, rowOf(results.peers[key], 'protected')), FAR_AHEAD);
    add(`far ahead of ${name} (>= ${FAR_AHEAD}x), distinct tokens`, ratio(distinct, rowOf(results.peers[key], 'distinct')), FAR_AHEAD);
  }

  if (ours && ours.rows) {
    const last = ours.rows[ours.rows.length - 1];
    const afterStart = ours.rows.reduce((sum, row) => sum + row.jwksDuringRun, 0);
    targets.push({
      target: 'one JWKS fetch per key, none in steady state',
      achieved: `${last.jwksSinceStart} fetch(es) since start, ${afterStart} during the measured runs`,
      met: last.jwksSinceStart <= 1 && afterStart === 0,
    });
  }
  const flood = results.flood;
  if (flood && flood.valid) {
    targets.push({
      target: 'random-kid flood: at most one JWKS fetch per cooldown window',
      achieved: `${flood.jwksFetches} fetches, ${flood.allowedFetches} allowed (${flood.windowSec.toFixed(1)} s, cooldown ${flood.cooldownSec} s)`,
      met: flood.jwksFetches <= flood.allowedFetches,
    });
    add('random-kid flood: valid traffic keeps >= 0.8x', flood.validRatio, 0.8);
  }
  const memory = ours && ours.memory;
  if (memory) {
    const start = memory.checkpoints[0].rssMiB;
    const afterForged = memory.checkpoints.filter((c) => c.phase === 'forged').pop();
    targets.push({
      target: `memory: ${memory.tokens} failing tokens leave RSS flat`,
      achieved: `${(afterForged.rssMiB - start).toFixed(0)} MiB growth`,
      // Failures are never cached; what is left is allocator and GC noise.
      met: afterForged.rssMiB - start < 40,
    });
    if (memory.valid) {
      // Bounded: once the cache is full (it is long before half-way), RSS stops growing.
      const valid = memory.checkpoints.filter((c) => c.phase === 'valid');
      const half = Math.floor(valid.length / 2);
      const maxOf = (list) => Math.max(...list.map((c) => c.rssMiB));
      const firstHalf = maxOf(valid.slice(0, half));
      const secondHalf = maxOf(valid.slice(half));
      targets.push({
        target: `memory: ${memory.tokens} valid tokens (each sent twice, so each enters the cache), RSS bounded`,
        achieved: `at most ${firstHalf.toFixed(0)} MiB in the first half, ${secondHalf.toFixed(0)} MiB in the second (peak ${valid[valid.length - 1].peakRssMiB.toFixed(0)} MiB)`,
        met: secondHalf - firstHalf < 40,
      });
    }
  }
  return targets;
}

module.exports = { evaluateTargets, FAR_AHEAD };
