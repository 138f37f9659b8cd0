import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { KEYCLOAK_JWT_STRATEGY } from '../auth.constants';
import { BearerAuthenticator } from '../bearer/bearer-authenticator.service';
import type { AuthPrincipal } from '../token';
import { BearerJwtPassportStrategy } from './bearer-passport.strategy';

/** Registers the bearer strategy with Passport under `keycloak-jwt`. */
@Injectable()
export class KeycloakJwtStrategy extends PassportStrategy(BearerJwtPassportStrategy, KEYCLOAK_JWT_STRATEGY) {
  constructor(private readonly authenticator: BearerAuthenticator) {
    super({ authenticateRequest: (request: unknown) => authenticator.authenticate(request) });
  }

  /**
   * What `passport.authenticate('keycloak-jwt')` does, without Passport's
   * per-request setup; `JwtAuthGuard` uses it for HTTP. Rejects with an `AuthError`.
   */
  verifyRequest(request: unknown): Promise<AuthPrincipal> {
    return this.authenticator.authenticate(request).then((principal) => this.validate(principal));
  }

  /** The verified principal is the user; override in a subclass to enrich it. */
  validate(principal: AuthPrincipal): AuthPrincipal {
    return principal;
  }
}
