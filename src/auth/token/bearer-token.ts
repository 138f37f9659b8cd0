/**
 * Bearer token extraction per RFC 6750 §2. Decisions:
 * - The `Authorization` header is the normal way in (§2.1); the scheme name is
 *   case-insensitive (RFC 9110 §11.1), one or more spaces may follow it.
 * - A form-body `access_token` (§2.2) is accepted when the adapter passes it;
 *   the adapter passes it only for `application/x-www-form-urlencoded` bodies.
 * - A URI query `access_token` (§2.3) is refused with `invalid_request`: query
 *   strings end up in access logs, browser history and Referer headers.
 * - More than one credential is `invalid_request` (§3.1: "uses more than one
 *   method"), so two sources can never disagree about who is calling.
 * - Another scheme (e.g. Basic) means "no bearer credentials": `undefined`, and
 *   the caller answers 401 without an error code (§3.1).
 * - A token longer than the size limit is `invalid_token`, not `invalid_request`:
 *   the request is well-formed, the token is one that can never be valid.
 *
 * Node keeps only the first of several `Authorization` headers in
 * `req.headers`; pass `req.headersDistinct.authorization` so duplicates are seen.
 */
import { TOKEN_DEFAULTS } from './defaults';
import { InvalidRequestError, InvalidTokenError } from './errors';

export interface BearerTokenSources {
  /** All `Authorization` header values (`req.headersDistinct.authorization`). */
  authorization?: string | readonly string[];
  /** The `access_token` query parameter, if the URI had one (always refused). */
  queryAccessToken?: unknown;
  /** The `access_token` form parameter of a form-encoded body. */
  bodyAccessToken?: unknown;
}

/** RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=" */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
const SCHEME = 'bearer';

/** The bearer token of a request, or `undefined` when it carries none. */
export function extractBearerToken(
  sources: BearerTokenSources,
  maxTokenLength: number = TOKEN_DEFAULTS.maxTokenLength,
): string | undefined {
  if (sources.queryAccessToken !== undefined) throw new InvalidRequestError('query_token');

  const fromHeader = headerToken(sources.authorization, maxTokenLength);
  const fromBody = bodyToken(sources.bodyAccessToken, maxTokenLength);
  if (fromHeader !== undefined && fromBody !== undefined) {
    throw new InvalidRequestError('multiple_credentials');
  }
  return fromHeader ?? fromBody;
}

function headerToken(authorization: string | readonly string[] | undefined, maxTokenLength: number): string | undefined {
  if (authorization === undefined) return undefined;
  if (typeof authorization === 'string') return parseAuthorization(authorization, maxTokenLength);
  if (authorization.length > 1) throw new InvalidRequestError('multiple_credentials');
  return authorization.length === 1 ? parseAuthorization(authorization[0], maxTokenLength) : undefined;
}

function parseAuthorization(value: string, maxTokenLength: number): string | undefined {
  // Node strips surrounding whitespace; trimming again keeps non-Node callers equivalent.
  const header = value.trim();
  if (header.length < SCHEME.length || header.slice(0, SCHEME.length).toLowerCase() !== SCHEME) {
    return undefined;
  }
  if (header.length === SCHEME.length) throw new InvalidRequestError('malformed_authorization');
  if (header.charCodeAt(SCHEME.length) !== 0x20) return undefined; // e.g. "BearerX": another scheme

  let start = SCHEME.length + 1;
  while (header.charCodeAt(start) === 0x20) start++;
  const token = header.slice(start);
  return checkToken(token, maxTokenLength);
}

function bodyToken(value: unknown, maxTokenLength: number): string | undefined {
  if (value === undefined) return undefined;
  // A repeated form parameter arrives as an array: two credentials.
  if (Array.isArray(value)) throw new InvalidRequestError('multiple_credentials');
  if (typeof value !== 'string') throw new InvalidRequestError('malformed_authorization');
  return checkToken(value, maxTokenLength);
}

function checkToken(token: string, maxTokenLength: number): string {
  if (token.length > maxTokenLength) throw new InvalidTokenError('token_too_large');
  if (!B64TOKEN.test(token)) throw new InvalidRequestError('malformed_authorization');
  return token;
}
