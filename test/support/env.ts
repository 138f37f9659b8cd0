// Connection facts of the e2e environment. The Jest global setup exports them as
// TEST_* variables (it may reuse an instance elsewhere); the defaults are the fixed
// names of docs/ARCHITECTURE.md so a spec also runs against a hand-started stack.
// This is the only test file that reads process.env for them.

export const ENV = {
  keycloakUrl: 'TEST_KEYCLOAK_URL',
  realm: 'TEST_KEYCLOAK_REALM',
  partnerRealm: 'TEST_KEYCLOAK_PARTNER_REALM',
  adminUsername: 'TEST_KEYCLOAK_ADMIN_USERNAME',
  adminPassword: 'TEST_KEYCLOAK_ADMIN_PASSWORD',
  apiPort: 'TEST_API_PORT',
  redisUrl: 'TEST_REDIS_URL',
  runId: 'TEST_RUN_ID',
} as const;

export const DEFAULTS = {
  keycloakUrl: 'http://localhost:8180',
  realm: 'nest-keycloak-auth',
  partnerRealm: 'partner',
  adminUsername: 'admin',
  adminPassword: 'admin',
  apiPort: 3100,
  redisPort: 6390,
} as const;

function read(name: string): string | undefined {
  const value = process.env[name];
  return value === undefined || value === '' ? undefined : value;
}

/** Base URL of the test Keycloak, without a trailing slash. */
export function keycloakUrl(): string {
  return (read(ENV.keycloakUrl) ?? DEFAULTS.keycloakUrl).replace(/\/+$/, '');
}

export function realm(): string {
  return read(ENV.realm) ?? DEFAULTS.realm;
}

export function partnerRealm(): string {
  return read(ENV.partnerRealm) ?? DEFAULTS.partnerRealm;
}

/** Bootstrap admin of the master realm, for the admin REST client. */
export function keycloakAdminCredentials(): { username: string; password: string } {
  return {
    username: read(ENV.adminUsername) ?? DEFAULTS.adminUsername,
    password: read(ENV.adminPassword) ?? DEFAULTS.adminPassword,
  };
}

/** Fixed port for tests Keycloak must call back or redirect to (browser flows, back-channel logout). */
export function apiPort(): number {
  const value = read(ENV.apiPort);
  return value ? Number(value) : DEFAULTS.apiPort;
}

export function redisUrl(): string {
  return read(ENV.redisUrl) ?? `redis://127.0.0.1:${DEFAULTS.redisPort}`;
}

/** Identifies one Jest run across its worker processes (set by the global setup). */
export function runId(): string | undefined {
  return read(ENV.runId);
}

// ------------------------------------------------------------------ realm facts
// Mirrors keycloak/import/*.json; test/realm.e2e-spec.ts proves the two agree.

export interface TestClient {
  clientId: string;
  /** Only confidential clients have one. */
  secret?: string;
}

export const clients = {
  /** Confidential client of the API (login, back-channel logout, service account). */
  api: { clientId: 'nest-api', secret: 'nest-api-dev-secret' },
  /** Public PKCE client of Swagger UI. */
  swagger: { clientId: 'nest-swagger' },
  /** Public client with direct access grants; exists for the test suite only. */
  test: { clientId: 'nest-test' },
  partnerApi: { clientId: 'partner-api', secret: 'partner-api-dev-secret' },
  partnerTest: { clientId: 'partner-test' },
} as const satisfies Record<string, TestClient>;

/** Audience every access token of a realm must carry for its API to accept it. */
export const audiences = {
  main: clients.api.clientId,
  partner: clients.partnerApi.clientId,
} as const;

export const REALM_ROLES = ['user', 'manager', 'admin'] as const;
export type RealmRole = (typeof REALM_ROLES)[number];
export const API_CLIENT_ROLES = ['reports:read', 'reports:write'] as const;
export type ApiClientRole = (typeof API_CLIENT_ROLES)[number];

export interface TestUser {
  username: string;
  password: string;
  /** Of the application roles only; Keycloak adds default-roles-*, offline_access, uma_authorization. */
  realmRoles: readonly RealmRole[];
  /** Client roles of `nest-api`. */
  apiRoles: readonly ApiClientRole[];
}

function testUser(username: string, realmRoles: readonly RealmRole[], apiRoles: readonly ApiClientRole[] = []): TestUser {
  return { username, password: `${username}-pass`, realmRoles, apiRoles };
}

export const users = {
  alice: testUser('alice', ['user']),
  bob: testUser('bob', ['user', 'manager'], ['reports:read']),
  carol: testUser('carol', ['user', 'admin'], ['reports:read', 'reports:write']),
  dave: testUser('dave', []),
} as const satisfies Record<string, TestUser>;

export type TestUsername = keyof typeof users;

/** `pat` of the partner realm. */
export const partnerUser = { username: 'pat', password: 'pat-pass', realmRoles: ['user'] } as const;
