import { Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { RESOLVED_AUTH_OPTIONS } from '../auth.constants';
import type { ResolvedAuthOptions } from '../auth-options.resolver';
import { IS_PUBLIC_KEY } from '../decorators/public.decorator';
import { ROLES_KEY, type RoleRequirement } from '../decorators/roles.decorator';

/** A route handler and its controller, the order `getAllAndOverride` reads them in. */
export type RouteTargets = Parameters<Reflector['getAllAndOverride']>[1];

/**
 * The one reading of `@Public()`, `@Roles()` and `defaultAccess`, shared by the
 * guards and by anything that describes routes (the OpenAPI document), so the
 * two can never disagree about which routes need a caller.
 */
@Injectable()
export class RouteAccessPolicy {
  constructor(
    private readonly reflector: Reflector,
    @Inject(RESOLVED_AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
  ) {}

  /** Whether the authentication guard lets a request through without credentials. */
  isPublic(targets: RouteTargets): boolean {
    const explicit = this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC_KEY, targets);
    if (explicit !== undefined) return explicit;
    if (this.options.defaultAccess === 'protected') return false;
    // With public-by-default, a route that names roles still needs a caller to check them on.
    return this.roles(targets) === undefined;
  }

  /** The roles a route requires, if any. */
  roles(targets: RouteTargets): RoleRequirement | undefined {
    return this.reflector.getAllAndOverride<RoleRequirement | undefined>(ROLES_KEY, targets);
  }

  /** Whether anyone may call the route: public and naming no roles. */
  isOpen(targets: RouteTargets): boolean {
    return this.isPublic(targets) && this.roles(targets) === undefined;
  }
}
