import { DEFAULT_CLIENT } from '../token';
import { toRoleRequirement } from './roles.decorator';

describe('toRoleRequirement', () => {
  it('reads strings as realm roles, any-of', () => {
    expect(toRoleRequirement(['manager', 'admin'])).toEqual({ realm: ['manager', 'admin'], client: {}, mode: 'any' });
  });

  it('keeps client roles with colons intact and keys them by client', () => {
    expect(toRoleRequirement([{ client: ['reports:read'] }, { client: ['view'], clientId: 'billing' }])).toEqual({
      realm: [],
      client: { [DEFAULT_CLIENT]: ['reports:read'], billing: ['view'] },
      mode: 'any',
    });
  });

  it('switches to all-of when any spec asks for it', () => {
    expect(toRoleRequirement(['user', { realm: ['manager'], mode: 'all' }]).mode).toBe('all');
  });

  it('refuses a requirement that names no role', () => {
    expect(() => toRoleRequirement([])).toThrow('@Roles() needs at least one role');
    expect(() => toRoleRequirement([{ client: [] }])).toThrow(TypeError);
  });
});
