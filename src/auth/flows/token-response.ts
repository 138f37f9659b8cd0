import type { TokenSet } from '../session/session-record';

/** A token endpoint's 200 body (RFC 6749 §5.1) as a `TokenSet`, or `undefined` when it lacks what §5.1 requires. */
export function parseTokenResponse(data: unknown): TokenSet | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const body = data as Record<string, unknown>;
  const { access_token, token_type, expires_in, refresh_token, refresh_expires_in, id_token } = body;
  if (typeof access_token !== 'string' || access_token === '') return undefined;
  if (typeof token_type !== 'string' || token_type.toLowerCase() !== 'bearer') return undefined;
  if (typeof expires_in !== 'number' || !(expires_in > 0)) return undefined;
  return {
    accessToken: access_token,
    expiresIn: expires_in,
    refreshToken: typeof refresh_token === 'string' && refresh_token !== '' ? refresh_token : undefined,
    refreshExpiresIn: typeof refresh_expires_in === 'number' && refresh_expires_in > 0 ? refresh_expires_in : undefined,
    idToken: typeof id_token === 'string' && id_token !== '' ? id_token : undefined,
  };
}

/** The `error` code of an error body (RFC 6749 §5.2), if it is a plain code. */
export function errorCode(data: unknown): string | undefined {
  const code = typeof data === 'object' && data !== null ? (data as { error?: unknown }).error : undefined;
  // Only a plain code is logged, never free text that might echo a token.
  return typeof code === 'string' && /^[a-z_]{1,64}$/.test(code) ? code : undefined;
}
