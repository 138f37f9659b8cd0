import { ArgumentsHost, Catch, ExceptionFilter, Inject, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { AuthError } from '../token';
import { CHALLENGE_REALM } from '../auth.constants';
import { bearerChallenge, errorBody } from './bearer-challenge';

/**
 * Maps the token layer's typed errors to RFC 6750 responses: the status, a
 * `WWW-Authenticate: Bearer` challenge and one JSON body shape for all of them.
 * Only the error's fixed, generic description is sent; never a message from
 * an underlying exception. Written through Nest's HTTP adapter, so it answers
 * the same on Express and on Fastify.
 */
@Catch(AuthError)
export class AuthExceptionFilter implements ExceptionFilter<AuthError> {
  private readonly logger = new Logger('Auth');
  // The challenge depends only on the realm (fixed) and the error's code and
  // description (a handful of fixed strings): built once each, not per refusal.
  private readonly challenges = new Map<string, string>();

  constructor(
    @Inject(CHALLENGE_REALM) private readonly realm: string,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  catch(error: AuthError, host: ArgumentsHost): void {
    if (host.getType() !== 'http') {
      // WebSocket and RPC transports have no status line; the call is still refused.
      throw error;
    }
    // The reason is a fixed word (e.g. `expired`, `unknown_kid`), never token content.
    this.logger.debug(`refused with ${error.status}: ${error.reason}`);
    const adapter = this.adapterHost.httpAdapter;
    const response: unknown = host.switchToHttp().getResponse();
    if (error.status === 503) {
      adapter.setHeader(response, 'Retry-After', '5');
    } else {
      adapter.setHeader(response, 'WWW-Authenticate', this.challengeFor(error));
    }
    adapter.reply(response, errorBody(error), error.status);
  }

  private challengeFor(error: AuthError): string {
    const key = `${error.code ?? ''}\n${error.description}`;
    let challenge = this.challenges.get(key);
    if (challenge === undefined) {
      challenge = bearerChallenge(this.realm, error);
      this.challenges.set(key, challenge);
    }
    return challenge;
  }
}
