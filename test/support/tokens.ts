// Tokens from the test Keycloak for e2e specs. Every endpoint comes from the realm's
// discovery document; only the well-known URL itself is built here.
import { createHash, randomBytes } from 'node:crypto';
import { clients, keycloakUrl, partnerRealm, realm as mainRealm, users, type TestClient } from './env';

export interface OidcDiscovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
  end_session_endpoint: string;
  revocation_endpoint: string;
  introspection_endpoint: string;
  userinfo_endpoint: string;
  [key: string]: unknown;
}

export interface TokenSet {
  accessToken: string;
  refreshToken?: string;
  idToken?: string;
  tokenType: string;
  /** Seconds, as Keycloak reports them. */
  expiresIn: number;
  refreshExpiresIn?: number;
  scope?: string;
}

/** A JWT payload, unverified. */
export type JwtPayload = Record<string, unknown> & {
  iss?: string;
  sub?: string;
  aud?: string | string[];
  exp?: number;
  iat?: number;
  typ?: string;
  azp?: string;
  sid?: string;
  realm_access?: { roles: string[] };
  resource_access?: Record<string, { roles: string[] }>;
};

/** Token endpoint refusals keep Keycloak's OAuth error code; never the request's secrets. */
export class TokenRequestError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly errorDescription?: string,
  ) {
    super(`token request failed: HTTP ${status} ${error}${errorDescription ? ` (${errorDescription})` : ''}`);
    this.name = 'TokenRequestError';
  }
}

export function discoveryUrl(realm: string = mainRealm()): string {
  return `${keycloakUrl()}/realms/${encodeURIComponent(realm)}/.well-known/openid-configuration`;
}

// Test-only memo: a run never changes the endpoints of a realm it did not create.
const discoveries = new Map<string, Promise<OidcDiscovery>>();

export function discovery(realm: string = mainRealm()): Promise<OidcDiscovery> {
  const url = discoveryUrl(realm);
  let pending = discoveries.get(url);
  if (!pending) {
    pending = fetch(url).then(async (response) => {
      if (!response.ok) throw new Error(`discovery of realm ${realm} failed: HTTP ${response.status}`);
      return (await response.json()) as OidcDiscovery;
    });
    pending.catch(() => discoveries.delete(url));
    discoveries.set(url, pending);
  }
  return pending;
}

/** Default test client of a realm: the one with direct access grants. */
function testClientOf(realm: string): TestClient {
  return realm === partnerRealm() ? clients.partnerTest : clients.test;
}

async function tokenRequest(realm: string, form: Record<string, string | undefined>): Promise<TokenSet> {
  const { token_endpoint } = await discovery(realm);
  const body = new URLSearchParams(Object.entries(form).filter((e): e is [string, string] => e[1] !== undefined));
  const response = await fetch(token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });
  const json = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) {
    throw new TokenRequestError(response.status, String(json.error ?? 'unknown_error'), json.error_description as string | undefined);
  }
  return {
    accessToken: json.access_token as string,
    refreshToken: json.refresh_token as string | undefined,
    idToken: json.id_token as string | undefined,
    tokenType: json.token_type as string,
    expiresIn: json.expires_in as number,
    refreshExpiresIn: json.refresh_expires_in as number | undefined,
    scope: json.scope as string | undefined,
  };
}

export interface PasswordGrantOptions {
  /** Defaults to the user's `<username>-pass`. */
  password?: string;
  realm?: string;
  /** Defaults to the realm's direct-grant test client (`nest-test`, `partner-test`). */
  client?: TestClient;
  /** Space-separated; `openid` (the default) also returns an ID token. */
  scope?: string;
}

/** Resource-owner password grant through the realm's test client (test suite only). */
export function passwordGrant(username: string, opts: PasswordGrantOptions = {}): Promise<TokenSet> {
  const realm = opts.realm ?? mainRealm();
  const client = opts.client ?? testClientOf(realm);
  const known = (users as Record<string, { password: string } | undefined>)[username];
  return tokenRequest(realm, {
    grant_type: 'password',
    client_id: client.clientId,
    client_secret: client.secret,
    username,
    password: opts.password ?? known?.password ?? `${username}-pass`,
    scope: opts.scope ?? 'openid',
  });
}

/** Client credentials grant for a confidential client's service account. */
export function clientCredentials(clientId: string, secret: string, opts: { realm?: string; scope?: string } = {}): Promise<TokenSet> {
  return tokenRequest(opts.realm ?? mainRealm(), {
    grant_type: 'client_credentials',
    client_id: clientId,
    client_secret: secret,
    scope: opts.scope,
  });
}

