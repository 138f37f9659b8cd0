import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { OidcDiscoveryService } from '../auth';

/** Keycloak is "up" when its discovery document answers and names the expected issuer. */
@Injectable()
export class KeycloakHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly discovery: OidcDiscoveryService,
  ) {}

  async isHealthy(key = 'keycloak') {
    const indicator = this.health.check(key);
    try {
      const metadata = await this.discovery.probe();
      return indicator.up({ issuer: metadata.issuer });
    } catch {
      // The reason is in the start-up log; the probe answer stays generic.
      return indicator.down({ message: 'discovery unreachable' });
    }
  }
}
