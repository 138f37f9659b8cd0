import { bearerSources, type CredentialSource } from './request-credentials';

const FORM = 'application/x-www-form-urlencoded';

describe('bearerSources', () => {
  it('passes one Authorization header through as a string', () => {
    const request: CredentialSource = { headers: { authorization: 'Bearer a' }, rawHeaders: ['Authorization', 'Bearer a'] };
    expect(bearerSources(request).authorization).toBe('Bearer a');
  });

  it.each([
    ['Express (rawHeaders on the request)', (raw: string[]): CredentialSource => ({ headers: { authorization: 'Bearer a' }, rawHeaders: raw })],
    ['Fastify (rawHeaders on request.raw)', (raw: string[]): CredentialSource => ({ headers: { authorization: 'Bearer a' }, raw: { rawHeaders: raw } })],
  ])('lists every Authorization header when there are several: %s', (_name, build) => {
    const request = build(['Host', 'x', 'Authorization', 'Bearer a', 'authorization', 'Bearer b']);
    expect(bearerSources(request).authorization).toEqual(['Bearer a', 'Bearer b']);
  });

  it('reads access_token from the query only when the URL has a query', () => {
    expect(bearerSources({ headers: {}, url: '/x?access_token=t', query: { access_token: 't' } }).queryAccessToken).toBe('t');
    expect(bearerSources({ headers: {}, url: '/x', query: { access_token: 't' } }).queryAccessToken).toBeUndefined();
  });

  it('reads access_token from a form-encoded body only, and never on GET (RFC 6750 §2.2)', () => {
    const post = (contentType: string | undefined, method = 'POST'): CredentialSource => ({
      headers: { 'content-type': contentType },
      method,
      body: { access_token: 't' },
    });
    expect(bearerSources(post(`${FORM}; charset=utf-8`)).bodyAccessToken).toBe('t');
    expect(bearerSources(post('application/json')).bodyAccessToken).toBeUndefined();
    expect(bearerSources(post(undefined)).bodyAccessToken).toBeUndefined();
    expect(bearerSources(post(FORM, 'GET')).bodyAccessToken).toBeUndefined();
  });
});
