/**
 * Verification shared by every token kind (RFC 7519 §7.2, RFC 8725 §3):
 * 1. header: `alg` on the allow-list (asymmetric only), no `crit`, `typ` if the
 *    caller restricts it. `jku`, `x5u`, `jwk`, `x5c` are never read: keys come
 *    only from the configured key source (RFC 8725 §3.10).
 * 2. `iss` equals the expected issuer exactly. Checked before the key lookup so
 *    a token of another realm cannot make us fetch keys; rejecting on an
 *    unverified claim is safe, trusting one is not.
 * 3. the key by `kid`, and the signature.
 * 4. `aud`, `exp`, `nbf`, `iat` with clock skew.
 */
import type { KeyObject } from 'node:crypto';
import { toAlgorithmSet, verifySignature, type JwsAlgorithm } from './algorithms';
import { TOKEN_DEFAULTS } from './defaults';
import { InvalidTokenError } from './errors';
import { decodeJwt, type DecodedJwt, type JsonObject, type JwtSizeLimits } from './jwt';

/** Where verification keys come from; `JwksCache` is the production one. */
export interface KeySource {
  /** The key for `kid` that fits `alg`; rejects with an `AuthError` when there is none. */
  getKey(kid: string | undefined, alg: JwsAlgorithm): Promise<KeyObject>;
  /**
   * Whether `getKey(kid, alg)` would certainly refuse the kid as unknown
   * without fetching anything: answered synchronously from the key set in
   * hand, so a token whose key cannot exist is refused before its payload is
   * even decoded. Optional: without it, every token goes through `getKey`.
   */
  refusesKidNow?(kid: string, alg: JwsAlgorithm): boolean;
}

/** Registered claims (RFC 7519 §4.1) after verification; other claims stay `unknown`. */
export interface JwtClaims {
  readonly iss: string;
  readonly sub?: string;
  readonly aud?: string | readonly string[];
  readonly exp?: number;
  readonly nbf?: number;
  readonly iat?: number;
  readonly jti?: string;
  readonly [name: string]: unknown;
}

export interface JwtVerifierOptions {
  issuer: string;
  /** `aud` must contain this value, or one of these values. */
  audience: string | readonly string[];
  keySource: KeySource;
  algorithms?: readonly string[];
  clockSkewSec?: number;
  /** Logout tokens may omit `exp` (Back-Channel Logout §2.4); everything else must have it. */
  requireExp?: boolean;
  requireIat?: boolean;
  /**
   * Accepted header `typ` values, lower case without `application/` (RFC 7515
   * §4.1.9). A token without `typ` passes; `undefined` accepts any.
   */
  headerTypes?: readonly string[];
  limits?: JwtSizeLimits;
  now?: () => number;
}

export class JwtVerifier {
  readonly issuer: string;
  readonly clockSkewSec: number;
  readonly now: () => number;
  private readonly audiences: readonly string[];
  private readonly keySource: KeySource;
  private readonly algorithms: ReadonlySet<JwsAlgorithm>;
  private readonly requireExp: boolean;
  private readonly requireIat: boolean;
  private readonly headerTypes: ReadonlySet<string> | undefined;
  private readonly limits: JwtSizeLimits | undefined;

  constructor(options: JwtVerifierOptions) {
    if (!options.issuer) throw new TypeError('issuer is required');
    this.issuer = options.issuer;
    this.audiences = typeof options.audience === 'string' ? [options.audience] : [...options.audience];
    if (this.audiences.length === 0 || this.audiences.some((aud) => !aud)) {
      throw new TypeError('audience is required');
    }
    this.keySource = options.keySource;
    this.algorithms = toAlgorithmSet(options.algorithms ?? TOKEN_DEFAULTS.algorithms);
    this.clockSkewSec = options.clockSkewSec ?? TOKEN_DEFAULTS.clockSkewSec;
    if (!(this.clockSkewSec >= 0 && Number.isFinite(this.clockSkewSec))) {
      throw new TypeError('clockSkewSec must be a finite, non-negative number');
    }
    this.requireExp = options.requireExp ?? true;
    this.requireIat = options.requireIat ?? false;
    this.headerTypes = options.headerTypes && new Set(options.headerTypes);
    this.limits = options.limits;
    this.now = options.now ?? (() => Date.now());
  }

