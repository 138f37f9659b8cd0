import { Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { RESOLVED_AUTH_OPTIONS } from '../auth.constants';
import type { ResolvedAuthOptions } from '../auth-options.resolver';
import { IS_PUBLIC_KEY } from '../decorators/public.decorator';
import { ROLES_KEY, type RoleRequirement } from '../decorators/roles.decorator';

/** A route handler and its controller, the order `getAllAndOverride` reads them in. */
export type RouteTargets = Parameters<Reflector['getAllAndOverride']>[1];

interface RouteAccess {
  readonly isPublic: boolean;
  readonly roles: RoleRequirement | undefined;
}

/**
 * The one reading of `@Public()`, `@Roles()` and `defaultAccess`, shared by the
 * guards and by anything that describes routes (the OpenAPI document), so the
 * two can never disagree about which routes need a caller.
 *
 * Decorator metadata is fixed once classes are defined, so each handler and
 * controller pair is read once and remembered: both guards ask on every
 * request, and four metadata reads per request were a measurable part of a
 * cached token's cost. Keyed by handler, then controller, because an inherited
 * handler can sit in controllers with different class-level decorators.
 */
@Injectable()
export class RouteAccessPolicy {
  private readonly decided = new WeakMap<object, WeakMap<object, RouteAccess>>();

  constructor(
    private readonly reflector: Reflector,
    @Inject(RESOLVED_AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
  ) {}

  /** Whether the authentication guard lets a request through without credentials. */
  isPublic(targets: RouteTargets): boolean {
    return this.accessOf(targets).isPublic;
  }

  /** The roles a route requires, if any. */
  roles(targets: RouteTargets): RoleRequirement | undefined {
    return this.accessOf(targets).roles;
  }

  /** Whether anyone may call the route: public and naming no roles. */
  isOpen(targets: RouteTargets): boolean {
    const access = this.accessOf(targets);
    return access.isPublic && access.roles === undefined;
  }

  private accessOf(targets: RouteTargets): RouteAccess {
    if (targets.length !== 2) return this.read(targets);
    const [handler, controller] = targets;
    let byController = this.decided.get(handler);
    if (byController === undefined) {
      byController = new WeakMap();
      this.decided.set(handler, byController);
    }
    let access = byController.get(controller);
    if (access === undefined) {
      access = this.read(targets);
      byController.set(controller, access);
    }
    return access;
  }

  private read(targets: RouteTargets): RouteAccess {
    const roles = this.reflector.getAllAndOverride<RoleRequirement | undefined>(ROLES_KEY, targets);
    const explicit = this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC_KEY, targets);
    // With public-by-default, a route that names roles still needs a caller to check them on.
    const isPublic = explicit ?? (this.options.defaultAccess === 'protected' ? false : roles === undefined);
    return { isPublic, roles };
  }
}
