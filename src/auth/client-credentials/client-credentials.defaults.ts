import { TOKEN_DEFAULTS } from '../token';

/** Defaults of the service-to-service token provider, each with its reason. */
export const CLIENT_CREDENTIALS_DEFAULTS = Object.freeze({
  /**
   * Renew this long before the token expires. A call that picks the token up
   * just before the renewal point still has this long to reach the other
   * service and be verified there; 30 s covers a slow call plus the other
   * side's clock skew (ours tolerates 30 s). For tokens living under a minute
   * the default shrinks to half the lifetime, so they are not renewed on every call.
   */
  renewMarginMs: 30_000,

  /** One token request waits at most as long as any other request to Keycloak. */
  timeoutMs: TOKEN_DEFAULTS.fetchTimeoutMs,
});
