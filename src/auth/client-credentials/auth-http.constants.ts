/** The `AuthHttpModule` options after validation (`ResolvedAuthHttpOptions`). */
export const RESOLVED_AUTH_HTTP_OPTIONS = Symbol('RESOLVED_AUTH_HTTP_OPTIONS');
