import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { AuthPrincipal } from '../token';

/**
 * Injects the authenticated principal (or one of its fields).
 * `@CurrentUser() user: AuthPrincipal`, `@CurrentUser('subject') sub: string`.
 */
export const CurrentUser = createParamDecorator(
  (field: keyof AuthPrincipal | undefined, context: ExecutionContext) => {
    const principal = principalOf(context);
    return field && principal ? principal[field] : principal;
  },
);

export function principalOf(context: ExecutionContext): AuthPrincipal | undefined {
  switch (context.getType<string>()) {
    case 'http':
      return (context.switchToHttp().getRequest() as { user?: AuthPrincipal }).user;
    case 'ws':
      return (context.switchToWs().getClient() as { user?: AuthPrincipal }).user;
    case 'rpc':
      return (context.switchToRpc().getContext() as { user?: AuthPrincipal }).user;
    default:
      return undefined;
  }
}
