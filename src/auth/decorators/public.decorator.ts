import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC_KEY = 'nka:isPublic';

/**
 * Opts a route or a whole controller out of authentication. `@Public(false)`
 * on a handler re-protects one route of a public controller.
 */
export const Public = (isPublic = true) => SetMetadata(IS_PUBLIC_KEY, isPublic);
