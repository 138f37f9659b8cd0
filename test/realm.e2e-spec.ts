// Proves keycloak/import/*.json against a running Keycloak: the roles, audiences,
// lifetimes and client settings the API and the other specs rely on.
import {
  API_CLIENT_ROLES,
  REALM_ROLES,
  apiPort,
  audiences,
  clients,
  partnerRealm,
  partnerUser,
  realm,
  users,
  type TestUser,
} from './support/env';
import { KeycloakAdmin } from './support/keycloak-admin';
import {
  TokenRequestError,
  authorizationCodeLogin,
  clientCredentials,
  decodeJwt,
  decodeJwtHeader,
  discovery,
  passwordGrant,
  refreshGrant,
  type JwtPayload,
} from './support/tokens';

const ACCESS_TOKEN_LIFESPAN_S = 300;
const everyUser = Object.values(users);

function audienceOf(claims: JwtPayload): string[] {
  return Array.isArray(claims.aud) ? claims.aud : claims.aud ? [claims.aud] : [];
}

function appRealmRoles(claims: JwtPayload): string[] {
  const roles = claims.realm_access?.roles ?? [];
  return REALM_ROLES.filter((role) => roles.includes(role));
}

function apiRoles(claims: JwtPayload): string[] {
  return [...(claims.resource_access?.[clients.api.clientId]?.roles ?? [])].sort();
}

async function refusal(pending: Promise<unknown>): Promise<TokenRequestError> {
  const error = await pending.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TokenRequestError);
  return error as TokenRequestError;
}