export function refreshGrant(refreshToken: string, opts: { realm?: string; client?: TestClient } = {}): Promise<TokenSet> {
  const realm = opts.realm ?? mainRealm();
  const client = opts.client ?? testClientOf(realm);
  return tokenRequest(realm, {
    grant_type: 'refresh_token',
    client_id: client.clientId,
    client_secret: client.secret,
    refresh_token: refreshToken,
  });
}

/** RFC 7009 revocation at the realm's revocation endpoint. */
export async function revokeToken(
  token: string,
  opts: { realm?: string; client?: TestClient; hint?: 'access_token' | 'refresh_token' } = {},
): Promise<void> {
  const realm = opts.realm ?? mainRealm();
  const client = opts.client ?? testClientOf(realm);
  const { revocation_endpoint } = await discovery(realm);
  const body = new URLSearchParams({ token, client_id: client.clientId, token_type_hint: opts.hint ?? 'refresh_token' });
  if (client.secret) body.set('client_secret', client.secret);
  const response = await fetch(revocation_endpoint, { method: 'POST', body });
  if (!response.ok) throw new Error(`revocation failed: HTTP ${response.status}`);
}

function decodeSegment(segment: string | undefined, what: string): Record<string, unknown> {
  if (!segment) throw new Error(`not a JWT: no ${what}`);
  return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** Payload of a JWT WITHOUT verifying it: for asserting on tokens in tests, nothing else. */
export function decodeJwt(token: string): JwtPayload {
  return decodeSegment(token.split('.')[1], 'payload') as JwtPayload;
}

/** Protected header (alg, kid, typ) of a JWT, unverified. */
export function decodeJwtHeader(token: string): { alg: string; kid?: string; typ?: string } {
  return decodeSegment(token.split('.')[0], 'header') as { alg: string; kid?: string; typ?: string };
}

// ------------------------------------------------------- browser flow over HTTP

export interface CodeFlowOptions {
  username: string;
  password?: string;
  realm?: string;
  /** A client with the standard flow; a secret makes the code exchange confidential. */
  client?: TestClient;
  redirectUri: string;
  scope?: string;
}

/** Thrown when Keycloak shows anything but a redirect after the password form. */
export class LoginInterruptedError extends Error {
  constructor(readonly pageTitle: string) {
    super(`login did not complete: Keycloak showed "${pageTitle}"`);
    this.name = 'LoginInterruptedError';
  }
}

class CookieJar {
  private readonly cookies = new Map<string, string>();

  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq > 0) this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

const htmlDecode = (text: string): string =>
  text.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');

function pageTitle(html: string): string {
  const heading = /id="kc-page-title"[^>]*>([\s\S]*?)</.exec(html)?.[1] ?? /<title>([\s\S]*?)<\/title>/.exec(html)?.[1];
  return htmlDecode(heading ?? 'an unknown page').replace(/\s+/g, ' ').trim();
}

/**
 * The authorization code flow (PKCE S256) the way a browser drives Keycloak's login
 * form, without a browser: proves a user gets a code straight after the password,
 * with no required action or profile page in between.
 */
export async function authorizationCodeLogin(opts: CodeFlowOptions): Promise<TokenSet> {
  const realm = opts.realm ?? mainRealm();
  const client = opts.client ?? clients.api;
  const { authorization_endpoint } = await discovery(realm);
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(16).toString('base64url');
  const authorize = new URL(authorization_endpoint);
  authorize.search = new URLSearchParams({
    client_id: client.clientId,
    redirect_uri: opts.redirectUri,
    response_type: 'code',
    scope: opts.scope ?? 'openid',
    state,
    nonce: randomBytes(16).toString('base64url'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();

  const jar = new CookieJar();
  const loginPage = await fetch(authorize, { redirect: 'manual' });
  jar.store(loginPage);
  const html = await loginPage.text();
  const action = /<form[^>]*id="kc-form-login"[^>]*action="([^"]+)"/.exec(html)?.[1];
  if (loginPage.status !== 200 || !action) throw new LoginInterruptedError(pageTitle(html));

  const submitted = await fetch(htmlDecode(action), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar.header() },
    body: new URLSearchParams({
      username: opts.username,
      password: opts.password ?? `${opts.username}-pass`,
      credentialId: '',
    }),
  });
  const location = submitted.headers.get('location');
  if (submitted.status !== 302 || !location?.startsWith(opts.redirectUri)) {
    throw new LoginInterruptedError(pageTitle(await submitted.text()));
  }
  const callback = new URL(location);
  if (callback.searchParams.get('state') !== state) throw new Error('login returned a different state');
  const code = callback.searchParams.get('code');
  if (!code) throw new Error(`login returned no code (error: ${callback.searchParams.get('error') ?? 'none'})`);

  return tokenRequest(realm, {
    grant_type: 'authorization_code',
    client_id: client.clientId,
    client_secret: client.secret,
    code,
    redirect_uri: opts.redirectUri,
    code_verifier: verifier,
  });
}
