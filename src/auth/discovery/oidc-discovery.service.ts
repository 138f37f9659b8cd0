import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryError, fetchProviderMetadata, type ProviderMetadata } from '../token';
import { RESOLVED_AUTH_OPTIONS } from '../auth.constants';
import type { ResolvedAuthOptions, ResolvedIssuer } from '../auth-options.resolver';
import { DISCOVERY_REFRESH_MS, DISCOVERY_RETRY_MS } from './discovery.constants';

interface Entry {
  metadata?: ProviderMetadata;
  fetchedAt: number;
  failedAt: number;
  inFlight?: Promise<ProviderMetadata>;
}

/**
 * Provider metadata per trusted issuer, fetched lazily, refreshed after a
 * while and served stale while Keycloak is briefly down. The API starts even
 * when Keycloak is unreachable: readiness reports it and protected routes
 * answer 503 until discovery succeeds, instead of a crash loop.
 */
@Injectable()
export class OidcDiscoveryService implements OnApplicationBootstrap {
  private readonly logger = new Logger('OidcDiscovery');
  private readonly entries = new Map<string, Entry>();

  constructor(@Inject(RESOLVED_AUTH_OPTIONS) private readonly options: ResolvedAuthOptions) {}

  onApplicationBootstrap(): void {
    // Warm the cache without holding up start-up; a failure is logged once, as one line.
    void this.metadata().catch((error: unknown) => {
      this.logger.warn(`${describe(error)}; the API is not ready until Keycloak answers`);
    });
  }

  /** The primary issuer's metadata. */
  metadata(issuer: ResolvedIssuer = this.options.primary): Promise<ProviderMetadata> {
    const entry = this.entryFor(issuer.issuer);
    const now = Date.now();
    if (entry.metadata && now - entry.fetchedAt < DISCOVERY_REFRESH_MS) return Promise.resolve(entry.metadata);
    if (entry.inFlight) return entry.metadata ? Promise.resolve(entry.metadata) : entry.inFlight;
    if (!entry.metadata && now - entry.failedAt < DISCOVERY_RETRY_MS && entry.failedAt > 0) {
      return Promise.reject(new DiscoveryError(issuer.discoveryBase, 'the provider was unreachable moments ago'));
    }
    entry.inFlight = this.fetch(issuer)
      .then((metadata) => {
        entry.metadata = metadata;
        entry.fetchedAt = Date.now();
        return metadata;
      })
      .catch((error: unknown) => {
        entry.failedAt = Date.now();
        if (entry.metadata) {
          // Keep serving what worked; try again after the retry interval.
          entry.fetchedAt = Date.now() - DISCOVERY_REFRESH_MS + DISCOVERY_RETRY_MS;
          return entry.metadata;
        }
        throw error;
      })
      .finally(() => {
        entry.inFlight = undefined;
      });
    return entry.metadata ? Promise.resolve(entry.metadata) : entry.inFlight;
  }

  /** A fresh request to the primary issuer's discovery endpoint, for readiness checks. */
  async probe(): Promise<ProviderMetadata> {
    const metadata = await this.fetch(this.options.primary);
    const entry = this.entryFor(this.options.primary.issuer);
    entry.metadata = metadata;
    entry.fetchedAt = Date.now();
    return metadata;
  }

  private fetch(issuer: ResolvedIssuer): Promise<ProviderMetadata> {
    return fetchProviderMetadata(issuer.issuer, {
      timeoutMs: this.options.jwks.timeoutMs,
      discoveryBase: issuer.discoveryBase,
    });
  }

  private entryFor(issuer: string): Entry {
    let entry = this.entries.get(issuer);
    if (!entry) {
      entry = { fetchedAt: 0, failedAt: 0 };
      this.entries.set(issuer, entry);
    }
    return entry;
  }
}

export function describe(error: unknown): string {
  return error instanceof DiscoveryError ? error.message : 'OIDC discovery failed';
}
