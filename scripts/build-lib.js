#!/usr/bin/env node
// `npm run build:lib`: compiles src/auth (the reusable AuthModule) to JavaScript
// + .d.ts in dist-lib/ and writes the package.json another project installs.
// Every package the output imports must be declared below, so the manifest
// cannot silently fall behind the code: an undeclared import fails the build.
//
//   node scripts/build-lib.js [--out <dir>]
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { builtinModules } = require('node:module');
const { parseArgs } = require('node:util');

const root = path.resolve(__dirname, '..');
const rootManifest = require(path.join(root, 'package.json'));

// Peers: what the host application must own, because there may be only one copy
// of it (Nest's DI container, Passport's strategy registry, rxjs operators).
// Ranges admit Nest 11 and 12 the way @nestjs/passport 12 does; @nestjs/axios
// jumped from 4.x (Nest 11) to 12.x (Nest 12).
const PEERS = {
  '@nestjs/common': '^11.0.0 || ^12.0.0',
  '@nestjs/core': '^11.0.0 || ^12.0.0',
  '@nestjs/passport': '^11.0.0 || ^12.0.0',
  '@nestjs/axios': '^4.0.0 || ^12.0.0',
  axios: '^1.3.1',
  passport: '^0.5.0 || ^0.6.0 || ^0.7.0',
  rxjs: '^7.1.0',
  'reflect-metadata': '^0.1.12 || ^0.2.0',
  // `@SkipThrottle()` metadata on /auth must be read by the host's own ThrottlerGuard.
  '@nestjs/throttler': '^6.0.0',
  // Optional (see OPTIONAL_PEERS): only for sessions shared through Redis.
  ioredis: '^5.0.0',
};
// Peers a consumer may leave out because nothing loads them with the entry point;
// checked below against the emitted code.
const OPTIONAL_PEERS = ['ioredis'];

// Dependencies: implementation details nobody else needs a single copy of.
// jwks-rsa's JWK conversion is part of our key handling, so its major is ours to pin.
// ioredis is an optional peer: session-backend requires it only when a Redis URL
// is configured.
const DEPENDENCIES = ['jwks-rsa', 'passport-strategy'];

// Referenced by declarations only (`import type`), never required at run time:
// `express` types come with @types/express, which every Nest HTTP app has.
const TYPES_ONLY = ['express'];

function main() {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  const outDir = path.resolve(root, values.out ?? 'dist-lib');
  fs.rmSync(outDir, { recursive: true, force: true });

  const tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
  const compiled = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.lib.json'), '--outDir', outDir], {
    cwd: root,
    stdio: 'inherit',
  });
  if (compiled.status !== 0) fail('tsc failed');

  const { runtime, declarations } = importedPackages(outDir);
  const declared = new Set([...Object.keys(PEERS), ...DEPENDENCIES]);
  const undeclared = [...runtime].filter((name) => !declared.has(name));
  const undeclaredTypes = [...declarations].filter((name) => !declared.has(name) && !TYPES_ONLY.includes(name));
  if (undeclared.length || undeclaredTypes.length) {
    fail(`dist imports packages missing from scripts/build-lib.js: ${[...undeclared, ...undeclaredTypes].join(', ')}`);
  }
  const eager = eagerPackages(outDir);
  const optionalButEager = OPTIONAL_PEERS.filter((name) => eager.has(name));
  if (optionalButEager.length) {
    fail(`optional peers are loaded with the entry point, so consumers cannot leave them out: ${optionalButEager.join(', ')}`);
  }
  const typesAtRuntime = TYPES_ONLY.filter((name) => runtime.has(name));
  if (typesAtRuntime.length) fail(`types-only packages are required at run time: ${typesAtRuntime.join(', ')}`);

  fs.writeFileSync(path.join(outDir, 'package.json'), `${JSON.stringify(manifest(), null, 2)}\n`);
  console.log(`[build-lib] ${path.relative(root, outDir) || outDir}: ${runtime.size} runtime packages, all declared`);
}

function manifest() {
  return {
    name: rootManifest.name,
    version: rootManifest.version,
    description: 'Keycloak (OpenID Connect) authentication for NestJS: bearer tokens, roles, RFC 6750 errors, service-to-service tokens',
    license: rootManifest.license,
    main: './index.js',
    types: './index.d.ts',
    // Only the entry point is public; deep imports into internals are refused by Node.
    exports: {
      '.': { types: './index.d.ts', default: './index.js' },
      './package.json': './package.json',
    },
    engines: rootManifest.engines,
    peerDependencies: PEERS,
    ...(OPTIONAL_PEERS.length && {
      peerDependenciesMeta: Object.fromEntries(OPTIONAL_PEERS.map((name) => [name, { optional: true }])),
    }),
    dependencies: Object.fromEntries(DEPENDENCIES.map((name) => [name, versionOf(name)])),
  };
}

/** The range the application itself uses, so the library is built and tested against it. */
function versionOf(name) {
  const range = rootManifest.dependencies?.[name];
  if (!range) fail(`${name} is not a dependency of the root package.json`);
  return range;
}

/** Bare package names imported by the emitted JavaScript and by the declarations. */
function importedPackages(dir) {
  const runtime = new Set();
  const declarations = new Set();
  for (const file of walk(dir)) {
    const source = fs.readFileSync(file, 'utf8');
    const target = file.endsWith('.d.ts') ? declarations : file.endsWith('.js') ? runtime : undefined;
    if (!target) continue;
    const pattern = /(?:require\(|from\s+|import\()\s*["']([^"']+)["']/g;
    for (const [, specifier] of source.matchAll(pattern)) {
      const name = packageName(specifier);
      if (name) target.add(name);
    }
  }
  return { runtime, declarations };
}

/**
 * Packages required while index.js loads: top-level `require` calls (tsc emits
 * them unindented) of index.js and of every file it reaches the same way. A
 * `require` inside a function (a lazy `import()`) is indented and not followed.
 */
function eagerPackages(dir) {
  const packages = new Set();
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const [, specifier] of fs.readFileSync(file, 'utf8').matchAll(/^\S.*?require\("([^"]+)"\)/gm)) {
      if (!specifier.startsWith('.')) {
        const name = packageName(specifier);
        if (name) packages.add(name);
        continue;
      }
      const target = path.resolve(path.dirname(file), specifier);
      visit(fs.existsSync(`${target}.js`) ? `${target}.js` : path.join(target, 'index.js'));
    }
  };
  visit(path.join(dir, 'index.js'));
  return packages;
}

function packageName(specifier) {
  if (specifier.startsWith('.') || specifier.startsWith('node:') || builtinModules.includes(specifier)) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function* walk(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else yield full;
  }
}

function fail(message) {
  console.error(`[build-lib] ${message}`);
  process.exit(1);
}

main();
