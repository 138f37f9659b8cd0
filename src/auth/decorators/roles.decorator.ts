import { SetMetadata } from '@nestjs/common';
import { DEFAULT_CLIENT, type RoleMatchMode } from '../token';

export const ROLES_KEY = 'nka:roles';

/**
 * A role requirement in object form. Keycloak client role names often contain
 * `:` (e.g. `reports:read`), so client roles are never encoded in a string.
 */
export interface RoleSpec {
  /** Realm roles (`realm_access.roles`). */
  realm?: readonly string[];
  /** Client roles (`resource_access[clientId].roles`). */
  client?: readonly string[];
  /** Client whose roles `client` names; defaults to the module's `rolesClientId`. */
  clientId?: string;
  mode?: RoleMatchMode;
}

/** Normalised form stored as metadata and read by `RolesGuard`. */
export interface RoleRequirement {
  realm: string[];
  /** Client id → roles; `DEFAULT_CLIENT` stands for the module's `rolesClientId`. */
  client: Record<string, string[]>;
  mode: RoleMatchMode;
}

/**
 * Restricts a route or controller to principals holding roles.
 *
 * @example
 * `@Roles('manager', 'admin')`                          any of two realm roles
 * `@Roles({ client: ['reports:read'] })`               a role of the default client
 * `@Roles({ realm: ['user', 'manager'], mode: 'all' })` both realm roles
 */
export const Roles = (...specs: Array<string | RoleSpec>) =>
  SetMetadata(ROLES_KEY, toRoleRequirement(specs));

export function toRoleRequirement(specs: ReadonlyArray<string | RoleSpec>): RoleRequirement {
  const requirement: RoleRequirement = { realm: [], client: {}, mode: 'any' };
  for (const spec of specs) {
    if (typeof spec === 'string') {
      requirement.realm.push(spec);
      continue;
    }
    requirement.realm.push(...(spec.realm ?? []));
    if (spec.client?.length) {
      const key = spec.clientId ?? DEFAULT_CLIENT;
      requirement.client[key] = [...(requirement.client[key] ?? []), ...spec.client];
    }
    if (spec.mode === 'all') requirement.mode = 'all';
  }
  // An empty requirement would be neither "allow" nor "deny"; fail at start-up, not per request.
  const named = requirement.realm.length + Object.values(requirement.client).reduce((n, roles) => n + roles.length, 0);
  if (named === 0) throw new TypeError('@Roles() needs at least one role');
  return requirement;
}
