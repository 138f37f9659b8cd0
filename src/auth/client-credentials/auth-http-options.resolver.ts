import { AuthOptionsError, nonNegative, type ResolvedAuthOptions } from '../auth-options.resolver';
import { isHttpUrl } from '../token';
import type { AuthHttpModuleOptions } from './auth-http-module-options';

/** `AuthHttpModule` options after validation, with the client taken from `AuthModule` when not given. */
export interface ResolvedAuthHttpOptions {
  clientId: string;
  clientSecret: string;
  scope?: string;
  /** `undefined`: the provider's lifetime-aware default. */
  renewMarginMs?: number;
  /** `undefined`: every request. */
  origins?: ReadonlySet<string>;
  timeoutMs: number;
}

/** Fails start-up with a message naming the option, like `resolveAuthOptions`. */
export function resolveAuthHttpOptions(options: AuthHttpModuleOptions, auth: ResolvedAuthOptions): ResolvedAuthHttpOptions {
  // A secret only ever goes with the client it was given for.
  if (options.clientSecret !== undefined && options.clientId === undefined) {
    throw new AuthOptionsError('AuthHttpModule.clientSecret needs AuthHttpModule.clientId');
  }
  const own = options.clientId !== undefined;
  const clientId = own ? options.clientId : auth.clientId;
  const clientSecret = own ? options.clientSecret : auth.clientSecret;
  if (!clientId || !clientSecret) {
    throw new AuthOptionsError('AuthHttpModule needs clientId and clientSecret, in its own options or in AuthModule’s');
  }
  if (options.scope !== undefined && typeof options.scope !== 'string') {
    throw new AuthOptionsError('AuthHttpModule.scope must be a space-separated string');
  }
  const renewMarginMs =
    options.renewMarginSeconds === undefined
      ? undefined
      : nonNegative(options.renewMarginSeconds, 0, 'AuthHttpModule.renewMarginSeconds') * 1000;
  let origins: Set<string> | undefined;
  if (options.origins !== undefined) {
    if (!Array.isArray(options.origins) || options.origins.length === 0) {
      throw new AuthOptionsError('AuthHttpModule.origins must be a non-empty array of http(s) origins');
    }
    origins = new Set(
      options.origins.map((origin) => {
        if (!isHttpUrl(origin)) throw new AuthOptionsError(`AuthHttpModule.origins: ${String(origin)} is not an http(s) URL`);
        return new URL(origin).origin;
      }),
    );
  }
  return {
    clientId,
    clientSecret,
    scope: options.scope,
    renewMarginMs,
    origins,
    // One timeout for every request to Keycloak, whatever it is for.
    timeoutMs: auth.jwks.timeoutMs,
  };
}
