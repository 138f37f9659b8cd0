/**
 * One fetched JWKS as imported keys, and the rules for picking a key:
 * by `kid`, bound to the key's declared `alg` (RFC 8725 §3.1) and to its type;
 * without a `kid` only if exactly one key fits, since trying every key would
 * turn verification into an oracle.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { isJwsAlgorithm, keyFitsAlgorithm, type JwsAlgorithm } from './algorithms';
import { InvalidTokenError } from './errors';

/** What `jwks-rsa` hands back per key: ids and the key as SPKI PEM. */
export interface ConvertedJwk {
  readonly kid?: string;
  readonly alg?: string;
  getPublicKey(): string;
}

interface StoredKey {
  readonly kid: string | undefined;
  readonly alg: JwsAlgorithm | undefined;
  readonly key: KeyObject;
  /** To recognise the same key in the next fetch. */
  readonly pem: string;
}

export class KeySet {
  private constructor(
    private readonly all: readonly StoredKey[],
    private readonly byKid: ReadonlyMap<string, readonly StoredKey[]>,
  ) {}

  /**
   * Imports the keys usable with `algorithms`. A key unchanged since `previous`
   * keeps its `KeyObject`, so each key is parsed once however often the set is
   * refetched. Throws when no key is usable.
   */
  static build(converted: readonly ConvertedJwk[], algorithms: ReadonlySet<JwsAlgorithm>, previous?: KeySet): KeySet {
    const all: StoredKey[] = [];
    const byKid = new Map<string, StoredKey[]>();
    for (const jwk of converted) {
      const alg = isJwsAlgorithm(jwk.alg) ? jwk.alg : undefined;
      const kid = jwk.kid || undefined;
      const pem = jwk.getPublicKey();
      const key = previous?.all.find((old) => old.kid === kid && old.pem === pem)?.key ?? createPublicKey(pem);
      const candidates = alg ? [alg] : [...algorithms];
      if (!candidates.some((candidate) => keyFitsAlgorithm(key, candidate))) continue;
      const stored: StoredKey = { kid, alg, key, pem };
      all.push(stored);
      if (kid !== undefined) byKid.set(kid, [...(byKid.get(kid) ?? []), stored]);
    }
    if (all.length === 0) throw new Error('the JWKS has no key usable with the allowed algorithms');
    return new KeySet(all, byKid);
  }

  get size(): number {
    return this.all.length;
  }

  hasKid(kid: string): boolean {
    return this.byKid.has(kid);
  }

  /** The key with this `kid` that may verify `alg`, if any. */
  find(kid: string, alg: JwsAlgorithm): KeyObject | undefined {
    for (const stored of this.byKid.get(kid) ?? []) {
      if (fits(stored, alg)) return stored.key;
    }
    return undefined;
  }

  /** The one key that may verify `alg`, for a token without `kid`. */
  only(alg: JwsAlgorithm): KeyObject {
    let match: KeyObject | undefined;
    for (const stored of this.all) {
      if (!fits(stored, alg)) continue;
      if (match !== undefined) throw new InvalidTokenError('ambiguous_key');
      match = stored.key;
    }
    if (match === undefined) throw new InvalidTokenError('unknown_kid');
    return match;
  }
}

/**
 * The JWKs worth converting: signing keys (`use` absent or `sig`, RFC 7517
 * §4.2) of type RSA or EC whose declared `alg`, if any, is allowed.
 */
export function usableJwks(document: unknown, algorithms: ReadonlySet<JwsAlgorithm>): unknown[] {
  const keys = typeof document === 'object' && document !== null ? (document as { keys?: unknown }).keys : undefined;
  if (!Array.isArray(keys)) throw new Error('the JWKS document has no "keys" array');
  return keys.filter((jwk: unknown) => {
    if (typeof jwk !== 'object' || jwk === null) return false;
    const { use, alg, kty } = jwk as { use?: unknown; alg?: unknown; kty?: unknown };
    if (use !== undefined && use !== 'sig') return false;
    if (kty !== 'RSA' && kty !== 'EC') return false;
    return alg === undefined || (isJwsAlgorithm(alg) && algorithms.has(alg));
  });
}

function fits(stored: StoredKey, alg: JwsAlgorithm): boolean {
  return (stored.alg === undefined || stored.alg === alg) && keyFitsAlgorithm(stored.key, alg);
}
