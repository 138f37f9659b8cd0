/**
 * The JWS algorithms this layer can verify (RFC 7518 §3) and which keys fit
 * them. Only asymmetric algorithms exist here: `none` and HMAC are not merely
 * switched off, they are unrepresentable, so no configuration can enable them
 * (RFC 8725 §3.1, §3.2).
 */
import { constants, verify as cryptoVerify, type KeyObject, type VerifyKeyObjectInput } from 'node:crypto';

export type JwsAlgorithm =
  | 'RS256' | 'RS384' | 'RS512'
  | 'PS256' | 'PS384' | 'PS512'
  | 'ES256' | 'ES384' | 'ES512';

interface AlgorithmSpec {
  /** Digest passed to `crypto.verify`. */
  readonly hash: 'sha256' | 'sha384' | 'sha512';
  /** Key family the algorithm needs; see `keyFamily`. */
  readonly family: 'rsa' | 'ec:P-256' | 'ec:P-384' | 'ec:P-521';
  readonly pss: boolean;
  /** ECDSA signatures are fixed-length R||S (RFC 7518 §3.4), not DER. */
  readonly ecSignatureLength?: number;
}

const SPECS: Readonly<Record<JwsAlgorithm, AlgorithmSpec>> = {
  RS256: { hash: 'sha256', family: 'rsa', pss: false },
  RS384: { hash: 'sha384', family: 'rsa', pss: false },
  RS512: { hash: 'sha512', family: 'rsa', pss: false },
  PS256: { hash: 'sha256', family: 'rsa', pss: true },
  PS384: { hash: 'sha384', family: 'rsa', pss: true },
  PS512: { hash: 'sha512', family: 'rsa', pss: true },
  ES256: { hash: 'sha256', family: 'ec:P-256', pss: false, ecSignatureLength: 64 },
  ES384: { hash: 'sha384', family: 'ec:P-384', pss: false, ecSignatureLength: 96 },
  ES512: { hash: 'sha512', family: 'ec:P-521', pss: false, ecSignatureLength: 132 },
};

/** RFC 8725 §3.5 / NIST SP 800-131A: RSA keys below 2048 bits are refused. */
const MIN_RSA_MODULUS_BITS = 2048;

export function isJwsAlgorithm(value: unknown): value is JwsAlgorithm {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(SPECS, value);
}

/**
 * Validates a configured allow-list once, at construction, so a typo or an
 * HMAC algorithm stops start-up instead of failing every request.
 */
export function toAlgorithmSet(algorithms: readonly string[]): ReadonlySet<JwsAlgorithm> {
  if (algorithms.length === 0) throw new TypeError('at least one JWS algorithm must be allowed');
  for (const alg of algorithms) {
    if (!isJwsAlgorithm(alg)) {
      throw new TypeError(`JWS algorithm ${alg} is not supported (only RS*, PS*, ES*)`);
    }
  }
  return new Set(algorithms as readonly JwsAlgorithm[]);
}

const families = new WeakMap<KeyObject, string>();

/** 'rsa', 'rsa-weak', 'ec:P-256' …, computed once per key (the details getter allocates). */
function keyFamily(key: KeyObject): string {
  let family = families.get(key);
  if (family === undefined) {
    family = 'unsupported';
    if (key.type === 'public') {
      const details = key.asymmetricKeyDetails;
      if (key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss') {
        family = (details?.modulusLength ?? 0) >= MIN_RSA_MODULUS_BITS ? 'rsa' : 'rsa-weak';
      } else if (key.asymmetricKeyType === 'ec') {
        family = `ec:${curveName(details?.namedCurve)}`;
      }
    }
    families.set(key, family);
  }
  return family;
}

function curveName(nodeName: string | undefined): string {
  switch (nodeName) {
    case 'prime256v1': return 'P-256';
    case 'secp384r1': return 'P-384';
    case 'secp521r1': return 'P-521';
    default: return 'unknown';
  }
}

/** Whether `key` may verify `alg` (RFC 8725 §3.1: the key fixes the algorithm family). */
export function keyFitsAlgorithm(key: KeyObject, alg: JwsAlgorithm): boolean {
  const spec = SPECS[alg];
  if (keyFamily(key) !== spec.family) return false;
  // An `rsa-pss` key is restricted to PSS; using it for PKCS#1 v1.5 would throw.
  return !(key.asymmetricKeyType === 'rsa-pss' && !spec.pss);
}

/** Verifies a JWS signature; false for any mismatch, including a key of the wrong family. */
export function verifySignature(alg: JwsAlgorithm, key: KeyObject, signingInput: Buffer, signature: Buffer): boolean {
  const spec = SPECS[alg];
  if (!keyFitsAlgorithm(key, alg)) return false;
  if (spec.ecSignatureLength !== undefined && signature.length !== spec.ecSignatureLength) return false;
  const options: VerifyKeyObjectInput = spec.pss
    ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }
    : spec.ecSignatureLength !== undefined
      ? { key, dsaEncoding: 'ieee-p1363' }
      : { key, padding: constants.RSA_PKCS1_PADDING };
  try {
    return cryptoVerify(spec.hash, signingInput, options, signature);
  } catch {
    // OpenSSL rejects some malformed signatures by throwing rather than returning false.
    return false;
  }
}
