// Jest global setup: one real Keycloak for the whole e2e run (Redis is started on
// demand by the specs that need it, see redis.ts). Unit-only runs start nothing.
import type { Config } from '@jest/types';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { startKeycloak, waitForReady } from '../../keycloak/keycloak';
import { DEFAULTS, ENV } from './env';

const E2E_PROJECT = 'e2e';
const TEST_KEYCLOAK_PORT = 8180;
// Enough for a first start on a fresh machine: Maven download, Quarkus re-augmentation, boot.
const KEYCLOAK_START_TIMEOUT_MS = 300_000;

/** What the teardown must undo; lives on globalThis, the only thing Jest shares between the two hooks. */
export interface E2eStack {
  runId: string;
  /** Port of the Keycloak this run started (and so must stop), if any. */
  startedKeycloakPort?: number;
}

const STACK_KEY = '__nestKeycloakAuthE2eStack';

export function e2eStack(): E2eStack | undefined {
  return (globalThis as Record<string, unknown>)[STACK_KEY] as E2eStack | undefined;
}

function e2eSpecFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : e2eSpecFiles(full);
    return entry.name.endsWith('.e2e-spec.ts') ? [full] : [];
  });
}

/** Values of a Jest CLI list option (`--selectProjects a b`, `--select-projects=a`), undefined if absent. */
function cliList(argv: readonly string[], camelName: string): string[] | undefined {
  const names = [camelName, camelName.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)].map((n) => `--${n}`);
  let values: string[] | undefined;
  for (let i = 0; i < argv.length; i += 1) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    if (!names.includes(flag)) continue;
    values ??= [];
    if (inline !== undefined) values.push(inline);
    else while (i + 1 < argv.length && !argv[i + 1].startsWith('-')) values.push(argv[(i += 1)]);
  }
  return values;
}

// Jest runs the global setup even when only unit specs were selected and tells it
// nothing about which tests it found: the project selection is not even in
// globalConfig. So redo the selection from the CLI arguments of this (the main) process.
function e2eWillRun(globalConfig: Config.GlobalConfig, argv: readonly string[] = process.argv): boolean {
  const selected = cliList(argv, 'selectProjects');
  if (selected && !selected.includes(E2E_PROJECT)) return false;
  if (cliList(argv, 'ignoreProjects')?.includes(E2E_PROJECT)) return false;
  const patterns = globalConfig.testPathPatterns;
  if (!patterns?.isSet()) return true;
  const matcher = patterns.toExecutor({ rootDir: globalConfig.rootDir });
  return e2eSpecFiles(path.join(globalConfig.rootDir, 'test')).some((file) => matcher.isMatch(file));
}

export default async function globalSetup(globalConfig: Config.GlobalConfig): Promise<void> {
  if (!e2eWillRun(globalConfig)) return;
  const stack: E2eStack = { runId: `${process.pid}-${Date.now()}` };
  (globalThis as Record<string, unknown>)[STACK_KEY] = stack;

  const external = process.env[ENV.keycloakUrl];
  if (external) {
    // Somebody runs Keycloak for us (CI service, shared box): only wait for it.
    const discovery = `${external.replace(/\/+$/, '')}/realms/${DEFAULTS.realm}/.well-known/openid-configuration`;
    await waitForReady(discovery, KEYCLOAK_START_TIMEOUT_MS);
  } else {
    const keycloak = await startKeycloak({
      port: TEST_KEYCLOAK_PORT,
      db: 'dev-mem',
      timeoutMs: KEYCLOAK_START_TIMEOUT_MS,
      log: (message) => console.log(`[e2e keycloak] ${message}`),
    });
    process.env[ENV.keycloakUrl] = keycloak.url;
    // TEST_KEYCLOAK_KEEP=1 leaves a Keycloak this run started running for the next one.
    if (!keycloak.reused && process.env.TEST_KEYCLOAK_KEEP !== '1') stack.startedKeycloakPort = keycloak.port;
  }

  // Exported for the specs, which may run in worker processes spawned after this.
  process.env[ENV.realm] ??= DEFAULTS.realm;
  process.env[ENV.partnerRealm] ??= DEFAULTS.partnerRealm;
  process.env[ENV.adminUsername] ??= process.env.KC_BOOTSTRAP_ADMIN_USERNAME || DEFAULTS.adminUsername;
  process.env[ENV.adminPassword] ??= process.env.KC_BOOTSTRAP_ADMIN_PASSWORD || DEFAULTS.adminPassword;
  process.env[ENV.apiPort] ??= String(DEFAULTS.apiPort);
  process.env[ENV.redisUrl] ??= `redis://127.0.0.1:${DEFAULTS.redisPort}`;
  process.env[ENV.runId] = stack.runId;
}
