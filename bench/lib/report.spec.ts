// The bench's verdicts and report, from made-up results: which targets are met
// by which pairing, the memory plateau rule, and that a rewrite of
// BENCHMARKS.md touches only its generated part. Nothing here is timed.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// The bench is plain CommonJS JavaScript, so its modules are required and typed here.
interface Target {
  target: string;
  achieved: string;
  met: boolean | undefined;
}
const { evaluateTargets } = require('./targets') as { evaluateTargets: (results: unknown) => Target[] };
const { markdown, writeMarkdown, OUR_API } = require('./report') as {
  markdown: (results: unknown, chart?: string) => string;
  writeMarkdown: (file: string, generated: string) => void;
  OUR_API: string;
};

function row(id: string, rps: number, cpuUsPerRequest = 1e6 / rps) {
  return {
    id,
    label: id,
    rps,
    okRps: rps,
    completed: 1000,
    ok: 1000,
    cpuUsPerRequest,
    latencyP50: 1,
    latencyP99: 2,
    jwksDuringRun: 0,
    jwksSinceStart: 1,
    keycloakCallsDuringRun: 0,
    rssMiB: 100,
  };
}

const suite = (rates: Record<string, number>) => ({ rows: Object.entries(rates).map(([id, rps]) => row(id, rps)) });

function results(overrides: Record<string, unknown> = {}) {
  return {
    meta: {
      date: '2026-11-23T00:00:00Z',
      cores: 2,
      cpuModel: 'test CPU',
      memoryGiB: 24,
      node: 'v20',
      keycloakVersion: '26',
      keycloakNote: 'test',
      commit: 'abc1234',
      connections: 50,
      durationSec: 10,
      warmupSec: 3,
      pool: 'no distinct-token pool',
    },
    ours: suite({ public: 1000, protected: 950, role: 900, distinct: 400 }),
    flood: undefined,
    peers: {
      moduleFastify: suite({ public: 8000, protected: 6000, role: 6000, distinct: 1200 }),
      recipe: suite({ public: 1000, protected: 300, distinct: 250 }),
      recipeFastify: suite({ public: 8000, protected: 500, distinct: 700 }),
    },
    notes: [],
    ...overrides,
  };
}

const find = (targets: Target[], text: string): Target => {
  const found = targets.find((t) => t.target.includes(text));
  if (!found) throw new Error(`no target mentioning "${text}" in:\n${targets.map((t) => t.target).join('\n')}`);
  return found;
};

