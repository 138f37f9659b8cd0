/**
 * The token layer's error kinds, one class each, mapped by the HTTP adapter to
 * RFC 6750 §3 responses. `description` is fixed per class and safe to send to a
 * client; `reason` is a closed set of words, safe to log, that says which check
 * failed. Neither ever carries token content or an underlying exception message.
 */

/** Why a check failed; for logs and metrics only, never for the client. */
export type AuthErrorReason =
  // request shape (RFC 6750 §2)
  | 'missing_credentials'
  | 'malformed_authorization'
  | 'query_token'
  | 'multiple_credentials'
  // token shape (RFC 7515 §7.1, RFC 8725)
  | 'malformed'
  | 'token_too_large'
  | 'unsupported_alg'
  | 'crit_header'
  | 'wrong_header_type'
  // keys
  | 'unknown_kid'
  | 'ambiguous_key'
  | 'bad_signature'
  | 'jwks_unavailable'
  // claims
  | 'unknown_issuer'
  | 'wrong_issuer'
  | 'wrong_audience'
  | 'expired'
  | 'not_yet_valid'
  | 'issued_in_future'
  | 'too_old'
  | 'missing_claim'
  | 'invalid_claim'
  | 'wrong_token_type'
  // ID token (OIDC Core §3.1.3.7)
  | 'nonce_mismatch'
  | 'azp_mismatch'
  // logout token (Back-Channel Logout §2.6)
  | 'missing_events'
  | 'nonce_present'
  | 'missing_subject'
  | 'replayed'
  // introspection (RFC 7662)
  | 'inactive'
  | 'introspection_unavailable'
  // authorization
  | 'insufficient_roles';

export abstract class AuthError extends Error {
  /** HTTP status the adapter answers with. */
  abstract readonly status: number;
  /** RFC 6750 `error` code; absent when the request carried no credentials (§3.1). */
  abstract readonly code: string | undefined;
  /** Fixed, generic text for `error_description`. */
  abstract readonly description: string;

  protected constructor(readonly reason: AuthErrorReason) {
    // No stack trace: these are expected outcomes, answered and never logged
    // with one, and capturing it was ~4 % of the CPU of a refused request,
    // which is what a flood of forged tokens costs the API.
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    // The message is what ends up in logs: the reason only.
    super(reason);
    Error.stackTraceLimit = stackTraceLimit;
    this.name = new.target.name;
  }
}

/** The request carried no bearer token at all (RFC 6750 §3.1: no error code). */
export class MissingCredentialsError extends AuthError {
  readonly status = 401;
  readonly code = undefined;
  readonly description = 'Authentication is required';

  constructor() {
    super('missing_credentials');
  }
}

/** The request is malformed: several credentials, a token in the URI, a broken header. */
export class InvalidRequestError extends AuthError {
  readonly status = 400;
  readonly code = 'invalid_request';
  readonly description = 'The request is malformed';

  constructor(reason: AuthErrorReason) {
    super(reason);
  }
}

/** The token is malformed, forged, expired, or not meant for this API. */
export class InvalidTokenError extends AuthError {
  readonly status = 401;
  readonly code = 'invalid_token';
  readonly description = 'The access token is invalid';

  constructor(reason: AuthErrorReason) {
    super(reason);
  }
}

/** Roles a request needed: realm roles and client roles by client id. */
export interface RequiredRolesDetail {
  readonly realm?: readonly string[];
  readonly client?: Readonly<Record<string, readonly string[]>>;
}

/** The token is valid but lacks the roles the route needs. */
export class InsufficientScopeError extends AuthError {
  readonly status = 403;
  readonly code = 'insufficient_scope';
  readonly description = 'The access token lacks the required roles';

  /** Kept for logs; role names are configuration, not token content. */
  constructor(readonly requiredRoles?: RequiredRolesDetail) {
    super('insufficient_roles');
  }
}

/**
 * A dependency on the identity provider is down (key set, introspection). 503
 * rather than 401, so clients retry instead of discarding a good token.
 */
export abstract class TemporarilyUnavailableError extends AuthError {
  readonly status = 503;
  readonly code = 'temporarily_unavailable';
  readonly description = 'Token verification is temporarily unavailable';
}

/** No signing key set could be obtained at all (never fetched successfully). */
export class KeySetUnavailableError extends TemporarilyUnavailableError {
  constructor() {
    super('jwks_unavailable');
  }
}

/** The introspection endpoint did not answer usefully (timeout, network, non-200). */
export class IntrospectionUnavailableError extends TemporarilyUnavailableError {
  constructor() {
    super('introspection_unavailable');
  }
}

/**
 * A back-channel logout token failed validation. Its own class because the
 * logout endpoint is not a bearer-protected resource: Back-Channel Logout 1.0
 * §2.8 answers 400 `invalid_request` and no `WWW-Authenticate` challenge.
 */
export class InvalidLogoutTokenError extends AuthError {
  readonly status = 400;
  readonly code = 'invalid_request';
  readonly description = 'The logout token is invalid';

  constructor(reason: AuthErrorReason) {
    super(reason);
  }
}

/**
 * OIDC discovery failed. A start-up error, not a request error: it names the
 * URL (public) and keeps the underlying error as `cause` for the operator.
 */
export class DiscoveryError extends Error {
  constructor(
    readonly url: string,
    problem: string,
    options?: { cause?: unknown },
  ) {
    super(`OIDC discovery at ${url} failed: ${problem}`, options);
    this.name = 'DiscoveryError';
  }
}
