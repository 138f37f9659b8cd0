import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { RESOLVED_AUTH_OPTIONS } from '../auth.constants';
import type { ResolvedAuthOptions } from '../auth-options.resolver';
import { principalOf } from '../decorators/current-user.decorator';
import { RouteAccessPolicy } from './route-access.policy';
import { hasRoles, InsufficientScopeError, MissingCredentialsError } from '../token';

/**
 * Enforces `@Roles()`: realm roles and client roles, any-of unless the
 * requirement says all-of. Runs after `JwtAuthGuard`, so a missing principal
 * here means the route was public and named roles: refused, never allowed.
 */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(
    private readonly access: RouteAccessPolicy,
    @Inject(RESOLVED_AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const requirement = this.access.roles([context.getHandler(), context.getClass()]);
    if (!requirement) return true;
    const principal = principalOf(context);
    if (!principal) throw new MissingCredentialsError();
    if (hasRoles(principal, requirement, requirement.mode, this.options.rolesClientId)) return true;
    throw new InsufficientScopeError(requirement);
  }
}
