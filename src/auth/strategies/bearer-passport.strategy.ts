import { Strategy } from 'passport-strategy';
import type { AuthPrincipal } from '../token';

/** Resolves a request to its principal or rejects with an `AuthError`. */
export type AuthenticateRequest = (request: unknown) => Promise<AuthPrincipal>;
type VerifyDone = (error: unknown, user?: AuthPrincipal | false) => void;
type Verify = (principal: AuthPrincipal, done: VerifyDone) => void;

/**
 * A plain Passport strategy for bearer JWTs. `passport-jwt` is not used for
 * verification: it re-parses the token and the key on every request and cannot
 * tell RFC 6750's `invalid_request` (400) from `invalid_token` (401). The token
 * work is done by the framework-free layer passed in as `authenticateRequest`.
 */
export class BearerJwtPassportStrategy extends Strategy {
  constructor(
    private readonly options: { authenticateRequest: AuthenticateRequest },
    private readonly verify: Verify,
  ) {
    super();
  }

  override authenticate(request: unknown): void {
    this.options.authenticateRequest(request).then(
      (principal) =>
        this.verify(principal, (error, user) => {
          if (error) this.error(error as Error);
          else if (user) this.success(user);
          else this.fail(401);
        }),
      (error: unknown) => this.error(error as Error),
    );
  }
}
