import { toPrincipal } from './principal';
import {
  DEFAULT_CLIENT,
  hasRoles,
  requireClientRoles,
  requireDefaultClientRoles,
  requireRealmRoles,
} from './roles';

function principalWith(realm: string[], clients: Record<string, string[]>) {
  const resourceAccess = Object.fromEntries(Object.entries(clients).map(([id, roles]) => [id, { roles }]));
  return toPrincipal({ iss: 'https://sso/realms/r', sub: 's', exp: 1, realm_access: { roles: realm }, resource_access: resourceAccess });
}

describe('hasRoles', () => {
  const carol = principalWith(['user', 'admin'], {
    'nest-api': ['reports:read', 'reports:write'],
    account: ['view-profile'],
  });
  const dave = principalWith([], {});

  it('checks realm roles in any and all modes', () => {
    expect(hasRoles(carol, requireRealmRoles('admin', 'nobody'), 'any')).toBe(true);
    expect(hasRoles(carol, requireRealmRoles('admin', 'nobody'), 'all')).toBe(false);
    expect(hasRoles(carol, requireRealmRoles('admin', 'user'), 'all')).toBe(true);
    expect(hasRoles(dave, requireRealmRoles('user'))).toBe(false);
  });

  it('checks client roles whose names contain a colon', () => {
    expect(hasRoles(carol, requireClientRoles('nest-api', 'reports:write'))).toBe(true);
    expect(hasRoles(carol, requireClientRoles('account', 'reports:write'))).toBe(false);
    expect(hasRoles(carol, { client: { 'nest-api': ['reports'] } })).toBe(false);
  });

  it('does not confuse a realm role with a client role of the same name', () => {
    expect(hasRoles(carol, requireRealmRoles('reports:read'))).toBe(false);
    expect(hasRoles(carol, requireClientRoles('nest-api', 'admin'))).toBe(false);
  });

  it('combines realm and client requirements', () => {
    const required = { realm: ['admin'], client: { 'nest-api': ['reports:read'] } };
    expect(hasRoles(carol, required, 'all')).toBe(true);
    expect(hasRoles(carol, { ...required, client: { 'nest-api': ['reports:delete'] } }, 'all')).toBe(false);
    expect(hasRoles(carol, { ...required, client: { 'nest-api': ['reports:delete'] } }, 'any')).toBe(true);
  });

  it('resolves the default client through defaultClientId', () => {
    expect(requireDefaultClientRoles('reports:read')).toEqual({ client: { [DEFAULT_CLIENT]: ['reports:read'] } });
    expect(hasRoles(carol, requireDefaultClientRoles('reports:read'), 'any', 'nest-api')).toBe(true);
    expect(hasRoles(carol, requireDefaultClientRoles('reports:read'), 'any', 'account')).toBe(false);
    expect(() => hasRoles(carol, requireDefaultClientRoles('reports:read'))).toThrow(TypeError);
  });

  it('throws on a requirement naming no role instead of allowing', () => {
    expect(() => hasRoles(carol, {}, 'all')).toThrow(TypeError);
    expect(() => hasRoles(carol, { realm: [], client: { 'nest-api': [] } }, 'any')).toThrow(TypeError);
  });
});
