'use strict';
// Turns a run's results into the console table and the generated part of
// BENCHMARKS.md (between the two markers; the prose around them is kept).

const fs = require('node:fs');
const { evaluateTargets } = require('./targets');

const START = '<!-- bench:generated:start (npm run bench rewrites this part) -->';
const END = '<!-- bench:generated:end -->';

/** Display name of our full API (the app in src/, on Express); its public route is the table's base. */
const OUR_API = 'our API, Express';

const APPS = [
  ['ours', OUR_API],
  ['moduleExpress', 'our module, minimal app, Express'],
  ['moduleFastify', 'our module, minimal app, Fastify'],
  ['recipe', 'common recipe'],
  ['recipeFastify', 'common recipe, Fastify'],
  ['nkcOffline', 'nest-keycloak-connect, offline'],
  ['nkcOnline', 'nest-keycloak-connect, online'],
];

/** Every measured row with its app's display name, in table order. */
function mainRows(results) {
  const rows = [];
  for (const [key, name] of APPS) {
    const suite = key === 'ours' ? results.ours : results.peers[key];
    if (!suite) continue;
    if (suite.error) rows.push({ appName: name, error: suite.error });
    else for (const row of suite.rows) rows.push({ appName: name, ...row });
  }
  return rows;
}

function ourPublicRps(results) {
  const row = results.ours && results.ours.rows && results.ours.rows.find((r) => r.id === 'public');
  return row ? row.rps : undefined;
}

const fmt = {
  rps: (v) => Math.round(v).toLocaleString('en-US'),
  ms: (v) => (Number.isFinite(v) ? `${v}` : '-'),
  ratio: (v, base) => (base ? `${(v / base).toFixed(2)}x` : '-'),
  mib: (v) => (Number.isFinite(v) ? `${v.toFixed(0)}` : '-'),
  cpu: (v) => (Number.isFinite(v) ? `${v.toFixed(0)}` : '-'),
};

function tableCells(results) {
  const base = ourPublicRps(results);
  return mainRows(results).map((row) =>
    row.error
      ? [row.appName, `not measured: ${row.error}`, ...HEADER.slice(2).map(() => '')]
      : [
          row.appName,
          row.label,
          fmt.rps(row.rps),
          fmt.ms(row.latencyP50),
          fmt.ms(row.latencyP99),
          fmt.cpu(row.cpuUsPerRequest),
          fmt.ratio(row.rps, base),
          `${row.jwksDuringRun} / ${row.jwksSinceStart}`,
          `${row.keycloakCallsDuringRun}`,
          fmt.mib(row.rssMiB),
          row.completed !== row.ok ? `${row.completed - row.ok} not 2xx` : '',
        ],
  );
}

const HEADER = ['app', 'case', 'req/s', 'p50 ms', 'p99 ms', 'server CPU µs/req', 'vs our public', 'JWKS run / total', 'Keycloak calls', 'RSS MiB', ''];

function consoleTable(results) {
  const rows = [HEADER, ...tableCells(results)];
  const widths = HEADER.map((_, i) => Math.max(...rows.map((r) => String(r[i] ?? '').length)));
  const line = (r) => r.map((cell, i) => String(cell ?? '').padEnd(widths[i])).join('  ').trimEnd();
  const targets = evaluateTargets(results).map(
    (t) => `${t.met === undefined ? '  ?' : t.met ? ' ok' : 'MISS'}  ${t.target}: ${t.achieved}`,
  );
  return [line(rows[0]), ...rows.slice(1).map(line), '', 'Targets:', ...targets].join('\n');
}

