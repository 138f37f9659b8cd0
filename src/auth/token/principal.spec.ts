import type { JwtClaims } from './jwt-verifier';
import { clientRolesOf, toPrincipal } from './principal';

function claims(extra: Record<string, unknown> = {}): JwtClaims {
  return {
    iss: 'https://sso/realms/r',
    sub: 'user-1',
    aud: ['nest-api', 'account'],
    azp: 'nest-swagger',
    exp: 1_750_000_300,
    jti: 'jti-1',
    sid: 'sid-1',
    scope: 'openid  profile email',
    preferred_username: 'carol',
    email: 'carol@example.test',
    email_verified: true,
    name: 'Carol C',
    given_name: 'Carol',
    family_name: 'C',
    realm_access: { roles: ['user', 'admin'] },
    resource_access: { 'nest-api': { roles: ['reports:read', 'reports:write'] }, account: { roles: ['view-profile'] } },
    ...extra,
  };
}

describe('toPrincipal', () => {
  it('maps Keycloak claims to the principal', () => {
    const principal = toPrincipal(claims());
    expect(principal).toMatchObject({
      subject: 'user-1',
      username: 'carol',
      email: 'carol@example.test',
      emailVerified: true,
      name: 'Carol C',
      givenName: 'Carol',
      familyName: 'C',
      realmRoles: ['user', 'admin'],
      scopes: ['openid', 'profile', 'email'],
      issuer: 'https://sso/realms/r',
      audience: ['nest-api', 'account'],
      authorizedParty: 'nest-swagger',
      expiresAt: 1_750_000_300,
      sessionId: 'sid-1',
      tokenId: 'jti-1',
    });
    expect({ ...principal.clientRoles }).toEqual({
      'nest-api': ['reports:read', 'reports:write'],
      account: ['view-profile'],
    });
    expect(principal.claims.preferred_username).toBe('carol');
  });

  it('wraps a string aud in a list and tolerates missing optional claims', () => {
    const principal = toPrincipal({ iss: 'i', sub: 's', aud: 'nest-api', exp: 1 });
    expect(principal.audience).toEqual(['nest-api']);
    expect(principal.realmRoles).toEqual([]);
    expect(principal.scopes).toEqual([]);
    expect(principal.username).toBeUndefined();
    expect(principal.emailVerified).toBeUndefined();
  });

  it('ignores malformed role claims instead of trusting them', () => {
    const principal = toPrincipal(
      claims({ realm_access: { roles: ['ok', 7, null] }, resource_access: { a: { roles: 'admin' }, b: null } }),
    );
    expect(principal.realmRoles).toEqual(['ok']);
    expect(Object.isFrozen(principal.realmRoles)).toBe(true);
    expect(clientRolesOf(principal, 'a')).toEqual([]);
    expect(clientRolesOf(principal, 'b')).toEqual([]);
  });

  it('keeps only the strings of a mixed aud list', () => {
    const principal = toPrincipal(claims({ aud: ['nest-api', 42, 'account'] }));
    expect(principal.audience).toEqual(['nest-api', 'account']);
    expect(Object.isFrozen(principal.audience)).toBe(true);
  });

  it('freezes the principal and the claims deeply', () => {
    const principal = toPrincipal(claims());
    expect(Object.isFrozen(principal)).toBe(true);
    expect(Object.isFrozen(principal.realmRoles)).toBe(true);
    expect(Object.isFrozen(principal.claims)).toBe(true);
    expect(Object.isFrozen((principal.claims.realm_access as { roles: string[] }).roles)).toBe(true);
    expect(() => (principal.realmRoles as string[]).push('admin')).toThrow(TypeError);
  });

  it('does not read inherited properties as client roles', () => {
    const principal = toPrincipal(claims());
    expect(clientRolesOf(principal, 'constructor')).toEqual([]);
    expect(clientRolesOf(principal, '__proto__')).toEqual([]);
    expect(clientRolesOf(principal, 'nest-api')).toEqual(['reports:read', 'reports:write']);
  });
});