  verify(token: string): Promise<JwtClaims> {
    try {
      return this.verifyDecoded(decodeJwt(token, this.limits, this.inspectHeader));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * The header checks, run by `decodeJwt` before the payload is decoded: a
   * forged token with a random `kid` (the cheapest flood to send) is refused
   * without parsing its payload or touching its signature. Only an answer the
   * key source gives without fetching is used here, so the rule that `iss` is
   * checked before any key fetch still holds.
   */
  readonly inspectHeader = (header: JsonObject): void => {
    const { alg, kid } = this.checkHeader(header);
    if (kid !== undefined && this.keySource.refusesKidNow?.(kid, alg)) throw new InvalidTokenError('unknown_kid');
  };

  async verifyDecoded(jwt: DecodedJwt): Promise<JwtClaims> {
    const { header, payload } = jwt;
    // Again here: a caller may hand in a token decoded without inspectHeader.
    const { alg, kid } = this.checkHeader(header);
    if (payload.iss !== this.issuer) throw new InvalidTokenError('wrong_issuer');

    const key = await this.keySource.getKey(kid, alg);
    if (!verifySignature(alg, key, jwt.signingInput, jwt.signature)) {
      throw new InvalidTokenError('bad_signature');
    }
    checkAudience(payload.aud, this.audiences);
    this.checkTimes(payload);
    return payload as JwtClaims;
  }

  private checkHeader(header: JsonObject): { alg: JwsAlgorithm; kid: string | undefined } {
    const alg = header.alg;
    if (typeof alg !== 'string' || !this.algorithms.has(alg as JwsAlgorithm)) {
      throw new InvalidTokenError('unsupported_alg');
    }
    // RFC 7515 §4.1.11: extensions we do not understand must be refused; we understand none.
    if (header.crit !== undefined) throw new InvalidTokenError('crit_header');
    if (this.headerTypes !== undefined && header.typ !== undefined && !this.headerTypes.has(normalizeType(header.typ))) {
      throw new InvalidTokenError('wrong_header_type');
    }
    const kid = header.kid;
    if (kid !== undefined && typeof kid !== 'string') throw new InvalidTokenError('malformed');
    return { alg: alg as JwsAlgorithm, kid };
  }

  private checkTimes(payload: DecodedJwt['payload']): void {
    const nowSec = this.now() / 1000;
    const skew = this.clockSkewSec;
    const { exp, nbf, iat } = payload;
    if (exp === undefined) {
      if (this.requireExp) throw new InvalidTokenError('missing_claim');
    } else {
      if (!isNumericDate(exp)) throw new InvalidTokenError('invalid_claim');
      // RFC 7519 §4.1.4: the current time must be *before* exp.
      if (nowSec >= exp + skew) throw new InvalidTokenError('expired');
    }
    if (nbf !== undefined) {
      if (!isNumericDate(nbf)) throw new InvalidTokenError('invalid_claim');
      if (nbf > nowSec + skew) throw new InvalidTokenError('not_yet_valid');
    }
    if (iat === undefined) {
      if (this.requireIat) throw new InvalidTokenError('missing_claim');
    } else {
      if (!isNumericDate(iat)) throw new InvalidTokenError('invalid_claim');
      if (iat > nowSec + skew) throw new InvalidTokenError('issued_in_future');
    }
  }
}

/** `aud` (a string or a list of strings, RFC 7519 §4.1.3) must contain one of `expected`. */
export function checkAudience(aud: unknown, expected: readonly string[]): void {
  if (aud === undefined) throw new InvalidTokenError('missing_claim');
  if (typeof aud === 'string') {
    if (expected.includes(aud)) return;
  } else if (Array.isArray(aud)) {
    if (!aud.every((value) => typeof value === 'string')) throw new InvalidTokenError('invalid_claim');
    if (aud.some((value: string) => expected.includes(value))) return;
  } else {
    throw new InvalidTokenError('invalid_claim');
  }
  throw new InvalidTokenError('wrong_audience');
}

function isNumericDate(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** RFC 7515 §4.1.9: media types compare case-insensitively; `application/` may be omitted. */
function normalizeType(typ: unknown): string {
  if (typeof typ !== 'string') return '';
  const lower = typ.toLowerCase();
  return lower.startsWith('application/') ? lower.slice('application/'.length) : lower;
}
