import { randomToken, sha256 } from '../session/secrets';

/**
 * RFC 7636: a 256-bit verifier (43 base64url characters, inside the 43-128
 * allowed) and its S256 challenge, BASE64URL(SHA256(verifier)) (§4.2).
 * `plain` is never offered.
 */
export function createPkcePair(): { verifier: string; challenge: string; method: 'S256' } {
  const verifier = randomToken();
  return { verifier, challenge: sha256(verifier), method: 'S256' };
}
