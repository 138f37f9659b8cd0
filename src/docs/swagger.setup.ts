import { Logger, type INestApplication } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { ModulesContainer } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { Response } from 'express';
import { OidcDiscoveryService, RouteAccessPolicy } from '../auth';
import { appConfig, authConfig } from '../config';
import { documentAuth } from './auth-documentation';
import { BEARER_SCHEME, DOCS_JSON_PATH, DOCS_PATH, OAUTH2_REDIRECT_PATH, OIDC_SCOPES } from './docs.constants';
import { docsSecurityHeaders } from './docs-security-headers';
import { keycloakScheme, withKeycloakLogin, withoutKeycloakLogin } from './oauth2-scheme';
import { RouteAccessReader } from './route-access.reader';

/**
 * Swagger UI at /docs and the OpenAPI 3 document at /docs-json, unless
 * `DOCS_ENABLED=false` (then both are 404).
 *
 * Routes and their security are read from the controllers once, on the first
 * request, without Keycloak. Keycloak's endpoints are added per request from
 * the discovery cache, so the app starts (and the page loads) while Keycloak
 * is down, and the login appears as soon as Keycloak answers.
 */
export function setupSwagger(app: INestApplication): void {
  const config = app.get<ConfigType<typeof appConfig>>(appConfig.KEY);
  if (!config.docsEnabled) return;
  const { rolesClientId } = app.get<ConfigType<typeof authConfig>>(authConfig.KEY);
  const discovery = app.get(OidcDiscoveryService);
  const logger = new Logger('Docs');
  let keycloakDown = false;

  const addKeycloakLogin = async (document: OpenAPIObject): Promise<OpenAPIObject> => {
    try {
      const patched = withKeycloakLogin(document, keycloakScheme(await discovery.metadata(), config.swaggerClientId));
      if (keycloakDown) logger.log('Keycloak answers again; the docs offer the OAuth2 login');
      keycloakDown = false;
      return patched;
    } catch {
      // Logged once per outage; the discovery service has already said why.
      if (!keycloakDown) logger.warn('Keycloak discovery failed; the docs offer only a pasted bearer token');
      keycloakDown = true;
      return withoutKeycloakLogin(document);
    }
  };

  app.use(
    docsSecurityHeaders(
      () => discovery.metadata().then((metadata) => metadata.token_endpoint),
      config.publicBaseUrl,
    ),
  );
  SwaggerModule.setup(DOCS_PATH, app, () => buildDocument(app, rolesClientId), {
    jsonDocumentUrl: DOCS_JSON_PATH,
    raw: ['json'],
    customSiteTitle: 'nest-keycloak-auth API',
    // Swagger UI asks for a client secret even with PKCE; the Swagger client is public and has none.
    customCss: '.auth-container .wrapper:has(label[for^="client_secret"]) { display: none; }',
    patchDocumentOnRequest: async (_req, res, document) => {
      // The answer changes when Keycloak comes and goes.
      (res as Response).setHeader('Cache-Control', 'no-store');
      return addKeycloakLogin(document);
    },
    swaggerOptions: {
      // Registered as a redirect URI of the Swagger client; explicit, so a
      // proxy in front of the app cannot make Swagger UI guess another one.
      oauth2RedirectUrl: `${config.publicBaseUrl}${OAUTH2_REDIRECT_PATH}`,
      initOAuth: {
        clientId: config.swaggerClientId,
        usePkceWithAuthorizationCodeGrant: true,
        scopes: Object.keys(OIDC_SCOPES),
      },
      // Tokens stay in memory: a reload signs the page out.
      persistAuthorization: false,
      displayRequestDuration: true,
      // Shows `x-required-roles` under each operation.
      showExtensions: true,
    },
  });
}

function buildDocument(app: INestApplication, rolesClientId: string): OpenAPIObject {
  const reader = new RouteAccessReader(app.get(ModulesContainer), app.get(RouteAccessPolicy));
  const base = new DocumentBuilder()
    .setTitle('nest-keycloak-auth API')
    .setDescription(
      'Example API protected by Keycloak. Click **Authorize** and sign in through Keycloak, ' +
        'or paste an access token. Locks, role notes and error responses are generated from ' +
        'the `@Public()` and `@Roles()` decorators.',
    )
    .setVersion('1.0')
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A Keycloak access token for this API.' },
      BEARER_SCHEME,
    )
    .build();
  const document = SwaggerModule.createDocument(app, base, { operationIdFactory: reader.operationIdFactory });
  return documentAuth(document, reader.accessOf, rolesClientId);
}