describe(`realm ${realm()}`, () => {
  const admin = new KeycloakAdmin();

  it('publishes its issuer through discovery', async () => {
    const { issuer } = await discovery();
    expect(new URL(issuer).pathname).toBe(`/realms/${realm()}`);
  });

  describe.each(everyUser.map((user): [string, TestUser] => [user.username, user]))('user %s (password grant via nest-test)', (_name, user) => {
    let claims: JwtPayload;
    let tokens: Awaited<ReturnType<typeof passwordGrant>>;

    beforeAll(async () => {
      tokens = await passwordGrant(user.username);
      claims = decodeJwt(tokens.accessToken);
    });

    it('gets a Bearer access token from this realm for the API audience', async () => {
      expect(claims.typ).toBe('Bearer');
      expect(claims.iss).toBe((await discovery()).issuer);
      expect(audienceOf(claims)).toContain(audiences.main);
      expect(claims.azp).toBe(clients.test.clientId);
      expect(decodeJwtHeader(tokens.accessToken)).toMatchObject({ alg: 'RS256', kid: expect.any(String) });
    });

    it('carries exactly its application realm roles and nest-api client roles', () => {
      expect(appRealmRoles(claims).sort()).toEqual([...user.realmRoles].sort());
      expect(apiRoles(claims)).toEqual([...user.apiRoles].sort());
    });

    it(`lives ${ACCESS_TOKEN_LIFESPAN_S} s`, () => {
      expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(ACCESS_TOKEN_LIFESPAN_S);
      expect(tokens.expiresIn).toBeGreaterThan(ACCESS_TOKEN_LIFESPAN_S - 5);
      expect(tokens.expiresIn).toBeLessThanOrEqual(ACCESS_TOKEN_LIFESPAN_S);
    });

    it('names the person and the session (profile, email, sid) in access and ID token', () => {
      expect(claims).toMatchObject({
        preferred_username: user.username,
        email: `${user.username}@example.com`,
        email_verified: true,
        given_name: expect.any(String),
        family_name: expect.any(String),
        sid: expect.any(String),
      });
      expect(tokens.idToken).toBeDefined();
      const idClaims = decodeJwt(tokens.idToken ?? '');
      expect(idClaims.sid).toBe(claims.sid);
      expect(idClaims.typ).toBe('ID');
    });
  });

  it('gives dave none of the application roles, also not through the default roles', async () => {
    const claims = decodeJwt((await passwordGrant(users.dave.username)).accessToken);
    for (const role of REALM_ROLES) expect(claims.realm_access?.roles ?? []).not.toContain(role);
    expect(claims.resource_access?.[clients.api.clientId]).toBeUndefined();

    const composites = await admin.request<{ name: string }[]>('GET', `/roles/default-roles-${realm()}/composites`);
    const names = composites.map((role) => role.name);
    expect(names).toEqual(expect.arrayContaining(['offline_access', 'uma_authorization']));
    for (const role of [...REALM_ROLES, ...API_CLIENT_ROLES]) expect(names).not.toContain(role);
  });

  describe('service account of nest-api (client credentials)', () => {
    it('gets a token for the API audience with realm role user and reports:read', async () => {
      const tokens = await clientCredentials(clients.api.clientId, clients.api.secret);
      const claims = decodeJwt(tokens.accessToken);
      expect(claims.typ).toBe('Bearer');
      expect(claims.azp).toBe(clients.api.clientId);
      expect(claims.preferred_username).toBe(`service-account-${clients.api.clientId}`);
      expect(audienceOf(claims)).toContain(audiences.main);
      expect(appRealmRoles(claims)).toEqual(['user']);
      expect(apiRoles(claims)).toEqual(['reports:read']);
      expect(claims.client_id).toBe(clients.api.clientId);
      expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(ACCESS_TOKEN_LIFESPAN_S);
    });

    it('is refused with a wrong secret', async () => {
      const error = await refusal(clientCredentials(clients.api.clientId, 'not-the-secret'));
      expect(error.status).toBe(401);
    });
  });

  describe('client settings', () => {
    it('nest-api: confidential, code flow with PKCE S256, back-channel logout with sid, no password grant', async () => {
      const client = await admin.getClient(clients.api.clientId);
      expect(client).toMatchObject({
        publicClient: false,
        standardFlowEnabled: true,
        implicitFlowEnabled: false,
        directAccessGrantsEnabled: false,
        serviceAccountsEnabled: true,
        frontchannelLogout: false,
      });
      expect([...(client.redirectUris ?? [])].sort()).toEqual([
        'http://localhost:3000/auth/callback',
        'http://localhost:3100/auth/callback',
      ]);
      expect(client.attributes).toMatchObject({
        'pkce.code.challenge.method': 'S256',
        'backchannel.logout.url': 'http://localhost:3000/auth/backchannel-logout',
        'backchannel.logout.session.required': 'true',
      });
      expect(client.attributes?.['post.logout.redirect.uris']?.split('##').sort()).toEqual([
        'http://localhost:3000/*',
        'http://localhost:3100/*',
      ]);
    });

    it('nest-api and nest-swagger refuse the password grant; only nest-test allows it', async () => {
      expect((await refusal(passwordGrant(users.alice.username, { client: clients.api }))).error).toBe('unauthorized_client');
      expect((await refusal(passwordGrant(users.alice.username, { client: clients.swagger }))).error).toBe('unauthorized_client');
    });

    it('nest-swagger enforces PKCE: an authorization request without a challenge is turned away', async () => {
      const authorize = new URL((await discovery()).authorization_endpoint);
      const redirectUri = 'http://localhost:3000/docs/oauth2-redirect.html';
      authorize.search = new URLSearchParams({
        client_id: clients.swagger.clientId,
        redirect_uri: redirectUri,
        response_type: 'code',
        scope: 'openid',
        state: 'pkce-check',
      }).toString();
      const response = await fetch(authorize, { redirect: 'manual' });
      const location = new URL(response.headers.get('location') ?? 'http://invalid/');
      expect(response.status).toBe(302);
      expect(`${location.origin}${location.pathname}`).toBe(redirectUri);
      expect(location.searchParams.get('error')).toBe('invalid_request');
    });

    it('realm: no TLS required, brute-force protection off, 300 s access tokens', async () => {
      expect(await admin.getRealm()).toMatchObject({
        sslRequired: 'none',
        bruteForceProtected: false,
        accessTokenLifespan: ACCESS_TOKEN_LIFESPAN_S,
      });
    });
  });

  describe('browser login (authorization code + PKCE) asks nothing after the password', () => {
    it.each(everyUser.map((user) => user.username))('%s lands on the nest-api callback with a code', async (username) => {
      const tokens = await authorizationCodeLogin({
        username,
        client: clients.api,
        redirectUri: `http://localhost:${apiPort()}/auth/callback`,
      });
      const claims = decodeJwt(tokens.accessToken);
      expect(claims.azp).toBe(clients.api.clientId);
      expect(claims.preferred_username).toBe(username);
      expect(audienceOf(claims)).toContain(audiences.main);
      expect(decodeJwt(tokens.idToken ?? '').sid).toBe(claims.sid);
    });

    it('works for the public Swagger client on its oauth2-redirect page', async () => {
      const tokens = await authorizationCodeLogin({
        username: users.bob.username,
        client: clients.swagger,
        redirectUri: 'http://localhost:3000/docs/oauth2-redirect.html',
      });
      const claims = decodeJwt(tokens.accessToken);
      expect(claims.azp).toBe(clients.swagger.clientId);
      expect(audienceOf(claims)).toContain(audiences.main);
      expect(apiRoles(claims)).toEqual(['reports:read']);
    });
  });

  it("keeps Keycloak's own account console working (its clients get the standard scopes too)", async () => {
    const accountUrl = `${(await discovery()).issuer}/account/`;
    const tokens = await authorizationCodeLogin({
      username: users.alice.username,
      client: { clientId: 'account-console' },
      redirectUri: accountUrl,
    });
    const response = await fetch(accountUrl, {
      headers: { authorization: `Bearer ${tokens.accessToken}`, accept: 'application/json' },
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { username: string }).username).toBe(users.alice.username);
  });

  it('ends a user session through the admin API: the session disappears and its refresh token stops working', async () => {
    const tokens = await passwordGrant(users.carol.username);
    const sid = decodeJwt(tokens.accessToken).sid;
    expect((await admin.userSessions(users.carol.username)).map((session) => session.id)).toContain(sid);

    await admin.logoutUser(users.carol.username);

    expect(await admin.userSessions(users.carol.username)).toEqual([]);
    expect((await refusal(refreshGrant(tokens.refreshToken ?? ''))).error).toBe('invalid_grant');
  });
});

