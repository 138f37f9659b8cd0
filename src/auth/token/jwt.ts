/**
 * Strict decoding of a compact JWS (RFC 7515 §7.1) without verifying it: three
 * non-empty base64url segments in canonical form (no padding, no `+` or `/`),
 * a UTF-8 JSON object in the header and payload, and size limits checked
 * before any decoding. Anything else is `InvalidTokenError('malformed')`:
 * lenient parsing is how token confusion attacks start (RFC 8725 §2.8).
 */
import { TOKEN_DEFAULTS } from './defaults';
import { InvalidTokenError } from './errors';

export type JsonObject = { readonly [name: string]: unknown };

export interface DecodedJwt {
  readonly header: JsonObject;
  readonly payload: JsonObject;
  /** ASCII bytes of `header.payload`, what the signature covers. */
  readonly signingInput: Buffer;
  readonly signature: Buffer;
}

export interface JwtSizeLimits {
  /** Longest whole token, in characters. */
  readonly maxTokenLength: number;
  /** Longest encoded header segment, in characters. */
  readonly maxHeaderLength: number;
}

export const DEFAULT_JWT_LIMITS: JwtSizeLimits = Object.freeze({
  maxTokenLength: TOKEN_DEFAULTS.maxTokenLength,
  maxHeaderLength: TOKEN_DEFAULTS.maxHeaderLength,
});

/** Exactly three non-empty segments of the base64url alphabet. */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** Fatal: invalid UTF-8 is an error, not silently replaced; a BOM is kept so JSON.parse refuses it. */
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * `inspectHeader` runs on the parsed header before the payload is decoded and
 * may throw to refuse the token early (see `JwtVerifier.inspectHeader`).
 */
export function decodeJwt(
  token: string,
  limits: JwtSizeLimits = DEFAULT_JWT_LIMITS,
  inspectHeader?: (header: JsonObject) => void,
): DecodedJwt {
  if (typeof token !== 'string') throw new InvalidTokenError('malformed');
  if (token.length > limits.maxTokenLength) throw new InvalidTokenError('token_too_large');
  if (!COMPACT_JWS.test(token)) throw new InvalidTokenError('malformed');

  const firstDot = token.indexOf('.');
  const secondDot = token.indexOf('.', firstDot + 1);
  if (firstDot > limits.maxHeaderLength) throw new InvalidTokenError('token_too_large');

  const header = parseJsonSegment(token, 0, firstDot);
  inspectHeader?.(header);
  const payload = parseJsonSegment(token, firstDot + 1, secondDot);
  return {
    header,
    payload,
    signingInput: Buffer.from(token.slice(0, secondDot), 'latin1'),
    signature: decodeSegment(token, secondDot + 1, token.length),
  };
}

function parseJsonSegment(token: string, start: number, end: number): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(utf8.decode(decodeSegment(token, start, end)));
  } catch (error) {
    if (error instanceof InvalidTokenError) throw error;
    throw new InvalidTokenError('malformed');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidTokenError('malformed');
  }
  return value as JsonObject;
}

/**
 * Decodes one segment, refusing the non-canonical forms Node's decoder would
 * accept: a length of 4n+1, and non-zero unused bits in the last character
 * (which would let many strings decode to the same bytes).
 */
function decodeSegment(token: string, start: number, end: number): Buffer {
  const remainder = (end - start) % 4;
  if (remainder === 1) throw new InvalidTokenError('malformed');
  if (remainder !== 0) {
    const unusedBitsMask = remainder === 2 ? 0x0f : 0x03;
    if ((base64urlValue(token.charCodeAt(end - 1)) & unusedBitsMask) !== 0) {
      throw new InvalidTokenError('malformed');
    }
  }
  return Buffer.from(token.slice(start, end), 'base64url');
}

/** Value of a base64url character already known to be in the alphabet. */
function base64urlValue(code: number): number {
  if (code >= 65 && code <= 90) return code - 65; // A-Z
  if (code >= 97 && code <= 122) return code - 71; // a-z
  if (code >= 48 && code <= 57) return code + 4; // 0-9
  return code === 45 ? 62 : 63; // '-' or '_'
}

/**
 * The `iss` of a token, read without verifying anything. Only for choosing
 * which issuer's verifier (and key set) to use; never trust it otherwise.
 */
export function unverifiedIssuer(decoded: DecodedJwt): string | undefined {
  const iss = decoded.payload.iss;
  return typeof iss === 'string' ? iss : undefined;
}
