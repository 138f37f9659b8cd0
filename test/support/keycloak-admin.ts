// A small client of Keycloak's admin REST API for e2e specs that change the realm at
// run time (logout a user, rotate keys, point back-channel logout at the test app).
// Specs that change something restore it: other specs share the same Keycloak.
import { keycloakAdminCredentials, keycloakUrl, realm as mainRealm } from './env';
import { discovery } from './tokens';

export interface ClientRepresentation {
  id: string;
  clientId: string;
  attributes?: Record<string, string>;
  redirectUris?: string[];
  [key: string]: unknown;
}

export interface UserRepresentation {
  id: string;
  username: string;
  [key: string]: unknown;
}

export interface UserSessionRepresentation {
  id: string;
  username: string;
  userId: string;
  start: number;
  lastAccess: number;
  /** Client UUID -> clientId of the clients in the session. */
  clients: Record<string, string>;
}

export interface RealmKey {
  kid: string;
  algorithm: string;
  type: string;
  providerId: string;
  providerPriority: number;
  status: string;
  use?: string;
  publicKey?: string;
}

export interface RsaKeyProviderOptions {
  name: string;
  /** Keycloak signs with the active key of the highest priority (built-in: 100). */
  priority: number;
  algorithm?: string;
  keySize?: number;
  active?: boolean;
  enabled?: boolean;
}

export class AdminRequestError extends Error {
  constructor(
    readonly status: number,
    readonly method: string,
    readonly path: string,
  ) {
    super(`Keycloak admin ${method} ${path} failed: HTTP ${status}`);
    this.name = 'AdminRequestError';
  }
}

// Admin tokens live 60 s in master; renew a little early rather than on a 401.
const TOKEN_RENEWAL_MARGIN_MS = 10_000;

export class KeycloakAdmin {
  private accessToken?: { value: string; expiresAt: number };

  constructor(
    readonly realm: string = mainRealm(),
    private readonly credentials = keycloakAdminCredentials(),
  ) {}

  /** The same admin for another realm (shares nothing but the credentials). */
  forRealm(realm: string): KeycloakAdmin {
    return new KeycloakAdmin(realm, this.credentials);
  }

  // -------------------------------------------------------------- clients

  async getClient(clientId: string): Promise<ClientRepresentation> {
    const found = await this.request<ClientRepresentation[]>('GET', `/clients?${new URLSearchParams({ clientId, search: 'false' })}`);
    if (!found[0]) throw new Error(`client ${clientId} not found in realm ${this.realm}`);
    return found[0];
  }

  async updateClient(clientId: string, changes: Partial<ClientRepresentation>): Promise<ClientRepresentation> {
    const current = await this.getClient(clientId);
    await this.request('PUT', `/clients/${current.id}`, { ...current, ...changes, id: current.id });
    return current;
  }

  /**
   * Merges attributes (e.g. `backchannel.logout.url`) into the client.
   * Resolves with the attributes as they were, for restoring afterwards.
   */
  async updateClientAttributes(clientId: string, attributes: Record<string, string>): Promise<Record<string, string>> {
    const current = await this.getClient(clientId);
    const before = { ...(current.attributes ?? {}) };
    await this.request('PUT', `/clients/${current.id}`, { ...current, attributes: { ...before, ...attributes } });
    return before;
  }

  // ---------------------------------------------------------------- users

  async getUser(username: string): Promise<UserRepresentation> {
    const found = await this.request<UserRepresentation[]>('GET', `/users?${new URLSearchParams({ username, exact: 'true' })}`);
    if (!found[0]) throw new Error(`user ${username} not found in realm ${this.realm}`);
    return found[0];
  }

  /** Ends every session of the user; Keycloak sends back-channel logout tokens to clients that asked for them. */
  async logoutUser(username: string): Promise<void> {
    const user = await this.getUser(username);
    await this.request('POST', `/users/${user.id}/logout`);
  }

  async userSessions(username: string): Promise<UserSessionRepresentation[]> {
    const user = await this.getUser(username);
    return this.request<UserSessionRepresentation[]>('GET', `/users/${user.id}/sessions`);
  }

