import { isIssuedToken, randomToken, safeEqual, sha256 } from './secrets';

describe('secrets', () => {
  it('makes 256-bit base64url values that never repeat', () => {
    const values = new Set(Array.from({ length: 1000 }, () => randomToken()));
    expect(values.size).toBe(1000);
    for (const value of values) expect(Buffer.from(value, 'base64url')).toHaveLength(32);
  });

  it('accepts only values shaped like ones we issue', () => {
    expect(isIssuedToken(randomToken())).toBe(true);
    expect(isIssuedToken(randomToken(16))).toBe(false);
    expect(isIssuedToken(`${randomToken().slice(0, 42)}=`)).toBe(false);
    expect(isIssuedToken(`${randomToken()}x`)).toBe(false);
    expect(isIssuedToken(undefined)).toBe(false);
  });

  it('hashes to a store key that is not the value', () => {
    const value = randomToken();
    expect(sha256(value)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(sha256(value)).not.toBe(value);
    expect(sha256(value)).toBe(sha256(value));
  });

  it('compares values of any length without throwing', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
    expect(safeEqual('', 'a')).toBe(false);
  });
});
