import { InvalidTokenError } from './errors';
import { decodeJwt, unverifiedIssuer } from './jwt';
import { rsaKey, segments, signJwt } from './testing/tokens';

const key = rsaKey('k1');
const b64 = (text: string): string => Buffer.from(text).toString('base64url');

function reasonOf(token: string, limits?: { maxTokenLength: number; maxHeaderLength: number }): string | undefined {
  try {
    decodeJwt(token, limits);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidTokenError);
    return (error as InvalidTokenError).reason;
  }
  return undefined;
}

describe('decodeJwt', () => {
  const token = signJwt({ iss: 'https://issuer', sub: 'alice' }, key);

  it('returns header, payload, signing input and signature', () => {
    const decoded = decodeJwt(token);
    expect(decoded.header).toEqual({ alg: 'RS256', typ: 'JWT', kid: 'k1' });
    expect(decoded.payload).toEqual({ iss: 'https://issuer', sub: 'alice' });
    expect(decoded.signingInput.toString()).toBe(token.slice(0, token.lastIndexOf('.')));
    expect(decoded.signature).toHaveLength(256);
    expect(unverifiedIssuer(decoded)).toBe('https://issuer');
  });

  it.each([
    ['two segments', () => token.split('.').slice(0, 2).join('.')],
    ['four segments', () => `${token}.${b64('x')}`],
    ['an empty signature', () => `${segments({ alg: 'RS256' }, {})}.`],
    ['an empty header', () => `.${token.split('.').slice(1).join('.')}`],
    ['padding', () => `${token}==`],
    ['standard base64 characters', () => token.replace(/.$/, '+')],
    ['whitespace', () => ` ${token}`],
    ['an empty string', () => ''],
  ])('refuses %s', (_name, make) => {
    expect(reasonOf(make())).toBe('malformed');
  });

  it('refuses a segment of length 4n+1', () => {
    expect(reasonOf(`${segments({ alg: 'RS256' }, {})}.AAAAA`)).toBe('malformed');
  });

  it('refuses non-canonical base64url (unused bits set in the last character)', () => {
    // "AB" encodes one byte with the low 4 bits of "B" unused; "AA" is the canonical form.
    expect(reasonOf(`${segments({ alg: 'RS256' }, {})}.AA`)).toBeUndefined();
    expect(reasonOf(`${segments({ alg: 'RS256' }, {})}.AB`)).toBe('malformed');
  });

  it.each([
    ['a non-JSON header', `${b64('not json')}.${b64('{}')}.c2ln`],
    ['a non-JSON payload', `${b64('{"alg":"RS256"}')}.${b64('{"sub":')}.c2ln`],
    ['a JSON array payload', `${b64('{"alg":"RS256"}')}.${b64('["a"]')}.c2ln`],
    ['a JSON string payload', `${b64('{"alg":"RS256"}')}.${b64('"sub"')}.c2ln`],
    ['a null header', `${b64('null')}.${b64('{}')}.c2ln`],
    ['invalid UTF-8', `${b64('{"alg":"RS256"}')}.${Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]).toString('base64url')}.c2ln`],
    ['a byte order mark', `${b64('\ufeff{"alg":"RS256"}')}.${b64('{}')}.c2ln`],
  ])('refuses %s', (_name, bad) => {
    expect(reasonOf(bad)).toBe('malformed');
  });

  it('refuses an oversized token before decoding it', () => {
    const limits = { maxTokenLength: token.length - 1, maxHeaderLength: 1024 };
    expect(reasonOf(token, limits)).toBe('token_too_large');
    expect(reasonOf(token, { maxTokenLength: token.length, maxHeaderLength: 1024 })).toBeUndefined();
  });

  it('refuses an oversized header', () => {
    const bigHeader = signJwt({}, key, { header: { x: 'y'.repeat(3000) } });
    expect(reasonOf(bigHeader)).toBe('token_too_large');
  });

  it('has no issuer when iss is not a string', () => {
    expect(unverifiedIssuer(decodeJwt(signJwt({ iss: 42 }, key)))).toBeUndefined();
  });
});
