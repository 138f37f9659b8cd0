import {
  AuthError,
  DiscoveryError,
  InsufficientScopeError,
  IntrospectionUnavailableError,
  InvalidLogoutTokenError,
  InvalidRequestError,
  InvalidTokenError,
  KeySetUnavailableError,
  MissingCredentialsError,
} from './errors';

describe('AuthError kinds', () => {
  it.each([
    [new MissingCredentialsError(), 401, undefined],
    [new InvalidRequestError('query_token'), 400, 'invalid_request'],
    [new InvalidTokenError('expired'), 401, 'invalid_token'],
    [new InsufficientScopeError({ realm: ['admin'] }), 403, 'insufficient_scope'],
    [new KeySetUnavailableError(), 503, 'temporarily_unavailable'],
    [new IntrospectionUnavailableError(), 503, 'temporarily_unavailable'],
    [new InvalidLogoutTokenError('replayed'), 400, 'invalid_request'],
  ])('%s maps to its RFC 6750 status and code', (error, status, code) => {
    expect(error).toBeInstanceOf(AuthError);
    expect(error).toBeInstanceOf(Error);
    expect(error.status).toBe(status);
    expect(error.code).toBe(code);
    expect(error.description.length).toBeGreaterThan(0);
  });

  it('keeps the reason for logs and names the class', () => {
    const error = new InvalidTokenError('bad_signature');
    expect(error.reason).toBe('bad_signature');
    expect(error.message).toBe('bad_signature');
    expect(error.name).toBe('InvalidTokenError');
  });

  it('has a fixed description that does not depend on the reason', () => {
    expect(new InvalidTokenError('expired').description).toBe(new InvalidTokenError('wrong_issuer').description);
  });

  it('carries the required roles on InsufficientScopeError', () => {
    const error = new InsufficientScopeError({ client: { 'nest-api': ['reports:write'] } });
    expect(error.requiredRoles).toEqual({ client: { 'nest-api': ['reports:write'] } });
    expect(error.reason).toBe('insufficient_roles');
  });

  it('DiscoveryError names the URL and keeps the cause', () => {
    const cause = new Error('ECONNREFUSED');
    const error = new DiscoveryError('http://kc/.well-known/openid-configuration', 'unreachable', { cause });
    expect(error.message).toContain('http://kc/.well-known/openid-configuration');
    expect(error.cause).toBe(cause);
    expect(error).not.toBeInstanceOf(AuthError);
  });
});

describe('AuthError stack traces', () => {
  it('captures none (an expected outcome, not a fault) and leaves the global limit as it was', () => {
    const before = Error.stackTraceLimit;
    const error = new InvalidTokenError('expired');
    expect(error.stack).toBe('InvalidTokenError: expired');
    expect(Error.stackTraceLimit).toBe(before);
    expect(new Error('other').stack).toContain('\n    at ');
  });
});
