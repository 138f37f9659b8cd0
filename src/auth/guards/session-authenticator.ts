import type { Request, Response } from 'express';
import type { AuthPrincipal } from '../token';

/**
 * What the guard needs from browser sessions: the principal of a valid
 * session cookie (with CSRF checked for unsafe methods), `undefined` when the
 * request has no session cookie, an `AuthError` when it has a bad one.
 */
export interface SessionAuthenticator {
  authenticate(request: Request, response: Response): Promise<AuthPrincipal | undefined>;
}
