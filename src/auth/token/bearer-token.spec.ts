import { extractBearerToken } from './bearer-token';
import { InvalidRequestError, InvalidTokenError } from './errors';

const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln';

function reasonOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return `${(error as Error).constructor.name}:${(error as InvalidRequestError).reason}`;
  }
  return 'no error';
}

describe('extractBearerToken', () => {
  it('returns the token of an Authorization: Bearer header', () => {
    expect(extractBearerToken({ authorization: `Bearer ${TOKEN}` })).toBe(TOKEN);
  });

  it.each(['bearer', 'BEARER', 'bEaReR'])('treats the scheme %s case-insensitively', (scheme) => {
    expect(extractBearerToken({ authorization: `${scheme} ${TOKEN}` })).toBe(TOKEN);
  });

  it('accepts several spaces after the scheme (1*SP)', () => {
    expect(extractBearerToken({ authorization: `Bearer   ${TOKEN}` })).toBe(TOKEN);
  });

  it('accepts b64token characters and trailing padding', () => {
    expect(extractBearerToken({ authorization: 'Bearer a-b.c_d~e+f/g==' })).toBe('a-b.c_d~e+f/g==');
  });

  it('returns undefined without any credentials', () => {
    expect(extractBearerToken({})).toBeUndefined();
    expect(extractBearerToken({ authorization: [] })).toBeUndefined();
    expect(extractBearerToken({ authorization: '' })).toBeUndefined();
  });

  it.each(['Basic dXNlcjpwYXNz', 'Digest username="x"', 'BearerX abc', 'Bear abc'])(
    'treats another scheme (%s) as no bearer credentials',
    (authorization) => {
      expect(extractBearerToken({ authorization })).toBeUndefined();
    },
  );

  it.each(['Bearer', 'Bearer ', 'Bearer    '])('refuses a Bearer header without a token (%j)', (authorization) => {
    expect(reasonOf(() => extractBearerToken({ authorization }))).toBe('InvalidRequestError:malformed_authorization');
  });

  it.each(['Bearer abc def', 'Bearer abc\tdef', 'Bearer ab,c', 'Bearer a=b', 'Bearer "abc"', 'Bearer abc\u00e9'])(
    'refuses a token with characters outside b64token (%j)',
    (authorization) => {
      expect(reasonOf(() => extractBearerToken({ authorization }))).toBe('InvalidRequestError:malformed_authorization');
    },
  );

  it('refuses a token in the query string, even alongside a header', () => {
    expect(reasonOf(() => extractBearerToken({ queryAccessToken: TOKEN }))).toBe('InvalidRequestError:query_token');
    expect(reasonOf(() => extractBearerToken({ authorization: `Bearer ${TOKEN}`, queryAccessToken: TOKEN }))).toBe(
      'InvalidRequestError:query_token',
    );
  });

  it('refuses two Authorization headers', () => {
    expect(reasonOf(() => extractBearerToken({ authorization: [`Bearer ${TOKEN}`, `Bearer ${TOKEN}`] }))).toBe(
      'InvalidRequestError:multiple_credentials',
    );
  });

  it('accepts a single-element header list', () => {
    expect(extractBearerToken({ authorization: [`Bearer ${TOKEN}`] })).toBe(TOKEN);
  });

  it('refuses a header token together with a body token', () => {
    expect(reasonOf(() => extractBearerToken({ authorization: `Bearer ${TOKEN}`, bodyAccessToken: TOKEN }))).toBe(
      'InvalidRequestError:multiple_credentials',
    );
  });

  it('accepts a form-body token alone, and alongside a non-bearer header', () => {
    expect(extractBearerToken({ bodyAccessToken: TOKEN })).toBe(TOKEN);
    expect(extractBearerToken({ authorization: 'Basic dXNlcjpwYXNz', bodyAccessToken: TOKEN })).toBe(TOKEN);
  });

  it('refuses a repeated or non-string body token', () => {
    expect(reasonOf(() => extractBearerToken({ bodyAccessToken: [TOKEN, TOKEN] }))).toBe(
      'InvalidRequestError:multiple_credentials',
    );
    expect(reasonOf(() => extractBearerToken({ bodyAccessToken: { a: 1 } }))).toBe(
      'InvalidRequestError:malformed_authorization',
    );
    expect(reasonOf(() => extractBearerToken({ bodyAccessToken: '' }))).toBe('InvalidRequestError:malformed_authorization');
  });

  it('refuses an oversized token as invalid_token before looking at its characters', () => {
    const huge = 'a'.repeat(101);
    expect(reasonOf(() => extractBearerToken({ authorization: `Bearer ${huge}` }, 100))).toBe(
      'InvalidTokenError:token_too_large',
    );
    expect(extractBearerToken({ authorization: `Bearer ${'a'.repeat(100)}` }, 100)).toHaveLength(100);
    expect(() => extractBearerToken({ authorization: `Bearer ${'a'.repeat(9000)}` })).toThrow(InvalidTokenError);
  });
});