describe(`realm ${partnerRealm()}`, () => {
  it('issues pat a token for partner-api only, from its own issuer', async () => {
    const tokens = await passwordGrant(partnerUser.username, { realm: partnerRealm(), password: partnerUser.password });
    const claims = decodeJwt(tokens.accessToken);
    expect(claims.iss).toBe((await discovery(partnerRealm())).issuer);
    expect(claims.iss).not.toBe((await discovery()).issuer);
    expect(claims.typ).toBe('Bearer');
    expect(claims.azp).toBe(clients.partnerTest.clientId);
    expect(audienceOf(claims)).toContain(audiences.partner);
    expect(audienceOf(claims)).not.toContain(audiences.main);
    expect(claims.realm_access?.roles).toContain('user');
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(ACCESS_TOKEN_LIFESPAN_S);
  });

  it('gives the partner-api service account a token for partner-api', async () => {
    const tokens = await clientCredentials(clients.partnerApi.clientId, clients.partnerApi.secret, { realm: partnerRealm() });
    expect(audienceOf(decodeJwt(tokens.accessToken))).toContain(audiences.partner);
  });

  it('does not know the users of the main realm', async () => {
    const error = await refusal(passwordGrant(users.alice.username, { realm: partnerRealm() }));
    expect(error.error).toBe('invalid_grant');
  });
});
