import { errorCode, parseTokenResponse } from './token-response';

describe('token endpoint responses', () => {
  it('reads a Keycloak token response', () => {
    expect(
      parseTokenResponse({
        access_token: 'a',
        token_type: 'Bearer',
        expires_in: 300,
        refresh_token: 'r',
        refresh_expires_in: 1800,
        id_token: 'i',
        'not-before-policy': 0,
      }),
    ).toEqual({ accessToken: 'a', expiresIn: 300, refreshToken: 'r', refreshExpiresIn: 1800, idToken: 'i' });
  });

  it('treats a refresh_expires_in of 0 (offline tokens) as unknown', () => {
    expect(parseTokenResponse({ access_token: 'a', token_type: 'bearer', expires_in: 60, refresh_token: 'r', refresh_expires_in: 0 }))
      .toMatchObject({ refreshToken: 'r', refreshExpiresIn: undefined });
  });

  it.each([
    ['no access token', { token_type: 'Bearer', expires_in: 300 }],
    ['another token type', { access_token: 'a', token_type: 'DPoP', expires_in: 300 }],
    ['no expires_in', { access_token: 'a', token_type: 'Bearer' }],
    ['a zero lifetime', { access_token: 'a', token_type: 'Bearer', expires_in: 0 }],
    ['a string lifetime', { access_token: 'a', token_type: 'Bearer', expires_in: '300' }],
  ])('refuses a response with %s', (_what, body) => {
    expect(parseTokenResponse(body)).toBeUndefined();
  });

  it('passes on only plain error codes, never free text', () => {
    expect(errorCode({ error: 'invalid_grant', error_description: 'Token is not active' })).toBe('invalid_grant');
    expect(errorCode({ error: 'eyJhbGciOi.eyJzdWIi.sig' })).toBeUndefined();
    expect(errorCode('<html>')).toBeUndefined();
  });
});
