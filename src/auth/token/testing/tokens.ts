/**
 * Test-only helpers: locally generated keys, JWKs, and a signer that can
 * produce both honest and hostile tokens. Never exported from the barrel.
 */
import { constants, createHmac, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import type { KeySource } from '../jwt-verifier';
import type { FetchLike, FetchResponseLike } from '../fetch-json';
import type { JwsAlgorithm } from '../algorithms';

export const ISSUER = 'https://sso.example.test/realms/nest-keycloak-auth';
export const AUDIENCE = 'nest-api';

export interface TestKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

export function rsaKey(kid: string, modulusLength = 2048): TestKey {
  return { kid, ...generateKeyPairSync('rsa', { modulusLength }) };
}

export function ecKey(kid: string, namedCurve: 'P-256' | 'P-384' | 'P-521'): TestKey {
  return { kid, ...generateKeyPairSync('ec', { namedCurve }) };
}

export function jwkOf(key: TestKey, extra: Record<string, unknown> = { use: 'sig', alg: 'RS256' }): Record<string, unknown> {
  return { ...key.publicKey.export({ format: 'jwk' }), kid: key.kid, ...extra };
}

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

export interface SignOptions {
  alg?: JwsAlgorithm;
  /** Header members; `kid` defaults to the key's, `alg` to `alg`. Set a member to `undefined` to drop it. */
  header?: Record<string, unknown>;
}

/** A compact JWS signed with `key` (any RS/PS/ES algorithm). */
export function signJwt(payload: Record<string, unknown>, key: TestKey, options: SignOptions = {}): string {
  const alg = options.alg ?? 'RS256';
  const header = dropUndefined({ alg, typ: 'JWT', kid: key.kid, ...options.header });
  const signingInput = `${b64(header)}.${b64(payload)}`;
  const hashName = `sha${alg.slice(2)}`;
  const signature = alg.startsWith('PS')
    ? sign(hashName, Buffer.from(signingInput), {
        key: key.privateKey,
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
      })
    : alg.startsWith('ES')
      ? sign(hashName, Buffer.from(signingInput), { key: key.privateKey, dsaEncoding: 'ieee-p1363' })
      : sign(hashName, Buffer.from(signingInput), key.privateKey);
  return `${signingInput}.${signature.toString('base64url')}`;
}

/** The classic confusion attack: HS256 with the RSA public key (PEM) as the HMAC secret. */
export function signHs256WithPublicKey(payload: Record<string, unknown>, key: TestKey): string {
  const signingInput = `${b64({ alg: 'HS256', typ: 'JWT', kid: key.kid })}.${b64(payload)}`;
  const secret = key.publicKey.export({ format: 'pem', type: 'spki' });
  return `${signingInput}.${createHmac('sha256', secret).update(signingInput).digest('base64url')}`;
}

/** An unsigned token (`alg: none`) with a stand-in signature so it is not merely malformed. */
export function unsignedJwt(payload: Record<string, unknown>, kid: string, signature = 'AAAA'): string {
  return `${b64({ alg: 'none', typ: 'JWT', kid })}.${b64(payload)}.${signature}`;
}

/** Raw segments, for malformed-token cases. */
export function segments(header: unknown, payload: unknown): string {
  return `${b64(header)}.${b64(payload)}`;
}

export function accessClaims(nowMs: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(nowMs / 1000);
  return {
    iss: ISSUER,
    aud: [AUDIENCE, 'account'],
    sub: 'f5e1c0de-0000-4000-8000-000000000001',
    typ: 'Bearer',
    azp: 'nest-test',
    iat: now,
    exp: now + 300,
    jti: `jti-${Math.random().toString(36).slice(2)}`,
    sid: 'session-1',
    scope: 'openid profile email',
    preferred_username: 'bob',
    realm_access: { roles: ['user', 'manager'] },
    resource_access: { 'nest-api': { roles: ['reports:read'] } },
    ...extra,
  };
}

/** A key source over fixed keys, counting lookups. */
export class StaticKeySource implements KeySource {
  lookups = 0;
  constructor(private readonly keys: readonly TestKey[]) {}

  getKey(kid: string | undefined): Promise<KeyObject> {
    this.lookups++;
    const found = this.keys.find((key) => key.kid === kid);
    return found ? Promise.resolve(found.publicKey) : Promise.reject(new Error(`no key ${String(kid)}`));
  }
}

export function jsonResponse(body: unknown, status = 200): FetchResponseLike {
  return { ok: status >= 200 && status < 300, status, json: () => Promise.resolve(body) };
}

/** A fetch stub answering from a function, recording calls. */
export function stubFetch(answer: (url: string, body?: string) => FetchResponseLike | Promise<FetchResponseLike>): FetchLike & {
  calls: { url: string; method?: string; headers?: Record<string, string>; body?: string }[];
} {
  const calls: { url: string; method?: string; headers?: Record<string, string>; body?: string }[] = [];
  const fn = (async (url, init) => {
    calls.push({ url, method: init.method, headers: init.headers, body: init.body });
    return answer(url, init.body);
  }) as FetchLike & { calls: typeof calls };
  fn.calls = calls;
  return fn;
}

function dropUndefined(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, member]) => member !== undefined));
}
