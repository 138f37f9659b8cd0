import { AuthError } from '../token';

/**
 * The session cookie names no live session: unknown, expired, or ended by a
 * logout. 401 `invalid_token` like a bad bearer token: the caller must sign in again.
 */
export class InvalidSessionError extends AuthError {
  readonly status = 401;
  readonly code = 'invalid_token';
  readonly description = 'The session is invalid or has ended';

  constructor(reason: 'inactive' | 'expired' | 'malformed' = 'inactive') {
    super(reason);
  }
}

/**
 * An unsafe request rode on a session cookie without proof that this site's
 * own pages sent it: no or a wrong CSRF token, or a foreign `Origin`. 403: the
 * session is fine, the request is not.
 */
export class CsrfError extends AuthError {
  readonly status = 403;
  readonly code = 'invalid_csrf_token';
  readonly description = 'The request lacks a valid CSRF token or comes from another site';

  constructor(readonly check: 'csrf_token_missing' | 'csrf_token_mismatch' | 'foreign_origin') {
    // `reason` is the token layer's closed vocabulary; `check` says which CSRF test failed.
    super(check === 'csrf_token_missing' ? 'missing_credentials' : 'invalid_claim');
  }
}
