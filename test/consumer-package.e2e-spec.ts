// The library build (`npm run build:lib`): JavaScript + declarations of src/auth
// and a package.json another project can depend on. Built into a scratch
// folder laid out like an installed package, then used the way a consumer
// would: required by name, type-checked against, deep imports refused.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..');
// Inside the repository, so the package resolves its peers from our node_modules.
const SCRATCH = path.join(ROOT, '.cache', `consumer-package-${process.pid}`);
const PACKAGE = path.join(SCRATCH, 'node_modules', 'nest-keycloak-auth');

/** The whole public API; anything else showing up in index.js is a leak. */
const RUNTIME_EXPORTS = [
  'AUTH_THROTTLER',
  'CSRF_FORM_FIELD',
  'CSRF_HEADER',
  'CsrfError',
  'InvalidSessionError',
  'OAuthFlowError',
  'RouteAccessPolicy',
  'AuthError',
  'AuthHttpModule',
  'AuthModule',
  'AuthOptionsError',
  'ClientCredentialsError',
  'ClientCredentialsTokenProvider',
  'CurrentUser',
  'IS_PUBLIC_KEY',
  'InsufficientScopeError',
  'InvalidRequestError',
  'InvalidTokenError',
  'JwtAuthGuard',
  'KeySetUnavailableError',
  'MissingCredentialsError',
  'OidcDiscoveryService',
  'Public',
  'ROLES_KEY',
  'Roles',
  'RolesGuard',
  'TemporarilyUnavailableError',
];

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? files(path.join(dir, entry.name)) : [path.relative(PACKAGE, path.join(dir, entry.name))],
  );
}

async function node(script: string): Promise<string> {
  const { stdout } = await run(process.execPath, ['-e', script], { cwd: SCRATCH });
  return stdout.trim();
}

describe('the library build (npm run build:lib)', () => {
  let manifest: {
    name: string;
    main: string;
    types: string;
    exports: Record<string, unknown>;
    peerDependencies: Record<string, string>;
    peerDependenciesMeta?: Record<string, { optional?: boolean }>;
    dependencies: Record<string, string>;
  };

  beforeAll(async () => {
    rmSync(SCRATCH, { recursive: true, force: true });
    await run(process.execPath, [path.join(ROOT, 'scripts', 'build-lib.js'), '--out', PACKAGE], { cwd: ROOT });
    manifest = JSON.parse(readFileSync(path.join(PACKAGE, 'package.json'), 'utf8'));
  }, 120_000);
  afterAll(() => rmSync(SCRATCH, { recursive: true, force: true }));

  it('emits JavaScript and declarations for the entry point, without specs or test helpers', () => {
    const emitted = files(PACKAGE);
    expect(emitted).toEqual(expect.arrayContaining(['index.js', 'index.d.ts', 'package.json', 'client-credentials/auth-http.module.js']));
    expect(emitted.filter((file) => !/\.(js|d\.ts)$/.test(file) && file !== 'package.json')).toEqual([]);
    expect(emitted.filter((file) => /\.spec\.|(^|\/)testing\//.test(file))).toEqual([]);
    // Only src/auth is compiled (rootDir): nothing from src/config, src/features, … lands here.
    expect(emitted.some((file) => file.startsWith('config/') || file.startsWith('features/'))).toBe(false);
  });

  it('describes a package whose peers admit Nest 11 and 12', () => {
    expect(manifest).toMatchObject({ name: 'nest-keycloak-auth', main: './index.js', types: './index.d.ts' });
    const majors = (range: string) => range.split('||').map((part) => part.trim());
    for (const peer of ['@nestjs/common', '@nestjs/core', '@nestjs/passport']) {
      expect(majors(manifest.peerDependencies[peer])).toEqual(expect.arrayContaining(['^11.0.0', '^12.0.0']));
    }
    expect(majors(manifest.peerDependencies['@nestjs/axios'])).toEqual(expect.arrayContaining(['^4.0.0', '^12.0.0']));
    for (const peer of ['passport', 'rxjs', 'reflect-metadata']) expect(manifest.peerDependencies[peer]).toBeDefined();
    // ioredis is loaded only when sessions go to Redis: an optional peer, not a dependency.
    expect(Object.keys(manifest.dependencies).sort()).toEqual(['jwks-rsa', 'passport-strategy']);
    expect(manifest.peerDependencies.ioredis).toBeDefined();
    expect(manifest.peerDependenciesMeta?.ioredis).toEqual({ optional: true });
    // A Nest package must never bring its own copy of Nest.
    expect(Object.keys(manifest.dependencies).filter((name) => name.startsWith('@nestjs/'))).toEqual([]);
  });

  it('loads by package name and exports exactly the public API', async () => {
    const names = JSON.parse(await node("console.log(JSON.stringify(Object.keys(require('nest-keycloak-auth')).sort()))"));
    expect(names).toEqual([...RUNTIME_EXPORTS].sort());
  });

  it('refuses deep imports into its internals', async () => {
    const outcome = await node(
      "try { require('nest-keycloak-auth/token'); console.log('loaded') } catch (e) { console.log(e.code) }",
    );
    expect(outcome).toBe('ERR_PACKAGE_PATH_NOT_EXPORTED');
  });

  it('type-checks a consumer written against its declarations', async () => {
    const consumer = path.join(SCRATCH, 'consumer.ts');
    writeFileSync(
      consumer,
      [
        "import { Controller, Get, Module } from '@nestjs/common';",
        "import { AuthHttpModule, AuthModule, ClientCredentialsError, CurrentUser, Public, Roles, type AuthPrincipal } from 'nest-keycloak-auth';",
        '@Controller()',
        'class OrdersController {',
        "  @Public() @Get('health') health(): string { return 'ok'; }",
        "  @Roles({ client: ['orders:read'] }) @Get('orders') orders(@CurrentUser() user: AuthPrincipal): string { return user.subject; }",
        '}',
        '@Module({',
        "  imports: [AuthModule.forRoot({ keycloakUrl: 'https://sso.example.com', realm: 'shop', audience: 'orders' }), AuthHttpModule.register({ renewMarginSeconds: 30 })],",
        '  controllers: [OrdersController],',
        '})',
        'export class AppModule {}',
        "export const isTokenFailure = (e: unknown): boolean => e instanceof ClientCredentialsError && e.failure === 'unreachable';",
        '// @ts-expect-error: the options are typed; a wrong defaultAccess must not compile.',
        "AuthModule.forRoot({ issuer: 'https://sso.example.com/realms/shop', audience: 'a', defaultAccess: 'open' });",
        '',
      ].join('\n'),
    );
    writeFileSync(
      path.join(SCRATCH, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          noEmit: true,
          strict: true,
          experimentalDecorators: true,
          emitDecoratorMetadata: true,
          module: 'node16',
          moduleResolution: 'node16',
          target: 'ES2022',
          skipLibCheck: true,
          types: ['node'],
        },
        files: ['consumer.ts'],
      }),
    );
    const tsc = require.resolve('typescript/bin/tsc', { paths: [ROOT] });
    const result = await run(process.execPath, [tsc, '-p', SCRATCH]).then(
      () => '',
      (error: { stdout?: string }) => error.stdout ?? String(error),
    );
    expect(result).toBe('');
    expect(existsSync(path.join(PACKAGE, 'index.d.ts'))).toBe(true);
  }, 120_000);
});
