import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { Public } from '../auth';
import { KeycloakHealthIndicator } from './keycloak.health';

@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly keycloak: KeycloakHealthIndicator,
  ) {}

  /** Liveness: the process serves HTTP. Depends on nothing, so a Keycloak outage never restarts pods. */
  @Get()
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  /** Readiness: can this instance authenticate requests right now? */
  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([() => this.keycloak.isHealthy()]);
  }
}