describe('bench targets', () => {
  it('judges our API against its own public route by requests per second', () => {
    const targets = evaluateTargets(results());
    expect(find(targets, 'protected >= 0.9x public')).toMatchObject({ met: true, achieved: expect.stringMatching(/^0\.95x/) });
    expect(find(targets, 'role-guarded >= 0.85x public')).toMatchObject({ met: true });
    const slower = evaluateTargets(results({ ours: suite({ public: 1000, protected: 899.9, role: 800, distinct: 400 }) }));
    // Rounded down for display: just short of 0.9 never reads "0.90x" beside "not met".
    expect(find(slower, 'protected >= 0.9x public')).toMatchObject({ met: false, achieved: expect.stringMatching(/^0\.89x/) });
    expect(find(slower, 'role-guarded >= 0.85x public').met).toBe(false);
  });

  it('reports every pairing with the recipe that was measured, and only those', () => {
    const targets = evaluateTargets(results());
    const distinct = targets.filter((t) => t.target.startsWith('>= 2x common recipe, protected, distinct tokens'));
    expect(distinct.map((t) => [t.target.replace(/^.*distinct tokens: /, ''), t.met])).toEqual([
      ['our API vs the recipe, both on Express', false],
      ['our module on Fastify vs the recipe as usually written (Express)', true],
      ['like for like on Fastify: our module vs the recipe', false],
    ]);
    expect(find(targets, 'token reused: our API vs the recipe').achieved).toMatch(/^3\.16x \(by CPU per request: 3\.16x\)$/);
  });

  it('marks targets whose apps were not measured as such', () => {
    const targets = evaluateTargets(results({ peers: {} }));
    expect(find(targets, 'far ahead of nest-keycloak-connect online')).toMatchObject({ met: undefined, achieved: 'not measured' });
    expect(targets.some((t) => t.target.includes('like for like'))).toBe(false);
  });

  it('counts a flood within its fetch allowance and judges the valid traffic it leaves', () => {
    const flood = { valid: {}, jwksFetches: 7, allowedFetches: 9, windowSec: 13, cooldownSec: 2, validRatio: 0.79 };
    const targets = evaluateTargets(results({ flood }));
    expect(find(targets, 'at most one JWKS fetch per cooldown window').met).toBe(true);
    expect(find(targets, 'valid traffic keeps >= 0.8x')).toMatchObject({ met: false, achieved: '0.79x' });
    const tooMany = evaluateTargets(results({ flood: { ...flood, jwksFetches: 10 } }));
    expect(find(tooMany, 'at most one JWKS fetch per cooldown window').met).toBe(false);
  });

  it('calls memory bounded when the second half of the valid phase stops growing', () => {
    const memoryWith = (valid: number[]) => ({
      tokens: 100000,
      checkpoints: [
        { phase: 'start', sent: 0, rssMiB: 180, peakRssMiB: 180 },
        { phase: 'forged', sent: 100000, rssMiB: 190, peakRssMiB: 200 },
        ...valid.map((rssMiB, i) => ({ phase: 'valid', sent: (i + 1) * 20000, rssMiB, peakRssMiB: Math.max(...valid) })),
      ],
      failures: {},
      valid: {},
    });
    const plateau = evaluateTargets(results({ ours: { ...suite({ public: 1 }), memory: memoryWith([250, 310, 320, 318, 321, 319]) } }));
    expect(find(plateau, 'valid tokens').met).toBe(true);
    expect(find(plateau, 'failing tokens leave RSS flat')).toMatchObject({ met: true, achieved: '10 MiB growth' });
    const leak = evaluateTargets(results({ ours: { ...suite({ public: 1 }), memory: memoryWith([250, 280, 300, 340, 380, 420]) } }));
    expect(find(leak, 'valid tokens').met).toBe(false);
  });
});

describe('bench report', () => {
  it('names our full API, our module and the peers, and marks missed targets', () => {
    const text = markdown(results(), 'docs/benchmarks.png');
    expect(text).toContain(`| ${OUR_API} | public | 1,000 |`);
    expect(text).toContain('| our module, minimal app, Fastify | distinct | 1,200 |');
    expect(text).toContain('![requests per second by app and case](docs/benchmarks.png)');
    expect(text).toMatch(/distinct tokens: like for like on Fastify: our module vs the recipe \| 1\.71x [^|]*\| \*\*no\*\* \|/);
    expect(text).toMatch(/distinct tokens: our module on Fastify vs the recipe as usually written \(Express\) \| 4\.80x [^|]*\| yes \|/);
  });

  it('rewrites only the generated part of the file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bench-report-'));
    try {
      const file = path.join(dir, 'BENCHMARKS.md');
      const first = markdown(results());
      writeMarkdown(file, first);
      writeFileSync(file, `# Benchmarks\n\nProse before.\n\n${readFileSync(file, 'utf8').split('\n').slice(2).join('\n')}\nProse after.\n`);
      writeMarkdown(file, markdown(results({ ours: suite({ public: 2000, protected: 1900, role: 1800, distinct: 800 }) })));
      const text = readFileSync(file, 'utf8');
      expect(text.startsWith('# Benchmarks\n\nProse before.\n')).toBe(true);
      expect(text.endsWith('Prose after.\n')).toBe(true);
      expect(text).toContain(`| ${OUR_API} | public | 2,000 |`);
      expect(text).not.toContain(`| ${OUR_API} | public | 1,000 |`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
