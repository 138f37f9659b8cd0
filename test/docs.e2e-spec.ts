// The OpenAPI document and Swagger UI's page, against the real AppModule and the
// test Keycloak: security comes from the decorators and agrees with the guards,
// the OAuth2 URLs come from discovery, and the docs survive Keycloak being down.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { startTestApp } from './support/app';
import { keycloakUrl } from './support/env';
import { discovery, passwordGrant } from './support/tokens';

type Json = Record<string, any>;

const BOTH_SCHEMES = [{ keycloak: [] }, { bearer: [] }];

async function getJson(url: string): Promise<{ status: number; headers: Headers; body: Json }> {
  const response = await fetch(url);
  return { status: response.status, headers: response.headers, body: (await response.json()) as Json };
}

/** Every operation of the document, with its path and method. */
function operations(document: Json): Array<{ path: string; method: string; operation: Json }> {
  return Object.entries(document.paths as Record<string, Json>).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
      .map(([method, operation]) => ({ path, method, operation: operation as Json })),
  );
}

describe('API docs (/docs, /docs-json)', () => {
  let app: Awaited<ReturnType<typeof startTestApp>>;
  let document: Json;

  beforeAll(async () => {
    app = await startTestApp({ env: { PUBLIC_BASE_URL: 'https://api.example.test' } });
    const response = await getJson(`${app.url}/docs-json`);
    expect(response.status).toBe(200);
    document = response.body;
  });

  afterAll(() => app?.close());

  const op = (path: string, method = 'get'): Json => {
    const operation = document.paths[path]?.[method] as Json | undefined;
    if (!operation) throw new Error(`${method.toUpperCase()} ${path} is not documented`);
    return operation;
  };

  it('is an OpenAPI 3 document of the application routes', () => {
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/api/public', '/api/protected', '/api/profile', '/api/manager', '/api/admin', '/api/reports', '/health']),
    );
  });

  it('puts no lock on @Public() routes', () => {
    for (const path of ['/api/public', '/health', '/health/ready']) {
      expect({ path, security: op(path).security }).toEqual({ path, security: [] });
      expect(op(path).responses['401']).toBeUndefined();
      expect(op(path)['x-required-roles']).toBeUndefined();
    }
  });

  it('offers both schemes on protected routes and documents their RFC 6750 errors', () => {
    for (const [path, method] of [
      ['/api/protected', 'get'],
      ['/api/profile', 'get'],
      ['/api/admin', 'get'],
      ['/api/reports', 'post'],
    ]) {
      const operation = op(path, method);
      expect({ path, security: operation.security }).toEqual({ path, security: BOTH_SCHEMES });
      for (const status of ['400', '401', '403']) expect(operation.responses[status]).toHaveProperty('$ref');
    }
    const { responses, schemas } = document.components;
    expect(schemas.AuthError.required).toEqual(['statusCode', 'error', 'error_description']);
    for (const name of ['InvalidRequest', 'Unauthorized', 'Forbidden']) {
      expect(responses[name].headers).toHaveProperty('WWW-Authenticate');
      expect(responses[name].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/AuthError' });
    }
    expect(responses.InvalidRequest.content['application/json'].example).toMatchObject({ statusCode: 400, error: 'invalid_request' });
  });

  it('describes @Roles() in the description and x-required-roles', () => {
    expect(op('/api/manager')['x-required-roles']).toEqual({ mode: 'any', realm: ['manager', 'admin'], client: {} });
    expect(op('/api/manager').description).toContain('Requires one of the roles:** `manager` (realm role), `admin` (realm role)');
    expect(op('/api/admin')['x-required-roles']).toEqual({ mode: 'any', realm: ['admin'], client: {} });
    expect(op('/api/admin').description).toContain('`admin` (realm role)');
    expect(op('/api/reports')['x-required-roles']).toEqual({ mode: 'any', realm: [], client: { 'nest-api': ['reports:read'] } });
    expect(op('/api/reports', 'post')['x-required-roles'].client).toEqual({ 'nest-api': ['reports:write'] });
    expect(op('/api/reports').description).toContain('`reports:read` (client role of `nest-api`)');
    expect(op('/api/profile')['x-required-roles']).toBeUndefined();
  });

  it("takes the OAuth2 flow's URLs from Keycloak's discovery document", async () => {
    const oidc = await discovery();
    const schemes = document.components.securitySchemes;
    expect(schemes.keycloak.type).toBe('oauth2');
    expect(schemes.keycloak.flows).toEqual({
      authorizationCode: expect.objectContaining({
        authorizationUrl: oidc.authorization_endpoint,
        tokenUrl: oidc.token_endpoint,
        scopes: expect.objectContaining({ openid: expect.any(String) }),
      }),
    });
    expect(schemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('agrees with the guards: documented-public GETs answer without a token, protected ones demand one', async () => {
    const gets = operations(document).filter(
      ({ path, method }) => method === 'get' && /^\/(api|health)\b/.test(path) && !path.includes('{'),
    );
    expect(gets.length).toBeGreaterThanOrEqual(8);
    for (const { path, operation } of gets) {
      const response = await fetch(`${app.url}${path}`);
      const documentedPublic = operation.security.length === 0;
      expect({ path, status: response.status === 401 ? 401 : 'not 401' }).toEqual({
        path,
        status: documentedPublic ? 'not 401' : 401,
      });
    }
  });

  it("documents the 403 the API really sends: alice on /api/admin gets the Forbidden example's body", async () => {
    const { accessToken } = await passwordGrant('alice');
    const response = await fetch(`${app.url}/api/admin`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(response.status).toBe(403);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer realm="[^"]+", error="insufficient_scope"/);
    expect(await response.json()).toEqual(document.components.responses.Forbidden.content['application/json'].example);
  });

  it('configures Swagger UI for PKCE with the public Swagger client, the explicit redirect URL and no secret', async () => {
    const page = await fetch(`${app.url}/docs`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('swagger-ui-init.js');
    const init = await (await fetch(`${app.url}/docs/swagger-ui-init.js`)).text();
    expect(init).toMatch(/"usePkceWithAuthorizationCodeGrant":\s*true/);
    expect(init).toMatch(/"clientId":\s*"nest-swagger"/);
    expect(init).toMatch(/"oauth2RedirectUrl":\s*"https:\/\/api\.example\.test\/docs\/oauth2-redirect\.html"/);
    expect(init).not.toMatch(/clientSecret|client_secret|nest-api-dev-secret/);
    // The UI gets the same document, Keycloak URLs included.
    expect(init).toContain((await discovery()).token_endpoint);
  });

  it('relaxes CSP and COOP for /docs only', async () => {
    const keycloakOrigin = new URL(keycloakUrl()).origin;
    const docs = await fetch(`${app.url}/docs`);
    expect(docs.headers.get('content-security-policy')).toContain(`connect-src 'self' ${keycloakOrigin}`);
    expect(docs.headers.get('cross-origin-opener-policy')).toBe('same-origin-allow-popups');
    const redirect = await fetch(`${app.url}/docs/oauth2-redirect.html`);
    expect(redirect.status).toBe(200);
    expect(redirect.headers.get('cross-origin-opener-policy')).toBe('unsafe-none');
    const api = await fetch(`${app.url}/api/public`);
    expect(api.headers.get('content-security-policy')).not.toContain(keycloakOrigin);
    expect(api.headers.get('cross-origin-opener-policy')).toBe('same-origin');
  });
});

describe('API docs turned off (DOCS_ENABLED=false)', () => {
  let app: Awaited<ReturnType<typeof startTestApp>>;

  beforeAll(async () => {
    app = await startTestApp({ env: { DOCS_ENABLED: 'false' } });
  });

  afterAll(() => app?.close());

  it('answers 404 for the UI, the document and the redirect page; the API still runs', async () => {
    for (const path of ['/docs', '/docs/', '/docs-json', '/docs/swagger-ui-init.js', '/docs/oauth2-redirect.html']) {
      expect({ path, status: (await fetch(`${app.url}${path}`)).status }).toEqual({ path, status: 404 });
    }
    expect((await fetch(`${app.url}/api/public`)).status).toBe(200);
  });
});

/** A TCP proxy to the test Keycloak that can be switched on later, on a port fixed now. */
class SwitchableKeycloak {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private readonly target = new URL(keycloakUrl());

  constructor(readonly port: number) {}

  static async freePort(): Promise<number> {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as { port: number };
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    return port;
  }

  async start(): Promise<void> {
    this.server = createServer((client) => {
      const upstream = connect(Number(this.target.port), this.target.hostname);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

describe('API docs while Keycloak is down at start-up', () => {
  let app: Awaited<ReturnType<typeof startTestApp>>;
  let keycloak: SwitchableKeycloak;

  beforeAll(async () => {
    // Keycloak derives its issuer from the Host header, so through the proxy
    // it is the issuer the app expects: http://localhost:<proxy port>/realms/...
    keycloak = new SwitchableKeycloak(await SwitchableKeycloak.freePort());
    app = await startTestApp({ env: { KEYCLOAK_URL: `http://localhost:${keycloak.port}` } });
  });

  afterAll(async () => {
    await app?.close();
    await keycloak?.stop();
  });

  it('starts, serves the docs without the OAuth2 login, and adds it once Keycloak answers', async () => {
    expect((await fetch(`${app.url}/health`)).status).toBe(200);
    expect((await fetch(`${app.url}/docs`)).status).toBe(200);

    const degraded = await getJson(`${app.url}/docs-json`);
    expect(degraded.status).toBe(200);
    expect(degraded.headers.get('cache-control')).toBe('no-store');
    expect(Object.keys(degraded.body.components.securitySchemes)).toEqual(['bearer']);
    expect(degraded.body.paths['/api/profile'].get.security).toEqual([{ bearer: [] }]);
    expect(degraded.body.paths['/api/public'].get.security).toEqual([]);
    expect(degraded.body.info.description).toContain('Keycloak is unreachable');

    await keycloak.start();
    // The discovery service waits a moment after a failure before it tries again.
    const deadline = Date.now() + 15_000;
    let recovered: Json | undefined;
    while (!recovered && Date.now() < deadline) {
      const { body } = await getJson(`${app.url}/docs-json`);
      if (body.components.securitySchemes.keycloak) recovered = body;
      else await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const viaProxy = (await discovery()).authorization_endpoint.replace(
      new URL(keycloakUrl()).origin,
      `http://localhost:${keycloak.port}`,
    );
    expect(recovered?.components.securitySchemes.keycloak.flows.authorizationCode.authorizationUrl).toBe(viaProxy);
    expect(recovered?.paths['/api/profile'].get.security).toEqual(BOTH_SCHEMES);
    expect(recovered?.info.description).not.toContain('Keycloak is unreachable');
  }, 30_000);
});
