import type { OpenAPIObject } from '@nestjs/swagger';
import { toRoleRequirement } from '../auth/decorators/roles.decorator';
import { describeRoles, documentAuth, PROTECTED, requiredRoles, type RouteAccess } from './auth-documentation';

function documentWith(operations: Record<string, Record<string, unknown>>): OpenAPIObject {
  const paths: OpenAPIObject['paths'] = {};
  for (const [operationId, extra] of Object.entries(operations)) {
    paths[`/${operationId}`] = { get: { operationId, responses: { '200': { description: 'ok' } }, ...extra } };
  }
  return { openapi: '3.0.0', info: { title: 't', version: '1' }, paths };
}

const opOf = (document: OpenAPIObject, id: string) => document.paths[`/${id}`].get as Record<string, any>;

describe('documentAuth', () => {
  const access: Record<string, RouteAccess> = {
    open: { kind: 'public' },
    locked: { kind: 'protected' },
    admin: { kind: 'protected', roles: toRoleRequirement(['admin']) },
    reports: { kind: 'protected', roles: toRoleRequirement([{ client: ['reports:read'] }]) },
  };
  const annotate = (document: OpenAPIObject) => documentAuth(document, (id) => access[id ?? ''], 'nest-api');

  it('gives public operations an explicit empty security list, even over a hand-written one', () => {
    const document = annotate(documentWith({ open: { security: [{ bearer: [] }] } }));
    expect(opOf(document, 'open').security).toEqual([]);
    expect(opOf(document, 'open').responses).toEqual({ '200': { description: 'ok' } });
  });

  it('offers both schemes and the RFC 6750 responses on protected operations', () => {
    const document = annotate(documentWith({ locked: {} }));
    const operation = opOf(document, 'locked');
    expect(operation.security).toEqual(PROTECTED);
    expect(Object.keys(operation.responses).sort()).toEqual(['200', '400', '401', '403', '503']);
    expect(operation.responses['401']).toEqual({ $ref: '#/components/responses/Unauthorized' });
    expect(document.components?.responses?.Unauthorized).toMatchObject({
      headers: { 'WWW-Authenticate': expect.any(Object) },
      content: { 'application/json': { example: { statusCode: 401, error: 'invalid_token' } } },
    });
    expect(document.components?.schemas?.AuthError).toMatchObject({
      required: ['statusCode', 'error', 'error_description'],
    });
    expect(operation['x-required-roles']).toBeUndefined();
  });

  it('keeps a response the controller documented itself', () => {
    const own = { description: 'custom 401' };
    const document = annotate(documentWith({ locked: { responses: { '401': own } } }));
    expect(opOf(document, 'locked').responses['401']).toEqual(own);
    expect(opOf(document, 'locked').responses['403']).toEqual({ $ref: '#/components/responses/Forbidden' });
  });

  it('writes realm roles into the description and x-required-roles', () => {
    const document = annotate(documentWith({ admin: { description: 'Admin area.' } }));
    const operation = opOf(document, 'admin');
    expect(operation['x-required-roles']).toEqual({ mode: 'any', realm: ['admin'], client: {} });
    expect(operation.description).toMatch(/^Admin area\.\n\n\*\*Requires the role:\*\* `admin` \(realm role\)/);
  });

  it("names the roles client instead of the decorator's default-client placeholder", () => {
    const operation = opOf(annotate(documentWith({ reports: {} })), 'reports');
    expect(operation['x-required-roles']).toEqual({ mode: 'any', realm: [], client: { 'nest-api': ['reports:read'] } });
    expect(operation.description).toContain('`reports:read` (client role of `nest-api`)');
  });
});

describe('requiredRoles / describeRoles', () => {
  it('merges the default client into an explicitly named one', () => {
    const requirement = toRoleRequirement([{ client: ['a'] }, { client: ['b'], clientId: 'nest-api' }]);
    expect(requiredRoles(requirement, 'nest-api').client).toEqual({ 'nest-api': ['a', 'b'] });
  });

  it('says "one of" for any-of and "all of" for all-of requirements', () => {
    expect(describeRoles(requiredRoles(toRoleRequirement(['manager', 'admin']), 'x'))).toContain(
      'Requires one of the roles:** `manager` (realm role), `admin` (realm role)',
    );
    expect(
      describeRoles(requiredRoles(toRoleRequirement([{ realm: ['user'], client: ['w'], mode: 'all' }]), 'api')),
    ).toContain('Requires all of the roles:** `user` (realm role), `w` (client role of `api`)');
  });
});
