import type { OpenAPIObject } from '@nestjs/swagger';
import type { ProviderMetadata } from '../auth';
import { keycloakScheme, withKeycloakLogin, withoutKeycloakLogin } from './oauth2-scheme';

const metadata: ProviderMetadata = {
  issuer: 'https://sso.example/realms/r',
  jwks_uri: 'https://sso.example/realms/r/certs',
  authorization_endpoint: 'https://login.example/authorize',
  token_endpoint: 'https://login.example/token',
};

function document(): OpenAPIObject {
  return {
    openapi: '3.0.0',
    info: { title: 't', version: '1', description: 'About.' },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths: {
      '/open': { get: { responses: {}, security: [] } },
      '/locked': { get: { responses: {}, security: [{ keycloak: [] }, { bearer: [] }] }, parameters: [] },
    },
  };
}

describe('keycloakScheme', () => {
  it('takes the authorization and token URLs from discovery, not from the issuer', () => {
    const scheme = keycloakScheme(metadata, 'nest-swagger');
    expect(scheme.type).toBe('oauth2');
    expect(scheme.flows?.authorizationCode).toEqual({
      authorizationUrl: 'https://login.example/authorize',
      tokenUrl: 'https://login.example/token',
      refreshUrl: 'https://login.example/token',
      scopes: expect.objectContaining({ openid: expect.any(String) }),
    });
    expect(scheme.description).toContain('nest-swagger');
  });
});

describe('withKeycloakLogin', () => {
  it('adds the scheme next to the bearer one without touching the cached document', () => {
    const original = document();
    const patched = withKeycloakLogin(original, keycloakScheme(metadata, 'c'));
    expect(Object.keys(patched.components?.securitySchemes ?? {})).toEqual(['bearer', 'keycloak']);
    expect(Object.keys(original.components?.securitySchemes ?? {})).toEqual(['bearer']);
  });
});

describe('withoutKeycloakLogin', () => {
  it('drops only the OAuth2 alternative and says why', () => {
    const original = document();
    const degraded = withoutKeycloakLogin(original);
    expect(degraded.paths['/locked'].get?.security).toEqual([{ bearer: [] }]);
    expect(degraded.paths['/locked'].parameters).toEqual([]);
    expect(degraded.paths['/open'].get?.security).toEqual([]);
    expect(degraded.info.description).toMatch(/^\*\*Keycloak is unreachable right now\*\*[\s\S]*About\.$/);
    expect(original.paths['/locked'].get?.security).toHaveLength(2);
  });
});
