// The packed library under Nest 12, which ships as ES modules only, while the
// library is CommonJS (Node 20.19+ loads ESM through require). A scratch
// project outside this repository (so nothing resolves to our Nest 11) gets
// Nest 12 from the registry and the library as `npm pack` makes it, then runs
// test/nest12-app/app.mjs on Express and on Fastify against the real Keycloak.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { audiences, keycloakUrl, realm } from './support/env';
import { passwordGrant } from './support/tokens';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const NEST_12 = ['@nestjs/core@^12', '@nestjs/common@^12', '@nestjs/platform-express@^12', '@nestjs/platform-fastify@^12', '@nestjs/passport@^12', '@nestjs/axios@^12'];
const OTHER_PEERS = ['@nestjs/throttler@^6', 'axios@^1', 'passport@^0.7', 'rxjs@^7', 'reflect-metadata@^0.2'];

interface Answer {
  status: number;
  challenge: string | null;
  body: Record<string, unknown>;
}
interface Answers {
  nest: { version: string; type: string };
  adapter: string;
  open: Answer;
  anonymous: Answer;
  alice: Answer;
  aliceAsManager: Answer;
  bobAsManager: Answer;
}

describe('the packed library on Nest 12 (ESM-only Nest, CommonJS library)', () => {
  let scratch: string;
  let tokens: { alice: string; bob: string };

  beforeAll(async () => {
    scratch = mkdtempSync(path.join(tmpdir(), 'nka-nest12-'));
    const packageDir = path.join(scratch, 'package');
    await run(process.execPath, [path.join(ROOT, 'scripts', 'build-lib.js'), '--out', packageDir], { cwd: ROOT });
    await run(NPM, ['pack', '--silent', '--pack-destination', scratch], { cwd: packageDir });
    const tarball = readdirSync(scratch).find((name) => name.endsWith('.tgz'));
    if (!tarball) throw new Error('npm pack made no tarball');
    const project = path.join(scratch, 'project');
    mkdirSync(project);
    writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'nest12-consumer', private: true, type: 'module' }));
    await run(NPM, ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error', ...NEST_12, ...OTHER_PEERS, path.join(scratch, tarball)], {
      cwd: project,
      timeout: 300_000,
    });
    copyFileSync(path.join(__dirname, 'nest12-app', 'app.mjs'), path.join(project, 'app.mjs'));
    const [alice, bob] = await Promise.all([passwordGrant('alice'), passwordGrant('bob')]);
    tokens = { alice: alice.accessToken, bob: bob.accessToken };
  }, 400_000);
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  async function answersOn(adapter: 'express' | 'fastify'): Promise<Answers> {
    const { stdout } = await run(process.execPath, ['app.mjs'], {
      cwd: path.join(scratch, 'project'),
      timeout: 60_000,
      env: {
        PATH: process.env.PATH,
        KEYCLOAK_URL: keycloakUrl(),
        KEYCLOAK_REALM: realm(),
        AUDIENCE: audiences.main,
        ADAPTER: adapter,
        ALICE: tokens.alice,
        BOB: tokens.bob,
      },
    });
    return JSON.parse(stdout.trim().split('\n').pop() as string) as Answers;
  }

  it.each(['express', 'fastify'] as const)('protects routes on %s exactly as on Nest 11', async (adapter) => {
    const answers = await answersOn(adapter);
    // The premise: this really is Nest 12, published as ES modules only.
    expect(answers.nest.version).toMatch(/^12\./);
    expect(answers.nest.type).toBe('module');
    expect(answers.adapter).toBe(adapter);
    expect(answers.open).toMatchObject({ status: 200, body: { ok: true } });
    expect(answers.anonymous).toMatchObject({ status: 401, challenge: `Bearer realm="${realm()}"` });
    expect(answers.alice).toMatchObject({ status: 200, body: { username: 'alice' } });
    expect(answers.aliceAsManager.status).toBe(403);
    expect(answers.aliceAsManager.challenge).toMatch(/error="insufficient_scope"/);
    expect(answers.bobAsManager).toMatchObject({ status: 200, body: { readBy: 'bob' } });
  });
});
