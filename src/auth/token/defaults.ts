/**
 * Every default of the token layer, in one place, each with the reason for its
 * value. Adapters override them from typed configuration; nothing else in
 * token/ hard-codes a duration or a limit.
 */
export const TOKEN_DEFAULTS = Object.freeze({
  /**
   * Tolerance for `exp`, `nbf`, `iat`. NTP keeps hosts within well under a
   * second, so this only absorbs a badly synced container. 30 s is 10 % of
   * Keycloak's default 5-minute access token lifespan; Spring's 60 s would be
   * 20 %, and node-oauth2-jwt-bearer's 5 s has been too tight on laptops in VMs.
   */
  clockSkewSec: 30,

  /**
   * How long a fetched key set is trusted without asking again. Rotation does
   * not depend on it (an unknown `kid` triggers a refetch); it bounds how long a
   * key removed from the realm (e.g. compromised) is still accepted.
   */
  jwksCacheTtlMs: 10 * 60_000,

  /**
   * At most one refetch per this window because of an unknown `kid`. Tokens with
   * random `kid`s are free to forge, so without it they would turn this API into
   * a load generator against Keycloak. Same value as Nimbus (Spring) uses.
   */
  jwksCooldownMs: 30_000,

  /**
   * After a failed fetch, wait this long before the next attempt. Shorter than
   * the cooldown so a start-up race with Keycloak heals quickly, long enough
   * that an outage costs Keycloak one request per instance per window.
   */
  jwksRetryAfterFailureMs: 5_000,

  /**
   * Timeout of one discovery, JWKS or introspection request. Requests waiting
   * for keys wait this long at most; 5 s is far above Keycloak's normal latency
   * and well below typical client and proxy timeouts (30-60 s).
   */
  fetchTimeoutMs: 5_000,

  /**
   * Longest compact JWS accepted, in characters, checked before any decoding.
   * Keycloak access tokens with a few dozen roles are 1-3 KiB; 8 KiB leaves room
   * for large role sets and stays below Node's 16 KiB header limit.
   */
  maxTokenLength: 8 * 1024,

  /**
   * Longest encoded JOSE header. Keycloak's is ~100 characters (`alg`, `typ`,
   * `kid`); 2 KiB admits headers with certificate thumbprints or an embedded
   * `jwk` (which is ignored) while bounding what is parsed before the signature check.
   */
  maxHeaderLength: 2 * 1024,

  /** Keycloak signs with RS256 unless a realm is configured otherwise. */
  algorithms: Object.freeze(['RS256'] as const),

  /**
   * Verified access tokens remembered by hash. Each entry is a SHA-256 key plus
   * the frozen principal (~2 KiB), so 10 000 entries stay around 20 MiB while
   * covering every active user of a mid-sized deployment within a token lifespan.
   */
  tokenCacheMaxEntries: 10_000,

  /**
   * Verified access tokens enter the cache on their second use: one-off tokens
   * would only churn it (see `VerifiedTokenCache`). Introspection answers
   * enter on first use, since each miss there is a call to Keycloak.
   */
  tokenCacheAdmission: 'repeat',

  /**
   * An entry is reused for at most this long, even if the token lives longer.
   * Equal to Keycloak's default token lifespan, so long-lived tokens get their
   * signature checked against the current key set at least this often.
   */
  tokenCacheMaxTtlMs: 5 * 60_000,

  /**
   * An `active: true` introspection answer is reused this long at most. Short,
   * because introspection is chosen precisely to notice revocation quickly.
   */
  introspectionCacheMaxTtlMs: 30_000,

  /**
   * Logout tokens older than this (by `iat`) are refused even without `exp`.
   * Back-Channel Logout §2.4 recommends expiry within two minutes, and Keycloak
   * sets exactly that; 5 minutes tolerates a slow delivery.
   */
  logoutTokenMaxAgeSec: 5 * 60,

  /**
   * Logout `jti`s remembered for replay detection. A logout token must be
   * signed by Keycloak, so the volume is that of real logouts.
   */
  replayStoreMaxEntries: 10_000,
});

export type TokenDefaults = typeof TOKEN_DEFAULTS;
