import { Reflector } from '@nestjs/core';
import type { ResolvedAuthOptions } from '../auth-options.resolver';
import { Public } from '../decorators/public.decorator';
import { Roles } from '../decorators/roles.decorator';
import { RouteAccessPolicy } from './route-access.policy';

function policy(defaultAccess: 'protected' | 'public' = 'protected'): RouteAccessPolicy {
  return new RouteAccessPolicy(new Reflector(), { defaultAccess } as ResolvedAuthOptions);
}

class BaseController {
  list(): void {}
}
@Public()
class OpenController extends BaseController {}
class ClosedController extends BaseController {}

class MixedController {
  @Public()
  open(): void {}

  @Roles('manager')
  managers(): void {}

  @Public(false)
  closed(): void {}

  plain(): void {}
}

const targets = (controller: object, handler: (...args: never[]) => unknown) => [handler, controller] as [Function, Function];

describe('RouteAccessPolicy', () => {
  it('reads @Public() and @Roles() of a handler, the handler overriding its controller', () => {
    const p = policy();
    expect(p.isPublic(targets(MixedController, MixedController.prototype.open))).toBe(true);
    expect(p.isPublic(targets(MixedController, MixedController.prototype.plain))).toBe(false);
    expect(p.roles(targets(MixedController, MixedController.prototype.managers))).toMatchObject({ realm: ['manager'] });
    expect(p.isPublic(targets(OpenController, OpenController.prototype.list))).toBe(true);
  });

  it('answers an inherited handler per controller, even after remembering one of them', () => {
    const p = policy();
    const handler = BaseController.prototype.list;
    for (let i = 0; i < 2; i++) {
      expect(p.isPublic(targets(OpenController, handler))).toBe(true);
      expect(p.isPublic(targets(ClosedController, handler))).toBe(false);
    }
  });

  it('with defaultAccess public, protects only routes naming roles or @Public(false)', () => {
    const p = policy('public');
    expect(p.isPublic(targets(MixedController, MixedController.prototype.plain))).toBe(true);
    expect(p.isPublic(targets(MixedController, MixedController.prototype.managers))).toBe(false);
    expect(p.isPublic(targets(MixedController, MixedController.prototype.closed))).toBe(false);
    expect(p.isOpen(targets(MixedController, MixedController.prototype.managers))).toBe(false);
    expect(p.isOpen(targets(MixedController, MixedController.prototype.plain))).toBe(true);
  });
});
