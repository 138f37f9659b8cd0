import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { RESOLVED_AUTH_OPTIONS } from '../auth.constants';
import type { ResolvedAuthOptions } from '../auth-options.resolver';
import { principalOf } from '../decorators/current-user.decorator';
import { ROLES_KEY, type RoleRequirement } from '../decorators/roles.decorator';
import { hasRoles, InsufficientScopeError, MissingCredentialsError } from '../token';

/**
 * Enforces `@Roles()`: realm roles and client roles, any-of unless the
 * requirement says all-of. Runs after `JwtAuthGuard`, so a missing principal
 * here means the route was public and named roles: refused, never allowed.
 */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(RESOLVED_AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const requirement = this.reflector.getAllAndOverride<RoleRequirement | undefined>(ROLES_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!requirement) return true;
    const principal = principalOf(context);
    if (!principal) throw new MissingCredentialsError();
    if (hasRoles(principal, requirement, requirement.mode, this.options.rolesClientId)) return true;
    throw new InsufficientScopeError(requirement);
  }
}
