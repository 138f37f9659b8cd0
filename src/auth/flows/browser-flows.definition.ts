import type { DynamicModule } from '@nestjs/common';

/**
 * Adds the browser flows (AuthController, sessions) to the module definition
 * when `AuthModule.forRoot({ ... }, )` is called with `browserFlows: true`.
 * Filled in by the browser-flows work.
 */
export function withBrowserFlows(definition: DynamicModule): DynamicModule {
  return definition;
}
