import type { Request } from 'express';
import { safeEqual } from './secrets';
import { CsrfError } from './session-errors';

/** Header a page's script sends the synchronizer token in. */
export const CSRF_HEADER = 'x-csrf-token';
/** Form field for plain HTML forms, which cannot set headers. */
export const CSRF_FORM_FIELD = '_csrf';

// RFC 9110 §9.2.1: these cannot change state, so they need no proof.
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function needsCsrfCheck(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase());
}

/**
 * Synchronizer token plus origin check (OWASP CSRF cheat sheet): the token
 * proves a page of ours read it from `/auth/me` or `/auth/csrf`; the `Origin`
 * (or `Sec-Fetch-Site`) check stops a foreign page even if a token leaked.
 * Missing `Origin` is allowed: non-browser clients and some same-origin
 * requests omit it, and the token still has to match.
 */
export function assertCsrf(request: Request, expectedToken: string, publicOrigin: string): void {
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== publicOrigin) throw new CsrfError('foreign_origin');
  if (origin === undefined && request.headers['sec-fetch-site'] === 'cross-site') throw new CsrfError('foreign_origin');
  const presented = presentedToken(request);
  if (presented === undefined) throw new CsrfError('csrf_token_missing');
  if (!safeEqual(presented, expectedToken)) throw new CsrfError('csrf_token_mismatch');
}

function presentedToken(request: Request): string | undefined {
  const header = request.headers[CSRF_HEADER];
  if (typeof header === 'string' && header !== '') return header;
  const body: unknown = request.body;
  const field = body !== null && typeof body === 'object' ? (body as Record<string, unknown>)[CSRF_FORM_FIELD] : undefined;
  return typeof field === 'string' && field !== '' ? field : undefined;
}
