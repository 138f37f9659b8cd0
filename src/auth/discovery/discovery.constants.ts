/**
 * Provider metadata changes only when an operator reconfigures the realm, so
 * an hour between refreshes is plenty; it is never cached without expiry.
 */
export const DISCOVERY_REFRESH_MS = 60 * 60_000;

/** After a failed discovery, requests fail fast for this long instead of piling up. */
export const DISCOVERY_RETRY_MS = 2_000;
