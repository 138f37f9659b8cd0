/** Names the docs share with Swagger UI, the document and the tests. */

/** Swagger UI; its static assets, `swagger-ui-init.js` and `oauth2-redirect.html` live below it. */
export const DOCS_PATH = '/docs';
/** The OpenAPI 3 document. */
export const DOCS_JSON_PATH = '/docs-json';
/** Where Keycloak sends the browser back to with the code (the Swagger client's registered redirect URI). */
export const OAUTH2_REDIRECT_PATH = `${DOCS_PATH}/oauth2-redirect.html`;

/** Security scheme names, as they appear in `components.securitySchemes` and in each operation. */
export const OAUTH2_SCHEME = 'keycloak';
export const BEARER_SCHEME = 'bearer';

/** Operation extension carrying the route's `@Roles()` requirement, machine-readable. */
export const REQUIRED_ROLES_EXTENSION = 'x-required-roles';

/**
 * Standard OpenID Connect scopes offered in the Authorize dialog. The API
 * checks roles, not scopes, so none is required; `profile` and `email` only
 * make the token carry the claims `/api/profile` shows.
 */
export const OIDC_SCOPES: Readonly<Record<string, string>> = {
  openid: 'OpenID Connect sign-in',
  profile: 'Name and username claims',
  email: 'E-mail claims',
};
