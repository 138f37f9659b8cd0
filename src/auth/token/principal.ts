/**
 * The authenticated caller, built once per verified token (and then cached
 * with it), and the one place roles are read from Keycloak claims
 * (`realm_access.roles`, `resource_access[clientId].roles`). Checking roles
 * against a requirement is `roles.ts`.
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
    audience: typeof aud === 'string' ? Object.freeze([aud]) : stringsOrEmpty(aud),
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

const NONE: readonly string[] = Object.freeze([]);

function rolesOf(access: unknown): readonly string[] {
  if (typeof access !== 'object' || access === null) return NONE;
  return stringsOrEmpty((access as { roles?: unknown }).roles);
}

/**
 * A claim's list of strings as it is (the claims are deeply frozen by now, so
 * it can be shared), its strings only if it mixes in other values, or none.
 */
function stringsOrEmpty(list: unknown): readonly string[] {
  if (!Array.isArray(list)) return NONE;
  for (const item of list) {
    if (typeof item !== 'string') return Object.freeze(list.filter((role): role is string => typeof role === 'string'));
  }
  return list as readonly string[];
}

function clientRolesFrom(resourceAccess: unknown): Readonly<Record<string, readonly string[]>> {
  const result: Record<string, readonly string[]> = Object.create(null) as Record<string, readonly string[]>;
  if (typeof resourceAccess === 'object' && resourceAccess !== null && !Array.isArray(resourceAccess)) {
    for (const clientId of Object.keys(resourceAccess)) result[clientId] = rolesOf((resourceAccess as Record<string, unknown>)[clientId]);
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
  if (Array.isArray(value)) {
    for (const item of value) deepFreeze(item);
  } else {
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
}
