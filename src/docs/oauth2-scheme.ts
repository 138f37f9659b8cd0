import type { OpenAPIObject, PathItemObject, SecuritySchemeObject } from '@nestjs/swagger';
import type { ProviderMetadata } from '../auth';
import { OAUTH2_SCHEME, OIDC_SCOPES } from './docs.constants';

/** Keycloak's authorization-code flow, with every URL taken from the realm's discovery document. */
export function keycloakScheme(metadata: ProviderMetadata, clientId: string): SecuritySchemeObject {
  return {
    type: 'oauth2',
    description:
      `Sign in through Keycloak (authorization code with PKCE, public client \`${clientId}\`). ` +
      'Swagger UI then sends the access token as `Authorization: Bearer …`.',
    flows: {
      authorizationCode: {
        authorizationUrl: metadata.authorization_endpoint,
        tokenUrl: metadata.token_endpoint,
        refreshUrl: metadata.token_endpoint,
        scopes: { ...OIDC_SCOPES },
      },
    },
  };
}

/** The document with the Keycloak login added; the cached original is not touched. */
export function withKeycloakLogin(document: OpenAPIObject, scheme: SecuritySchemeObject): OpenAPIObject {
  return {
    ...document,
    components: {
      ...document.components,
      securitySchemes: { ...document.components?.securitySchemes, [OAUTH2_SCHEME]: scheme },
    },
  };
}

/**
 * The document while Keycloak's discovery is unreachable: still readable, a
 * pasted token still works, and the OAuth2 option is dropped rather than
 * pointing at URLs nobody knows. The next request tries discovery again.
 */
export function withoutKeycloakLogin(document: OpenAPIObject): OpenAPIObject {
  const paths: OpenAPIObject['paths'] = {};
  for (const [path, item] of Object.entries(document.paths)) {
    const copy: Record<string, unknown> = { ...item };
    for (const [method, value] of Object.entries(item as PathItemObject)) {
      const security = (value as { security?: unknown }).security;
      if (!Array.isArray(security)) continue;
      copy[method] = {
        ...value,
        security: security.filter((requirement: Record<string, unknown>) => !(OAUTH2_SCHEME in requirement)),
      };
    }
    paths[path] = copy as PathItemObject;
  }
  const notice =
    '**Keycloak is unreachable right now**, so the OAuth2 login is not offered. ' +
    'A pasted access token still works; reload this page once Keycloak answers.';
  return {
    ...document,
    info: { ...document.info, description: [notice, document.info.description].filter(Boolean).join('\n\n') },
    paths,
  };
}
