/**
 * `jwks-rsa` requires `jose`, which is ESM-only; Jest on Node 20 cannot
 * `require` ESM unless jose is transformed (see the report that came with
 * this folder). Specs that load `jwks-rsa` call
 *   jest.mock('jose', () => require('./testing/jose-for-jest').joseForJest());
 * which uses the real jose when Jest can load it, and otherwise the two
 * functions jwks-rsa uses, implemented with node:crypto (same inputs, same
 * `KeyObject` results as jose's Node build).
 */
import { createPublicKey, type JsonWebKeyInput } from 'node:crypto';

export function joseForJest(): unknown {
  try {
    return jest.requireActual('jose');
  } catch {
    return {
      importJWK: (jwk: Record<string, unknown>) =>
        Promise.resolve(createPublicKey({ key: jwk, format: 'jwk' } as JsonWebKeyInput)),
      exportSPKI: () => Promise.reject(new Error('not used with KeyObjects')),
    };
  }
}
