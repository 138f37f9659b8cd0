import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * docker-compose.yml cannot be run here (no Docker engine), so its agreement
 * with the scripts is checked instead: same Keycloak version, same realm files,
 * same realm and client names; and, where a Compose CLI exists, that it parses.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const keycloak = require('./keycloak.js') as { KEYCLOAK_VERSION: string };
const root = path.resolve(__dirname, '..');
const compose = readFileSync(path.join(root, 'docker-compose.yml'), 'utf8');

describe('docker-compose.yml', () => {
  it('runs the Keycloak version the scripts pin', () => {
    expect(compose).toContain(`quay.io/keycloak/keycloak:\${KEYCLOAK_VERSION:-${keycloak.KEYCLOAK_VERSION}}`);
  });

  it('imports the same realm files as `npm run up` and the tests', () => {
    expect(compose).toMatch(/- \.\/keycloak\/import:\/opt\/keycloak\/data\/import:ro/);
    expect(compose).toMatch(/command: \["start-dev", "--import-realm"\]/);
  });

  it('configures the API with the realm and client that the realm export defines', () => {
    const realmFile = readdirSync(path.join(root, 'keycloak', 'import')).find((name) => name.startsWith('nest-keycloak-auth'));
    const realm = JSON.parse(readFileSync(path.join(root, 'keycloak', 'import', realmFile ?? 'missing'), 'utf8')) as {
      realm: string;
      clients: { clientId: string; secret?: string }[];
    };
    expect(compose).toContain(`KEYCLOAK_REALM: ${realm.realm}`);
    const api = realm.clients.find((client) => client.clientId === 'nest-api');
    expect(api).toBeDefined();
    expect(compose).toContain('KEYCLOAK_CLIENT_ID: nest-api');
    expect(compose).toContain(`\${KEYCLOAK_CLIENT_SECRET:-${api?.secret}}`);
    expect(compose).toContain(`KEYCLOAK_ISSUER: http://localhost:8080/realms/${realm.realm}`);
  });

  it('builds the API from the multi-stage, non-root Dockerfile', () => {
    const dockerfile = readFileSync(path.join(root, 'Dockerfile'), 'utf8');
    expect(dockerfile.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/CMD \["node", "dist\/main.js"\]/);
  });

  const cli = ['docker-compose', 'docker'].find((command) => spawnSync(command, ['--version']).status === 0);
  const composeArgs = cli === 'docker' ? ['compose', '-f', 'docker-compose.yml', 'config', '-q'] : ['-f', 'docker-compose.yml', 'config', '-q'];
  const canValidate = cli !== undefined && spawnSync(cli, composeArgs.slice(0, cli === 'docker' ? 2 : 0).concat(['version']), { cwd: root }).status === 0;

  (canValidate ? it : it.skip)('is valid for the Compose CLI', () => {
    expect(() => execFileSync(cli as string, composeArgs, { cwd: root, stdio: 'pipe' })).not.toThrow();
  });
});
