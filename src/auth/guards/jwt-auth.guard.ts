import { ExecutionContext, Inject, Injectable, Optional } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AuthGuard } from '@nestjs/passport';
import { KEYCLOAK_JWT_STRATEGY, SESSION_AUTHENTICATOR } from '../auth.constants';
import { MissingCredentialsError, type AuthPrincipal } from '../token';
import { credentialCarrier, type CredentialCarrier } from './credential-carrier';
import { KeycloakJwtStrategy } from '../strategies/keycloak-jwt.strategy';
import { RouteAccessPolicy } from './route-access.policy';
import type { SessionAuthenticator } from './session-authenticator';

/**
 * Authenticates every route that is not `@Public()`: a bearer access token
 * (checked by the `keycloak-jwt` Passport strategy; HTTP calls use its check
 * directly, WebSocket and RPC calls go through Passport), or, for browsers, a
 * server-side session.
 * Registered once as `APP_GUARD` by `AuthModule`; usable with `@UseGuards()`
 * when the module is imported with `globalGuard: false`.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard(KEYCLOAK_JWT_STRATEGY) {
  constructor(
    private readonly access: RouteAccessPolicy,
    private readonly strategy: KeycloakJwtStrategy,
    @Optional() @Inject(SESSION_AUTHENTICATOR) private readonly sessions?: SessionAuthenticator,
  ) {
    super();
  }

  // Non-HTTP transports get a synthetic request; remembered per call so the
  // principal Passport sets on it can be handed to the socket or message context.
  private readonly carriers = new WeakMap<ExecutionContext, CredentialCarrier>();

  // Not `async`: a bearer request costs one promise chain fewer on every protected call.
  override canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (this.access.isPublic([context.getHandler(), context.getClass()])) return true;
    if (context.getType() !== 'http') return this.authenticateViaPassport(context);

    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    if (this.sessions && request.headers.authorization === undefined) {
      return this.authenticateSessionOrBearer(request, http.getResponse<Response>());
    }
    // The strategy's own check without Passport's per-request machinery
    // (a promise, closures and a strategy clone per call): the same result,
    // and the hot path of every protected route.
    return this.strategy.verifyRequest(request).then((principal) => {
      request.user = principal;
      return true;
    });
  }

  private async authenticateSessionOrBearer(request: Request, response: Response): Promise<boolean> {
    const principal = await this.sessions?.authenticate(request, response);
    request.user = principal ?? (await this.strategy.verifyRequest(request));
    return true;
  }

  private async authenticateViaPassport(context: ExecutionContext): Promise<boolean> {
    const carrier = credentialCarrier(context);
    // An unknown transport has no place for credentials: refuse rather than guess.
    if (!carrier) throw new MissingCredentialsError();
    this.carriers.set(context, carrier);
    try {
      await super.canActivate(context);
    } finally {
      this.carriers.delete(context);
    }
    carrier.attach(carrier.request.user as AuthPrincipal);
    return true;
  }

  /** Called by Passport's path only, which HTTP requests no longer take. */
  override getRequest(context: ExecutionContext): unknown {
    const carrier = this.carriers.get(context);
    if (!carrier) throw new MissingCredentialsError();
    return carrier.request;
  }

  override handleRequest<T>(error: unknown, user: T | false): T {
    // An AuthError is answered by the filter; anything else is a bug or an
    // infrastructure fault. Either way it never authenticates.
    if (error) throw error;
    if (!user) throw new MissingCredentialsError();
    return user;
  }

}
