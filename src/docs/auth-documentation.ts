import type { OpenAPIObject, OperationObject, PathItemObject, SecurityRequirementObject } from '@nestjs/swagger';
import type { RoleRequirement } from '../auth';
import { authComponents, authResponseRefs } from './auth-responses';
import { BEARER_SCHEME, OAUTH2_SCHEME, REQUIRED_ROLES_EXTENSION } from './docs.constants';

/** What the guards will demand of a caller of one route, read from its decorators. */
export type RouteAccess = { kind: 'public' } | { kind: 'protected'; roles?: RoleRequirement };

/** `x-required-roles`: the `@Roles()` requirement with the default client named. */
export interface RequiredRolesExtension {
  mode: RoleRequirement['mode'];
  realm: string[];
  client: Record<string, string[]>;
}

/** Either scheme will do: a Keycloak login in the page, or a pasted access token. */
export const PROTECTED: readonly SecurityRequirementObject[] = [{ [OAUTH2_SCHEME]: [] }, { [BEARER_SCHEME]: [] }];

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

type Operation = OperationObject & { [REQUIRED_ROLES_EXTENSION]?: RequiredRolesExtension };

/**
 * Writes each operation's security, role notes and error responses from what
 * the guards will enforce, so the page cannot drift from the decorators.
 * Anything hand-written on an operation's security is replaced; hand-written
 * 4xx responses are kept.
 */
export function documentAuth(
  document: OpenAPIObject,
  accessOf: (operationId: string | undefined) => RouteAccess,
  rolesClientId: string,
): OpenAPIObject {
  document.components = mergeComponents(document.components ?? {}, authComponents());
  for (const pathItem of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = (pathItem as PathItemObject)[method] as Operation | undefined;
      if (operation) describeOperation(operation, accessOf(operation.operationId), rolesClientId);
    }
  }
  return document;
}

function describeOperation(operation: Operation, access: RouteAccess, rolesClientId: string): void {
  if (access.kind === 'public') {
    // Explicitly none, so a document-wide requirement added later cannot put a lock on it.
    operation.security = [];
    delete operation[REQUIRED_ROLES_EXTENSION];
    return;
  }
  operation.security = PROTECTED.map((requirement) => ({ ...requirement }));
  operation.responses = { ...authResponseRefs(), ...operation.responses };
  if (access.roles) {
    const roles = requiredRoles(access.roles, rolesClientId);
    operation[REQUIRED_ROLES_EXTENSION] = roles;
    operation.description = [operation.description, describeRoles(roles)].filter(Boolean).join('\n\n');
  }
}

/** The requirement as the guard resolves it: the default client's roles under its real id. */
export function requiredRoles(requirement: RoleRequirement, rolesClientId: string): RequiredRolesExtension {
  const client: Record<string, string[]> = {};
  for (const [clientId, roles] of Object.entries(requirement.client)) {
    // `@Roles({ client: [...] })` without a clientId is stored under the empty key (DEFAULT_CLIENT).
    const id = clientId || rolesClientId;
    client[id] = [...(client[id] ?? []), ...roles];
  }
  return { mode: requirement.mode, realm: [...requirement.realm], client };
}

/** One sentence for the operation description, e.g. "Requires one of the roles: `manager` (realm), `admin` (realm)." */
export function describeRoles(roles: RequiredRolesExtension): string {
  const names = [
    ...roles.realm.map((role) => `\`${role}\` (realm role)`),
    ...Object.entries(roles.client).flatMap(([clientId, granted]) =>
      granted.map((role) => `\`${role}\` (client role of \`${clientId}\`)`),
    ),
  ];
  const lead =
    names.length === 1 ? 'Requires the role' : roles.mode === 'all' ? 'Requires all of the roles' : 'Requires one of the roles';
  return `**${lead}:** ${names.join(', ')}. Without it the API answers 403 \`insufficient_scope\`.`;
}

function mergeComponents(
  existing: NonNullable<OpenAPIObject['components']>,
  added: NonNullable<OpenAPIObject['components']>,
): NonNullable<OpenAPIObject['components']> {
  return {
    ...existing,
    schemas: { ...added.schemas, ...existing.schemas },
    responses: { ...added.responses, ...existing.responses },
  };
}
