import { safeReturnTo } from './return-to';

describe('safeReturnTo', () => {
  it('keeps same-origin paths with query and fragment', () => {
    expect(safeReturnTo('/api/profile')).toBe('/api/profile');
    expect(safeReturnTo('/reports?year=2025&q=a%20b#top')).toBe('/reports?year=2025&q=a%20b#top');
    expect(safeReturnTo('/')).toBe('/');
  });

  it.each([
    ['an absolute URL', 'https://evil.example'],
    ['an absolute URL with path', 'https://evil.example/steal?x=1'],
    ['a protocol-relative URL', '//evil.example/x'],
    ['a backslash trick', '/\\evil.example'],
    ['a backslash later on', '/a\\b'],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['a relative path', 'profile'],
    ['a tab inside //', '/\t/evil.example'],
    ['a newline', '/a\nb'],
    ['a NUL', '/a\u0000'],
    ['DEL', '/a\u007f'],
    ['an empty string', ''],
    ['an array (repeated parameter)', ['/a', '/b']],
    ['a huge value', `/${'a'.repeat(5000)}`],
  ])('refuses %s and falls back to /', (_what, value) => {
    expect(safeReturnTo(value)).toBe('/');
  });

  it('normalises dot segments but never leaves the origin', () => {
    expect(safeReturnTo('/a/../../b')).toBe('/b');
    expect(safeReturnTo('/%2F%2Fevil.example')).toBe('/%2F%2Fevil.example');
  });
});
