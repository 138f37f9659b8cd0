import { constantTimeEqual } from './constant-time';

describe('constantTimeEqual', () => {
  it('is true only for equal strings, whatever their lengths', () => {
    expect(constantTimeEqual('nonce-1', 'nonce-1')).toBe(true);
    expect(constantTimeEqual('nonce-1', 'nonce-2')).toBe(false);
    expect(constantTimeEqual('nonce', 'nonce-longer')).toBe(false);
    expect(constantTimeEqual('', 'a')).toBe(false);
  });
});
