import { Inject, Injectable, Logger } from '@nestjs/common';
import { RESOLVED_AUTH_OPTIONS } from '../auth.constants';
import type { ResolvedAuthOptions } from '../auth-options.resolver';
import { DiscoveredKeySource } from '../bearer/discovered-key-source';
import { OidcDiscoveryService } from '../discovery/oidc-discovery.service';
import { BROWSER_SETTINGS, type BrowserSettings } from '../session/browser-settings';
import { SessionBackend } from '../session/session-backend';
import { IdTokenVerifier, LogoutTokenVerifier } from '../token';

/**
 * The token layer's ID-token and logout-token verifiers, configured for our
 * confidential client and the primary realm's keys. The logout verifier's
 * replay store is the session backend's, so with Redis a `jti` accepted by one
 * replica is refused by all.
 */
@Injectable()
export class FlowTokenVerifiers {
  readonly idTokens: IdTokenVerifier;
  readonly logoutTokens: LogoutTokenVerifier;
  private readonly logger = new Logger('FlowTokenVerifiers');

  constructor(
    @Inject(RESOLVED_AUTH_OPTIONS) options: ResolvedAuthOptions,
    @Inject(BROWSER_SETTINGS) settings: BrowserSettings,
    discovery: OidcDiscoveryService,
    backend: SessionBackend,
  ) {
    const keySource = new DiscoveredKeySource(() => discovery.metadata(options.primary), {
      algorithms: options.algorithms,
      cacheTtlMs: options.jwks.cacheTtlMs,
      cooldownMs: options.jwks.cooldownMs,
      timeoutMs: options.jwks.timeoutMs,
      onFetchError: () => this.logger.warn('JWKS fetch failed; serving the last good key set if any'),
    });
    const common = {
      issuer: options.primary.issuer,
      clientId: settings.clientId,
      keySource,
      algorithms: options.algorithms,
      clockSkewSec: options.clockSkewSeconds,
    };
    this.idTokens = new IdTokenVerifier(common);
    this.logoutTokens = new LogoutTokenVerifier({ ...common, replayStore: backend.logoutReplays });
  }
}
