import { createHash, randomBytes } from 'node:crypto';
import { constantTimeEqual } from '../token';
import { BROWSER_DEFAULTS } from './browser-defaults';

/** A fresh random value, base64url without padding (43 characters for 32 bytes). */
export function randomToken(bytes: number = BROWSER_DEFAULTS.secretBytes): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * SHA-256, base64url. Session ids and login bindings are stored under their
 * hash, so a leaked store dump (or a Redis `KEYS`) does not hand out cookies.
 */
export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}

/** Constant-time comparison of secrets: the token layer's, under the name the flows use. */
export const safeEqual = constantTimeEqual;

/** Only values we could have issued are looked up; anything else is refused before any I/O. */
export function isIssuedToken(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{43}$/.test(value);
}
