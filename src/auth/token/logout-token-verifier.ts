/**
 * Back-channel logout tokens, OpenID Connect Back-Channel Logout 1.0 §2.6:
 * signature, `iss`, `aud` contains our client id, `iat` (and `exp` if present,
 * plus a maximum age since `iat`), header `typ` if present is `logout+jwt`
 * (§2.4, what Keycloak sends), an `events` object with the back-channel logout
 * member whose value is an object, `sid` or `sub`, no `nonce` (which keeps an
 * ID token from passing as a logout token), a `jti` never accepted before.
 * Keycloak's `typ` claim, when present, must be `Logout`.
 *
 * Every validation failure is `InvalidLogoutTokenError`: the logout endpoint
 * answers 400 `invalid_request` (§2.8), not a bearer challenge. A key set that
 * cannot be fetched stays `KeySetUnavailableError` (503).
 */
import { TOKEN_DEFAULTS } from './defaults';
import { InvalidLogoutTokenError, InvalidTokenError, type AuthErrorReason } from './errors';
import type { JwtSizeLimits } from './jwt';
import { JwtVerifier, type JwtClaims, type KeySource } from './jwt-verifier';
import { InMemoryReplayStore, type ReplayStore } from './replay-store';

export const BACKCHANNEL_LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

export interface LogoutTokenClaims extends JwtClaims {
  readonly iat: number;
  readonly jti: string;
  readonly events: { readonly [event: string]: unknown };
  readonly sid?: string;
  readonly sub?: string;
}

export interface LogoutTokenVerifierOptions {
  issuer: string;
  /** Our client id: logout tokens are addressed to it. */
  clientId: string;
  keySource: KeySource;
  algorithms?: readonly string[];
  clockSkewSec?: number;
  /** Refuse tokens issued longer ago than this, `exp` or not. */
  maxAgeSec?: number;
  /** Defaults to a private in-memory store; share one (e.g. Redis) across replicas. */
  replayStore?: ReplayStore;
  limits?: JwtSizeLimits;
  now?: () => number;
}

const KEYCLOAK_LOGOUT_TYP = 'Logout';

export class LogoutTokenVerifier {
  private readonly jwt: JwtVerifier;
  private readonly maxAgeSec: number;
  private readonly replayStore: ReplayStore;

  constructor(options: LogoutTokenVerifierOptions) {
    this.jwt = new JwtVerifier({
      ...options,
      audience: options.clientId,
      requireExp: false,
      requireIat: true,
      headerTypes: ['logout+jwt'],
    });
    this.maxAgeSec = options.maxAgeSec ?? TOKEN_DEFAULTS.logoutTokenMaxAgeSec;
    this.replayStore = options.replayStore ?? new InMemoryReplayStore({ now: options.now });
  }

  async verify(token: string): Promise<LogoutTokenClaims> {
    let claims: JwtClaims;
    try {
      claims = await this.jwt.verify(token);
    } catch (error) {
      if (error instanceof InvalidTokenError) throw new InvalidLogoutTokenError(error.reason);
      throw error;
    }

    const nowSec = this.jwt.now() / 1000;
    const skew = this.jwt.clockSkewSec;
    const iat = claims.iat as number; // required and type-checked by JwtVerifier
    if (nowSec - iat > this.maxAgeSec + skew) reject('too_old');
    if (claims.typ !== undefined && claims.typ !== KEYCLOAK_LOGOUT_TYP) reject('wrong_token_type');
    if (!hasLogoutEvent(claims.events)) reject('missing_events');
    if (claims.sid !== undefined && typeof claims.sid !== 'string') reject('invalid_claim');
    if (claims.sub !== undefined && typeof claims.sub !== 'string') reject('invalid_claim');
    if (!claims.sid && !claims.sub) reject('missing_subject');
    if (claims.nonce !== undefined) reject('nonce_present');
    if (typeof claims.jti !== 'string' || claims.jti === '') reject('missing_claim');

    // Remember the jti as long as this token could pass the checks above.
    let acceptedUntil = iat + this.maxAgeSec + skew;
    if (claims.exp !== undefined) acceptedUntil = Math.min(acceptedUntil, claims.exp + skew);
    const ttlSec = Math.max(1, Math.ceil(acceptedUntil - nowSec));
    // jti values are unique per issuer only, so a shared store keys by both.
    if (!(await this.replayStore.markIfNew(`${claims.iss} ${claims.jti}`, ttlSec))) reject('replayed');
    return claims as LogoutTokenClaims;
  }
}

function hasLogoutEvent(events: unknown): boolean {
  if (typeof events !== 'object' || events === null || Array.isArray(events)) return false;
  if (!Object.prototype.hasOwnProperty.call(events, BACKCHANNEL_LOGOUT_EVENT)) return false;
  const event: unknown = (events as Record<string, unknown>)[BACKCHANNEL_LOGOUT_EVENT];
  return typeof event === 'object' && event !== null && !Array.isArray(event);
}

function reject(reason: AuthErrorReason): never {
  throw new InvalidLogoutTokenError(reason);
}
