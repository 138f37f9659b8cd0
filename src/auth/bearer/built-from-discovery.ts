import type { ProviderMetadata } from '../token';

/**
 * Something built from the provider's discovery document on first use, so the
 * thing that needs it can be created at start-up while Keycloak is still
 * booting. Until discovery succeeds, and yields what `build` needs, every use
 * fails with the error `unavailable` makes (a 503 for the callers here).
 */
export class BuiltFromDiscovery<T> {
  private value?: T;

  constructor(
    private readonly discover: () => Promise<ProviderMetadata>,
    private readonly build: (metadata: ProviderMetadata) => T | undefined,
    private readonly unavailable: () => Error,
  ) {}

  /** The built value, once there is one; the hot path reads this and skips the promise. */
  get current(): T | undefined {
    return this.value;
  }

  async get(): Promise<T> {
    if (this.value !== undefined) return this.value;
    let metadata: ProviderMetadata;
    try {
      metadata = await this.discover();
    } catch {
      // The discovery error names URLs and causes; callers answer with a fixed 503.
      throw this.unavailable();
    }
    // Concurrent first uses all waited on discovery; the first to get here builds.
    this.value ??= this.build(metadata);
    if (this.value === undefined) throw this.unavailable();
    return this.value;
  }
}
