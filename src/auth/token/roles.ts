/**
 * Role requirements and the one role check. Requirements are structured, not
 * strings: Keycloak client role names may contain ':' (ours are
 * `reports:read`), so `'client:role'` strings would be ambiguous. The form is
 *   { realm: ['admin'] }                          realm roles
 *   { client: { 'nest-api': ['reports:read'] } }  client roles by client id
 *   { client: { [DEFAULT_CLIENT]: ['reports:read'] } }  roles of the API's own
 *       client, resolved by `hasRoles`' `defaultClientId`, so decorators need
 *       not repeat the client id (see `requireDefaultClientRoles`).
 * 'any' means one listed role suffices, 'all' that every listed role is needed.
 */
import { clientRolesOf, type AuthPrincipal } from './principal';

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
