/** Why no service-account token could be obtained; safe to log. */
export type ClientCredentialsFailure =
  /** The token endpoint could not be learnt from OIDC discovery (Keycloak down or misconfigured). */
  | 'discovery_failed'
  /** Keycloak did not answer (network error, timeout, 5xx). */
  | 'unreachable'
  /** Keycloak refused the grant (4xx): wrong secret, no service account, unknown scope. */
  | 'rejected'
  /** Keycloak answered 2xx without a usable bearer token. */
  | 'invalid_response';

const PROBLEMS: Record<ClientCredentialsFailure, string> = {
  discovery_failed: 'OIDC discovery failed, so the token endpoint is unknown',
  unreachable: 'Keycloak could not be reached',
  rejected: 'Keycloak refused the client credentials',
  invalid_response: 'Keycloak answered without a usable bearer token',
};

/**
 * A client-credentials token could not be obtained. The message names the
 * client id, the endpoint and the HTTP status, all public; never the secret
 * or a token. The underlying error stays available as `cause` for operators.
 */
export class ClientCredentialsError extends Error {
  /** The token endpoint (or the discovery URL), when it was known. */
  readonly endpoint?: string;
  /** Keycloak's HTTP status, when it answered. */
  readonly status?: number;

  constructor(
    readonly failure: ClientCredentialsFailure,
    readonly clientId: string,
    details: { endpoint?: string; status?: number; cause?: unknown } = {},
  ) {
    const where = details.endpoint ? ` at ${details.endpoint}` : '';
    const status = details.status ? ` (HTTP ${details.status})` : '';
    super(`No client-credentials token for client "${clientId}": ${PROBLEMS[failure]}${where}${status}`, {
      cause: details.cause,
    });
    this.name = 'ClientCredentialsError';
    this.endpoint = details.endpoint;
    this.status = details.status;
  }
}
