/** Test-only fixtures of the session layer. Never exported from the barrel. */
import type { BrowserFlowOptions } from '../../auth-module-options';
import type { ResolvedAuthOptions } from '../../auth-options.resolver';
import { resolveBrowserSettings, type BrowserSettings } from '../browser-settings';
import type { SessionRecord } from '../session-record';

/** Settings for `nest-api` on http://localhost:3100 unless `browser` says otherwise. */
export function testBrowserSettings(browser: Partial<BrowserFlowOptions> = {}, clientId = 'nest-api'): BrowserSettings {
  return resolveBrowserSettings(testAuthOptions(browser, clientId));
}

export function testAuthOptions(browser: Partial<BrowserFlowOptions> = {}, clientId = 'nest-api'): ResolvedAuthOptions {
  return {
    clientId,
    clientSecret: 'secret',
    jwks: { cacheTtlMs: 1, cooldownMs: 1, timeoutMs: 1000 },
    browser: { enabled: true, publicBaseUrl: 'http://localhost:3100', ...browser },
  } as ResolvedAuthOptions;
}

/** A session of alice (Keycloak session kc-1) created at `now`, its access token due for refresh in 4 minutes. */
export function sessionRecord(extra: Partial<SessionRecord> = {}, now: number = Date.now()): SessionRecord {
  return {
    subject: 'alice-id',
    keycloakSessionId: 'kc-1',
    accessToken: 'at',
    accessTokenExpiresAt: now + 300_000,
    refreshAt: now + 240_000,
    refreshToken: 'rt',
    idToken: 'id',
    csrfToken: 'csrf',
    createdAt: now,
    expiresAt: now + 3_600_000,
    ...extra,
  };
}
