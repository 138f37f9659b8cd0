// Two projects: fast unit specs beside the code, and e2e specs under test/ that
// share one real Keycloak (and Redis when asked) started by the global setup.
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.json' }];
// jwks-rsa 4 requires `jose`, which is ESM-only. Node 20 loads it through
// require(esm); Jest's module system cannot, so Jest alone compiles jose to
// CommonJS. Production code runs the real package untouched.
const joseToCommonJs = ['ts-jest', { tsconfig: { allowJs: true, module: 'commonjs', target: 'ES2022', isolatedModules: true } }];
const transform = { '^.+\\.ts$': tsJest, '^.+/node_modules/jose/.+\\.js$': joseToCommonJs };
const transformIgnorePatterns = ['/node_modules/(?!jose/)'];

/** @type {import('jest').Config} */
module.exports = {
  // A global option: Jest ignores it inside `projects`. Keycloak round trips and
  // browser logins on 2 cores need far more than the 5 s default.
  testTimeout: 120000,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  projects: [
    {
      displayName: 'unit',
      rootDir: __dirname,
      testEnvironment: 'node',
      testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/keycloak/**/*.spec.ts', '<rootDir>/bench/lib/**/*.spec.ts'],
      transform,
      transformIgnorePatterns,
    },
    {
      displayName: 'e2e',
      rootDir: __dirname,
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      transform,
      transformIgnorePatterns,
    },
  ],
};