function mdTable(header, rows) {
  const esc = (cell) => String(cell ?? '').replace(/\|/g, '\\|');
  return [
    `| ${header.map(esc).join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}

function markdown(results, chartRelPath) {
  const m = results.meta;
  const parts = [
    START,
    `Run of ${m.date} on ${m.cores} cores (${m.cpuModel}), ${m.memoryGiB} GiB, Node ${m.node}, ` +
      `Keycloak ${m.keycloakVersion} (${m.keycloakNote}), commit ${m.commit}. ` +
      `autocannon, ${m.connections} connections, ${m.durationSec} s per duration-bound case after ${m.warmupSec} s of warm-up; ` +
      `distinct-token cases send each token once. Real Keycloak tokens: ${m.pool}.`,
    '',
    mdTable(HEADER.slice(0, -1).concat(['note']), tableCells(results)),
    '',
    '"server CPU µs/req": user+system CPU time of the server process during the case divided by its requests. ' +
      '"JWKS run / total": JWKS requests the app made during that case / since it started. ' +
      '"Keycloak calls": token, introspection and userinfo requests during the case.',
  ];
  if (chartRelPath) parts.push('', `![requests per second by app and case](${chartRelPath})`);
  parts.push('', '#### Targets', '', mdTable(['target', 'achieved', 'met'], evaluateTargets(results).map((t) => [t.target, t.achieved, t.met === undefined ? '-' : t.met ? 'yes' : '**no**'])));
  const flood = results.flood;
  if (flood && flood.valid) {
    parts.push(
      '',
      `#### Random-kid flood (${flood.flood.completed} forged tokens, JWKS cooldown ${flood.cooldownSec} s)`,
      '',
      mdTable(
        ['traffic', 'req/s', 'p50 ms', 'p99 ms', 'answers'],
        [
          ['valid alone', fmt.rps(flood.alone.okRps), flood.alone.latencyP50, flood.alone.latencyP99, `${flood.alone.ok} 2xx`],
          ['valid, during the flood', fmt.rps(flood.valid.okRps), flood.valid.latencyP50, flood.valid.latencyP99, `${flood.valid.ok} 2xx`],
          ['forged (random kid)', fmt.rps(flood.flood.rps), flood.flood.latencyP50, flood.flood.latencyP99, statusSummary(flood.flood)],
        ],
      ),
      '',
      `JWKS fetches during the flood: **${flood.jwksFetches}** (at most one per ${flood.cooldownSec} s window allows ${flood.allowedFetches} in ${flood.windowSec.toFixed(1)} s); ` +
        `valid traffic kept **${flood.validRatio.toFixed(2)}x** its throughput; RSS ${fmt.mib(flood.rssMiB)} MiB.`,
    );
  }
  const memory = results.ours && results.ours.memory;
  if (memory) {
    parts.push(
      '',
      `#### Memory (${memory.tokens.toLocaleString('en-US')} distinct tokens per phase, the valid ones sent twice each; RSS of our API process)`,
      '',
    );
    parts.push(
      mdTable(
        ['phase', 'tokens sent', 'RSS MiB', 'peak RSS MiB'],
        memory.checkpoints.map((c) => [c.phase, c.sent.toLocaleString('en-US'), fmt.mib(c.rssMiB), fmt.mib(c.peakRssMiB)]),
      ),
    );
    const phases = [memory.failures, memory.valid].filter(Boolean);
    parts.push(
      '',
      phases
        .map((p) => `${p.phase}: ${p.sent.toLocaleString('en-US')} sent, ${p.ok.toLocaleString('en-US')} accepted, ${fmt.rps(p.rps)} req/s, worst p99 ${p.worstP99} ms.`)
        .join(' ') + (memory.note ? ` ${memory.note}.` : ''),
    );
  }
  if (results.notes.length) parts.push('', ...results.notes.map((n) => `- ${n}`));
  parts.push(END);
  return parts.join('\n');
}

function statusSummary(load) {
  return Object.entries(load.statusCodes || {})
    .map(([code, { count }]) => `${count} x ${code}`)
    .join(', ');
}

/** Replaces the generated part of `file`, creating the file if needed. */
function writeMarkdown(file, generated) {
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : `# Benchmarks\n\n${START}\n${END}\n`;
  const start = current.indexOf(START);
  const end = current.indexOf(END);
  const next =
    start >= 0 && end > start
      ? `${current.slice(0, start)}${generated}${current.slice(end + END.length)}`
      : `${current.trimEnd()}\n\n${generated}\n`;
  fs.writeFileSync(file, next);
}

module.exports = { consoleTable, markdown, writeMarkdown, mainRows, ourPublicRps, OUR_API };
