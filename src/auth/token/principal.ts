/**
 * The authenticated caller, built once per verified token, and the one place
 * roles are read from Keycloak claims (`realm_access.roles`,
 * `resource_access[clientId].roles`).
 *
 * Role requirements are structured, not strings: Keycloak client role names
 * may contain ':' (ours are `reports:read`), so `'client:role'` strings would
 * be ambiguous. The form is
 *   { realm: ['admin'] }                          realm roles
 *   { client: { 'nest-api': ['reports:read'] } }  client roles by client id
 *   { client: { [DEFAULT_CLIENT]: ['reports:read'] } }  roles of the API's own
 *       client, resolved by `hasRoles`' `defaultClientId`, so decorators need
 *       not repeat the client id (see `requireDefaultClientRoles`).
 * 'any' means one listed role suffices, 'all' that every listed role is needed.
 */
import type { JwtClaims } from './jwt-verifier';

export interface AuthPrincipal {
  readonly subject: string;
  /** `preferred_username` */
  readonly username?: string;
  readonly email?: string;
  readonly emailVerified?: boolean;
  readonly name?: string;
  readonly givenName?: string;
  readonly familyName?: string;
  readonly realmRoles: readonly string[];
  /** Client id → roles of that client. */
  readonly clientRoles: Readonly<Record<string, readonly string[]>>;
  /** The `scope` claim, split. */
  readonly scopes: readonly string[];
  readonly issuer: string;
  readonly audience: readonly string[];
  /** `azp`: the client the token was issued to. */
  readonly authorizedParty?: string;
  /** `exp`, seconds since the epoch. */
  readonly expiresAt: number;
  /** `sid`: the Keycloak session, matched by back-channel logout. */
  readonly sessionId?: string;
  /** `jti` */
  readonly tokenId?: string;
  /** The verified payload, deeply frozen. */
  readonly claims: JwtClaims;
}

/** Builds a frozen principal; `claims` must already be verified. */
export function toPrincipal(claims: JwtClaims): AuthPrincipal {
  deepFreeze(claims);
  const aud = claims.aud;
  return Object.freeze({
    subject: typeof claims.sub === 'string' ? claims.sub : '',
    username: optionalString(claims.preferred_username),
    email: optionalString(claims.email),
    emailVerified: typeof claims.email_verified === 'boolean' ? claims.email_verified : undefined,
    name: optionalString(claims.name),
    givenName: optionalString(claims.given_name),
    familyName: optionalString(claims.family_name),
    realmRoles: rolesOf(claims.realm_access),
    clientRoles: clientRolesFrom(claims.resource_access),
    scopes: Object.freeze(typeof claims.scope === 'string' ? claims.scope.split(' ').filter(Boolean) : []),
    issuer: claims.iss,
    audience: Object.freeze(typeof aud === 'string' ? [aud] : Array.isArray(aud) ? [...aud] : []),
    authorizedParty: optionalString(claims.azp),
    expiresAt: typeof claims.exp === 'number' ? claims.exp : 0,
    sessionId: optionalString(claims.sid),
    tokenId: optionalString(claims.jti),
    claims,
  });
}

/** Roles of one client; empty when the principal has none (or the id is odd, like `__proto__`). */
export function clientRolesOf(principal: AuthPrincipal, clientId: string): readonly string[] {
  return Object.prototype.hasOwnProperty.call(principal.clientRoles, clientId) ? principal.clientRoles[clientId] : [];
}

/** Stands for the API's own client in `RequiredRoles.client`. */
export const DEFAULT_CLIENT = '';

export type RoleMatchMode = 'any' | 'all';

export interface RequiredRoles {
  readonly realm?: readonly string[];
  /** Client id (or `DEFAULT_CLIENT`) → roles. */
  readonly client?: Readonly<Record<string, readonly string[]>>;
}

export function requireRealmRoles(...roles: string[]): RequiredRoles {
  return { realm: roles };
}

export function requireClientRoles(clientId: string, ...roles: string[]): RequiredRoles {
  return { client: { [clientId]: roles } };
}

export function requireDefaultClientRoles(...roles: string[]): RequiredRoles {
  return requireClientRoles(DEFAULT_CLIENT, ...roles);
}

/**
 * Whether the principal holds the required roles. A requirement naming no
 * role, or naming `DEFAULT_CLIENT` without a `defaultClientId`, is a
 * programming error and throws rather than silently allowing or denying.
 */
export function hasRoles(
  principal: AuthPrincipal,
  required: RequiredRoles,
  mode: RoleMatchMode = 'any',
  defaultClientId?: string,
): boolean {
  let named = 0;
  let held = 0;
  for (const role of required.realm ?? []) {
    named++;
    if (principal.realmRoles.includes(role)) held++;
  }
  for (const [key, roles] of Object.entries(required.client ?? {})) {
    let clientId = key;
    if (key === DEFAULT_CLIENT) {
      if (!defaultClientId) throw new TypeError('a default-client role was required but no default client id is configured');
      clientId = defaultClientId;
    }
    const granted = clientRolesOf(principal, clientId);
    for (const role of roles) {
      named++;
      if (granted.includes(role)) held++;
    }
  }
  if (named === 0) throw new TypeError('a role requirement must name at least one role');
  return mode === 'all' ? held === named : held > 0;
}

function rolesOf(access: unknown): readonly string[] {
  if (typeof access !== 'object' || access === null) return Object.freeze([]);
  const roles = (access as { roles?: unknown }).roles;
  return Object.freeze(Array.isArray(roles) ? roles.filter((role): role is string => typeof role === 'string') : []);
}

function clientRolesFrom(resourceAccess: unknown): Readonly<Record<string, readonly string[]>> {
  const result: Record<string, readonly string[]> = Object.create(null) as Record<string, readonly string[]>;
  if (typeof resourceAccess === 'object' && resourceAccess !== null && !Array.isArray(resourceAccess)) {
    for (const [clientId, access] of Object.entries(resourceAccess)) result[clientId] = rolesOf(access);
  }
  return Object.freeze(result);
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Verified payloads are shared by every request presenting the same token, so nobody may change them. */
function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
}