  /** Deletes one session by id (the `sid` claim of its tokens). */
  async deleteSession(sessionId: string): Promise<void> {
    await this.request('DELETE', `/sessions/${encodeURIComponent(sessionId)}`);
  }

  /** Ends every session of the realm. */
  async logoutAll(): Promise<void> {
    await this.request('POST', '/logout-all');
  }

  // ----------------------------------------------------------------- keys

  async realmKeys(): Promise<RealmKey[]> {
    const { keys } = await this.request<{ keys: RealmKey[] }>('GET', '/keys');
    return keys;
  }

  /** Active signing key Keycloak uses for `algorithm` right now. */
  async activeKid(algorithm = 'RS256'): Promise<string> {
    const { active } = await this.request<{ active: Record<string, string> }>('GET', '/keys');
    const kid = active[algorithm];
    if (!kid) throw new Error(`realm ${this.realm} has no active ${algorithm} key`);
    return kid;
  }

  /** Adds a generated RSA key provider; resolves with the component id for deleteComponent. */
  async addRsaKeyProvider(opts: RsaKeyProviderOptions): Promise<string> {
    const { id: realmId } = await this.request<{ id: string }>('GET', '');
    const response = await this.send('POST', '/components', {
      name: opts.name,
      providerId: 'rsa-generated',
      providerType: 'org.keycloak.keys.KeyProvider',
      parentId: realmId,
      config: {
        priority: [String(opts.priority)],
        algorithm: [opts.algorithm ?? 'RS256'],
        keySize: [String(opts.keySize ?? 2048)],
        active: [String(opts.active ?? true)],
        enabled: [String(opts.enabled ?? true)],
      },
    });
    const location = response.headers.get('location');
    const id = location?.split('/').pop();
    if (!id) throw new Error('Keycloak created the key provider but returned no Location');
    return id;
  }

  async deleteComponent(id: string): Promise<void> {
    await this.request('DELETE', `/components/${encodeURIComponent(id)}`);
  }

  // ---------------------------------------------------------------- realm

  async getRealm(): Promise<Record<string, unknown>> {
    return this.request<Record<string, unknown>>('GET', '');
  }

  /** Partial realm update (e.g. accessTokenLifespan); resolves with the previous values of the changed keys. */
  async updateRealm(changes: Record<string, unknown>): Promise<Record<string, unknown>> {
    const current = await this.getRealm();
    await this.request('PUT', '', changes);
    return Object.fromEntries(Object.keys(changes).map((key) => [key, current[key]]));
  }

  /** Makes every token issued before now invalid for Keycloak (introspection, refresh). */
  async revokeTokensIssuedBeforeNow(): Promise<void> {
    await this.request('PUT', '', { notBefore: Math.floor(Date.now() / 1000) });
  }

  // ------------------------------------------------------------ transport

  async request<T = void>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.send(method, path, body);
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  private async send(method: string, path: string, body?: unknown): Promise<Response> {
    const url = `${keycloakUrl()}/admin/realms/${encodeURIComponent(this.realm)}${path}`;
    const response = await fetch(url, {
      method,
      headers: {
        authorization: `Bearer ${await this.token()}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) {
      await response.body?.cancel();
      throw new AdminRequestError(response.status, method, path);
    }
    return response;
  }

  private async token(): Promise<string> {
    if (this.accessToken && Date.now() < this.accessToken.expiresAt - TOKEN_RENEWAL_MARGIN_MS) return this.accessToken.value;
    const { token_endpoint } = await discovery('master');
    const response = await fetch(token_endpoint, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'password',
        client_id: 'admin-cli',
        username: this.credentials.username,
        password: this.credentials.password,
      }),
    });
    if (!response.ok) throw new AdminRequestError(response.status, 'POST', 'master token endpoint');
    const json = (await response.json()) as { access_token: string; expires_in: number };
    this.accessToken = { value: json.access_token, expiresAt: Date.now() + json.expires_in * 1000 };
    return json.access_token;
  }
}
