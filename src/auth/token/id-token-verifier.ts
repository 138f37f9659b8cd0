/**
 * ID token validation for the browser login flow, OIDC Core 1.0 §3.1.3.7:
 * signature, `iss`, `aud` contains our client id, `exp`, `iat` (steps 1-10
 * via `JwtVerifier`), then:
 * - several audiences: `azp` must be present; `azp` present: it must be us;
 * - `nonce` equals the one sent in the authorization request (§3.1.2.1),
 *   compared in constant time;
 * - `auth_time` within `max_age` when `max_age` was requested (§3.1.3.7 step 13);
 * - Keycloak's `typ` claim, when present, is `ID` (so an access token that
 *   happens to list our client in `aud` is not mistaken for an ID token).
 * `at_hash` is not checked: with the code flow the access token comes from
 * the token endpoint over TLS, where §3.1.3.8 makes it optional.
 */
import { constantTimeEqual } from './constant-time';
import { InvalidTokenError } from './errors';
import type { JwtSizeLimits } from './jwt';
import { JwtVerifier, type JwtClaims, type KeySource } from './jwt-verifier';

export interface IdTokenClaims extends JwtClaims {
  readonly sub: string;
  readonly exp: number;
  readonly iat: number;
  readonly nonce?: string;
  readonly azp?: string;
  readonly auth_time?: number;
  readonly sid?: string;
}

export interface IdTokenVerifierOptions {
  issuer: string;
  /** Our client id: the audience ID tokens are issued to. */
  clientId: string;
  keySource: KeySource;
  algorithms?: readonly string[];
  clockSkewSec?: number;
  limits?: JwtSizeLimits;
  now?: () => number;
}

export interface IdTokenExpectations {
  /** The nonce sent in the authorization request; omit only if none was sent. */
  nonce?: string;
  /** The `max_age` sent in the authorization request, if any. */
  maxAgeSec?: number;
}

const KEYCLOAK_ID_TYP = 'ID';

export class IdTokenVerifier {
  private readonly jwt: JwtVerifier;
  private readonly clientId: string;

  constructor(options: IdTokenVerifierOptions) {
    this.clientId = options.clientId;
    this.jwt = new JwtVerifier({ ...options, audience: options.clientId, requireIat: true, headerTypes: ['jwt'] });
  }

  async verify(token: string, expected: IdTokenExpectations = {}): Promise<IdTokenClaims> {
    const claims = await this.jwt.verify(token);
    if (typeof claims.sub !== 'string' || claims.sub === '') throw new InvalidTokenError('missing_claim');
    if (claims.typ !== undefined && claims.typ !== KEYCLOAK_ID_TYP) throw new InvalidTokenError('wrong_token_type');

    const { aud, azp } = claims;
    if (Array.isArray(aud) && aud.length > 1 && azp === undefined) throw new InvalidTokenError('azp_mismatch');
    if (azp !== undefined && azp !== this.clientId) throw new InvalidTokenError('azp_mismatch');

    if (expected.nonce !== undefined) {
      if (typeof claims.nonce !== 'string' || !constantTimeEqual(claims.nonce, expected.nonce)) {
        throw new InvalidTokenError('nonce_mismatch');
      }
    }
    if (expected.maxAgeSec !== undefined) {
      const authTime = claims.auth_time;
      if (typeof authTime !== 'number' || !Number.isFinite(authTime)) throw new InvalidTokenError('missing_claim');
      if (this.jwt.now() / 1000 - authTime > expected.maxAgeSec + this.jwt.clockSkewSec) {
        throw new InvalidTokenError('too_old');
      }
    }
    return claims as IdTokenClaims;
  }
}

