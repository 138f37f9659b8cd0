import { HttpException } from '@nestjs/common';

/** The OAuth error codes the flows answer with (RFC 6749 §4.1.2.1, §5.2; RFC 6750 §3.1). */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_grant'
  | 'access_denied'
  | 'login_required'
  | 'server_error'
  | 'temporarily_unavailable';

const DESCRIPTIONS: Record<OAuthErrorCode, string> = {
  invalid_request: 'The request is missing a parameter or is malformed',
  invalid_grant: 'The grant is invalid, expired, revoked or was already used',
  access_denied: 'The sign-in was cancelled or refused',
  login_required: 'The user must sign in',
  server_error: 'The identity provider reported an error',
  temporarily_unavailable: 'The identity provider is temporarily unavailable',
};

/**
 * A flow failed in a way the caller can act on. The body is the standard
 * OAuth error shape with a fixed description per code, never text from
 * Keycloak or from an exception. Nest's own handler sends it as is.
 */
export class OAuthFlowError extends HttpException {
  constructor(
    readonly code: OAuthErrorCode,
    status: number = code === 'temporarily_unavailable' ? 503 : code === 'server_error' ? 502 : 400,
    description: string = DESCRIPTIONS[code],
  ) {
    super({ error: code, error_description: description }, status);
  }
}
