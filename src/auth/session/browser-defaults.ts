/**
 * Every default of the browser flows and sessions, in one place, each with the
 * reason for its value. Options override some of them; nothing else under
 * flows/ or session/ hard-codes a duration, a size or a name.
 */
export const BROWSER_DEFAULTS = Object.freeze({
  /** Short and neutral: the cookie name should not advertise the stack. */
  cookieName: 'nka.sid',

  /**
   * Lax still sends the cookie on the top-level navigation back from Keycloak,
   * which Strict would not, and blocks it on cross-site subrequests and POSTs.
   */
  sameSite: 'lax' as const,

  /** A working day; Keycloak's own SSO session limits apply on top through refresh. */
  sessionTtlSec: 8 * 3600,

  /**
   * How long a started login may take. Keycloak's login page itself allows
   * 30 minutes by default, but a pending state is an attack surface; 10
   * minutes covers a password reset detour.
   */
  loginTtlSec: 10 * 60,

  /**
   * Refresh the access token this long before it expires, so a request never
   * verifies a token that expires mid-flight. Capped at a third of the token's
   * lifetime so short-lived tokens are not refreshed on every request.
   */
  refreshLeewaySec: 60,

  /** Lease a replica holds while refreshing; far above Keycloak's latency, short enough to heal a crash. */
  refreshLockMs: 10_000,

  /** How long a request waits for another replica's refresh before giving up on it. */
  refreshWaitMs: 5_000,
  refreshPollMs: 100,

  /** Secrets are 256 bits: session ids, CSRF tokens, PKCE verifiers, login bindings. */
  secretBytes: 32,

  /** State and nonce: 256 bits, twice the 128 the OAuth BCP asks for, at no cost. */
  stateBytes: 32,

  /** In-memory sessions (one process); beyond this, expired then oldest sessions go first. */
  memoryMaxSessions: 10_000,
  memoryMaxPendingLogins: 10_000,

  /** Key prefix in Redis, so the store can share a database with other data. */
  redisPrefix: 'nka:',

  /**
   * `/auth/*` rate limit per client address: a login costs a few requests, so
   * 100 a minute leaves room for a busy household behind one NAT address while
   * stopping code or refresh-token guessing.
   */
  throttleTtlSec: 60,
  throttleLimit: 100,

  /** What the login asks for; `openid` makes it OIDC and yields the ID token. */
  scope: 'openid profile email',
});
