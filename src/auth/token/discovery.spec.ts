import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { discoveryUrl, fetchProviderMetadata } from './discovery';
import { DiscoveryError } from './errors';
import type { FetchResponseLike } from './fetch-json';
import { jsonResponse, stubFetch } from './testing/tokens';

const ISSUER = 'https://sso.example.test/realms/nest-keycloak-auth';

function document(extra: Record<string, unknown> = {}): Record<string, unknown> {
  const oidc = `${ISSUER}/protocol/openid-connect`;
  return {
    issuer: ISSUER,
    authorization_endpoint: `${oidc}/auth`,
    token_endpoint: `${oidc}/token`,
    jwks_uri: `${oidc}/certs`,
    userinfo_endpoint: `${oidc}/userinfo`,
    end_session_endpoint: `${oidc}/logout`,
    introspection_endpoint: `${oidc}/token/introspect`,
    revocation_endpoint: `${oidc}/revoke`,
    id_token_signing_alg_values_supported: ['RS256', 'PS256'],
    code_challenge_methods_supported: ['plain', 'S256'],
    backchannel_logout_supported: true,
    response_types_supported: ['code'],
    ...extra,
  };
}

async function failure(promise: Promise<unknown>): Promise<DiscoveryError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(DiscoveryError);
    return error as DiscoveryError;
  }
  throw new Error('expected a DiscoveryError');
}

describe('discoveryUrl', () => {
  it('appends the well-known path, dropping one trailing slash (OIDC Discovery §4)', () => {
    expect(discoveryUrl(ISSUER)).toBe(`${ISSUER}/.well-known/openid-configuration`);
    expect(discoveryUrl(`${ISSUER}/`)).toBe(`${ISSUER}/.well-known/openid-configuration`);
  });
});

describe('fetchProviderMetadata', () => {
  it('returns the validated metadata, without unknown members', async () => {
    const fetch = stubFetch(() => jsonResponse(document()));
    const metadata = await fetchProviderMetadata(ISSUER, { fetch });
    expect(fetch.calls[0].url).toBe(`${ISSUER}/.well-known/openid-configuration`);
    expect(metadata).toMatchObject({
      issuer: ISSUER,
      jwks_uri: `${ISSUER}/protocol/openid-connect/certs`,
      end_session_endpoint: `${ISSUER}/protocol/openid-connect/logout`,
      introspection_endpoint: `${ISSUER}/protocol/openid-connect/token/introspect`,
      id_token_signing_alg_values_supported: ['RS256', 'PS256'],
      backchannel_logout_supported: true,
    });
    expect(metadata).not.toHaveProperty('response_types_supported');
    expect(Object.isFrozen(metadata)).toBe(true);
  });

  it('fetches from another base when asked, still requiring the expected issuer', async () => {
    const fetch = stubFetch(() => jsonResponse(document()));
    await fetchProviderMetadata(ISSUER, { fetch, discoveryBase: 'http://keycloak:8080/realms/nest-keycloak-auth' });
    expect(fetch.calls[0].url).toBe('http://keycloak:8080/realms/nest-keycloak-auth/.well-known/openid-configuration');
  });

  it.each([
    ['another realm', `${ISSUER}-evil`],
    ['a trailing slash', `${ISSUER}/`],
    ['another host', 'https://evil.example/realms/nest-keycloak-auth'],
    ['no issuer', undefined],
  ])('rejects a document whose issuer is %s (OIDC Discovery §4.3)', async (_name, issuer) => {
    const error = await failure(fetchProviderMetadata(ISSUER, { fetch: stubFetch(() => jsonResponse(document({ issuer }))) }));
    expect(error.message).toContain('issuer');
  });

  it.each(['jwks_uri', 'authorization_endpoint', 'token_endpoint'])('requires %s', async (field) => {
    const error = await failure(
      fetchProviderMetadata(ISSUER, { fetch: stubFetch(() => jsonResponse(document({ [field]: undefined }))) }),
    );
    expect(error.message).toContain(field);
  });

  it.each([
    ['a non-URL endpoint', { end_session_endpoint: 'not a url' }],
    ['a non-http URL', { jwks_uri: 'file:///etc/passwd' }],
    ['a non-list algorithm field', { id_token_signing_alg_values_supported: 'RS256' }],
    ['a non-boolean flag', { backchannel_logout_supported: 'yes' }],
  ])('rejects %s', async (_name, extra) => {
    await failure(fetchProviderMetadata(ISSUER, { fetch: stubFetch(() => jsonResponse(document(extra))) }));
  });

  it('rejects a non-object document and HTTP errors, naming the URL', async () => {
    await failure(fetchProviderMetadata(ISSUER, { fetch: stubFetch(() => jsonResponse([document()])) }));
    const error = await failure(fetchProviderMetadata(ISSUER, { fetch: stubFetch(() => jsonResponse({}, 404)) }));
    expect(error.url).toBe(`${ISSUER}/.well-known/openid-configuration`);
    expect(error.message).toContain(error.url);
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('times out', async () => {
    jest.useFakeTimers();
    try {
      const pending = failure(
        fetchProviderMetadata(ISSUER, { timeoutMs: 1_000, fetch: stubFetch(() => new Promise<FetchResponseLike>(() => undefined)) }),
      );
      await jest.advanceTimersByTimeAsync(1_000);
      expect((await pending).message).toContain('could not be reached');
    } finally {
      jest.useRealTimers();
    }
  });

  describe('over real HTTP', () => {
    let server: Server;
    let base = '';
    beforeAll(async () => {
      server = createServer((req, res) => {
        const issuer = `${base}/realms/r`;
        if (req.url === '/realms/r/.well-known/openid-configuration') {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ ...document(), issuer, jwks_uri: `${issuer}/certs` }));
        } else {
          res.writeHead(404).end();
        }
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('reads the document with the platform fetch', async () => {
      const metadata = await fetchProviderMetadata(`${base}/realms/r`);
      expect(metadata.jwks_uri).toBe(`${base}/realms/r/certs`);
    });

    it('reports an unreachable provider', async () => {
      const error = await failure(fetchProviderMetadata('http://127.0.0.1:1/realms/r', { timeoutMs: 2_000 }));
      expect(error.url).toBe('http://127.0.0.1:1/realms/r/.well-known/openid-configuration');
    });
  });
});
