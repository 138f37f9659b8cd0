/**
 * OpenID Provider metadata (OIDC Discovery 1.0). Every endpoint URL of the
 * realm comes from here; the well-known path below is the one URL this
 * package builds by hand.
 */
import { TOKEN_DEFAULTS } from './defaults';
import { DiscoveryError } from './errors';
import { defaultFetch, fetchJson, type FetchLike } from './fetch-json';

/** The metadata fields this package uses, validated. */
export interface ProviderMetadata {
  readonly issuer: string;
  readonly jwks_uri: string;
  readonly authorization_endpoint: string;
  readonly token_endpoint: string;
  readonly userinfo_endpoint?: string;
  readonly end_session_endpoint?: string;
  readonly revocation_endpoint?: string;
  readonly introspection_endpoint?: string;
  readonly id_token_signing_alg_values_supported?: readonly string[];
  readonly code_challenge_methods_supported?: readonly string[];
  readonly grant_types_supported?: readonly string[];
  readonly backchannel_logout_supported?: boolean;
  readonly backchannel_logout_session_supported?: boolean;
}

export interface DiscoveryOptions {
  /**
   * Where to fetch the document from, when the provider is reached under
   * another name than its issuer (e.g. an internal host name). The document's
   * `issuer` must still equal the expected issuer. Defaults to the issuer.
   */
  discoveryBase?: string;
  timeoutMs?: number;
  fetch?: FetchLike;
}

const REQUIRED_URLS = ['jwks_uri', 'authorization_endpoint', 'token_endpoint'] as const;
const OPTIONAL_URLS = [
  'userinfo_endpoint',
  'end_session_endpoint',
  'revocation_endpoint',
  'introspection_endpoint',
] as const;
const OPTIONAL_LISTS = [
  'id_token_signing_alg_values_supported',
  'code_challenge_methods_supported',
  'grant_types_supported',
] as const;
const OPTIONAL_FLAGS = ['backchannel_logout_supported', 'backchannel_logout_session_supported'] as const;

/** OIDC Discovery §4: drop one terminating '/' of the issuer, then append the well-known path. */
export function discoveryUrl(base: string): string {
  return `${base.endsWith('/') ? base.slice(0, -1) : base}/.well-known/openid-configuration`;
}

export async function fetchProviderMetadata(issuer: string, options: DiscoveryOptions = {}): Promise<ProviderMetadata> {
  const url = discoveryUrl(options.discoveryBase ?? issuer);
  let document: unknown;
  try {
    document = await fetchJson(options.fetch ?? defaultFetch(), url, options.timeoutMs ?? TOKEN_DEFAULTS.fetchTimeoutMs);
  } catch (error) {
    throw new DiscoveryError(url, 'the provider could not be reached or did not answer with JSON', { cause: error });
  }
  return parseProviderMetadata(document, issuer, url);
}

function parseProviderMetadata(document: unknown, issuer: string, url: string): ProviderMetadata {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new DiscoveryError(url, 'the document is not a JSON object');
  }
  const fields = document as Record<string, unknown>;
  // §4.3: a mismatch means a misconfigured or impersonating provider; no normalisation.
  if (fields.issuer !== issuer) {
    throw new DiscoveryError(url, `the document's issuer does not equal ${issuer}`);
  }
  const metadata: Record<string, unknown> = { issuer };
  for (const name of REQUIRED_URLS) {
    if (!isHttpUrl(fields[name])) throw new DiscoveryError(url, `${name} is missing or not an http(s) URL`);
    metadata[name] = fields[name];
  }
  for (const name of OPTIONAL_URLS) {
    if (fields[name] === undefined) continue;
    if (!isHttpUrl(fields[name])) throw new DiscoveryError(url, `${name} is not an http(s) URL`);
    metadata[name] = fields[name];
  }
  for (const name of OPTIONAL_LISTS) {
    const value = fields[name];
    if (value === undefined) continue;
    if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
      throw new DiscoveryError(url, `${name} is not a list of strings`);
    }
    metadata[name] = Object.freeze([...value]);
  }
  for (const name of OPTIONAL_FLAGS) {
    if (fields[name] === undefined) continue;
    if (typeof fields[name] !== 'boolean') throw new DiscoveryError(url, `${name} is not a boolean`);
    metadata[name] = fields[name];
  }
  return Object.freeze(metadata) as unknown as ProviderMetadata;
}

/** An absolute http(s) URL. */
export function isHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    const { protocol } = new URL(value);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}
