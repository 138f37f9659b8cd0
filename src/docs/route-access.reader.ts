import type { Type } from '@nestjs/common';
import type { ModulesContainer } from '@nestjs/core';
import type { OperationIdFactory } from '@nestjs/swagger';
import type { RouteAccessPolicy } from '../auth';
import type { RouteAccess } from './auth-documentation';

interface Origin {
  controllerKey: string;
  methodKey: string;
}

/**
 * Finds the handler and controller behind each generated operation and asks
 * the guards' own `RouteAccessPolicy` whether it needs a caller and which roles.
 *
 * Swagger names operations through `operationIdFactory`; the reader supplies
 * that factory (with Swagger's default naming) and remembers which controller
 * and method each id was made for.
 */
export class RouteAccessReader {
  private readonly origins = new Map<string, Origin>();
  private controllersByName?: Map<string, Type[]>;

  constructor(
    private readonly modules: ModulesContainer,
    private readonly policy: RouteAccessPolicy,
  ) {}

  readonly operationIdFactory: OperationIdFactory = (controllerKey, methodKey, version) => {
    const base = controllerKey ? `${controllerKey}_${methodKey}` : methodKey;
    const operationId = version ? `${base}_${version}` : base;
    // Swagger marks the n-th path of a multi-path route as `method[n]`.
    this.origins.set(operationId, { controllerKey, methodKey: methodKey.replace(/\[\d+\]$/, '') });
    return operationId;
  };

  /**
   * Unknown or ambiguous operations are documented as protected: with the
   * global guard that is what an undecorated route is, and a lock too many is
   * a smaller lie than a missing one.
   */
  accessOf = (operationId: string | undefined): RouteAccess => {
    // `@All()` routes get the HTTP method appended to the factory's id.
    const origin = operationId
      ? (this.origins.get(operationId) ?? this.origins.get(operationId.replace(/_[a-z]+$/, '')))
      : undefined;
    const controller = origin && this.controllerNamed(origin.controllerKey, origin.methodKey);
    if (!origin || !controller) return { kind: 'protected' };
    const targets: [() => unknown, Type] = [(controller.prototype as Record<string, unknown>)[origin.methodKey] as () => unknown, controller];
    // `@Public()` with `@Roles()` is refused by RolesGuard for want of a caller; not an open route.
    return this.policy.isOpen(targets) ? { kind: 'public' } : { kind: 'protected', roles: this.policy.roles(targets) };
  };

  private controllerNamed(name: string, methodKey: string): Type | undefined {
    const candidates = (this.indexControllers().get(name) ?? []).filter(
      (controller) => typeof (controller.prototype as Record<string, unknown>)[methodKey] === 'function',
    );
    return candidates.length === 1 ? candidates[0] : undefined;
  }

  private indexControllers(): Map<string, Type[]> {
    if (!this.controllersByName) {
      const byName = new Map<string, Type[]>();
      for (const module of this.modules.values()) {
        for (const wrapper of module.controllers.values()) {
          const controller = wrapper.metatype as Type | null;
          if (!controller) continue;
          const same = byName.get(controller.name) ?? [];
          if (!same.includes(controller)) byName.set(controller.name, [...same, controller]);
        }
      }
      this.controllersByName = byName;
    }
    return this.controllersByName;
  }
}
