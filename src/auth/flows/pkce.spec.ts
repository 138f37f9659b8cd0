import { createPkcePair } from './pkce';
import { sha256 } from '../session/secrets';

describe('PKCE', () => {
  it('derives the S256 challenge of RFC 7636 Appendix B', () => {
    expect(sha256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('makes a fresh 256-bit verifier each time, with its own challenge', () => {
    const first = createPkcePair();
    const second = createPkcePair();
    expect(first.method).toBe('S256');
    expect(first.verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.verifier).not.toBe(second.verifier);
    expect(first.challenge).toBe(sha256(first.verifier));
    expect(first.challenge).not.toBe(first.verifier);
  });
});
