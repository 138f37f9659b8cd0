import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { KEYCLOAK_JWT_STRATEGY } from '../auth.constants';
import { BearerAuthenticator } from '../bearer/bearer-authenticator.service';
import type { AuthPrincipal } from '../token';
import { BearerJwtPassportStrategy } from './bearer-passport.strategy';

/** Registers the bearer strategy with Passport under `keycloak-jwt`. */
@Injectable()
export class KeycloakJwtStrategy extends PassportStrategy(BearerJwtPassportStrategy, KEYCLOAK_JWT_STRATEGY) {
  constructor(authenticator: BearerAuthenticator) {
    super({ authenticateRequest: (request: unknown) => authenticator.authenticate(request) });
  }

  /** The verified principal is the user; override in a subclass to enrich it. */
  validate(principal: AuthPrincipal): AuthPrincipal {
    return principal;
  }
}
