import type { BearerTokenSources } from '../token';

/** The parts of an HTTP (or synthetic) request that may carry a bearer token. */
export interface CredentialSource {
  headers: { authorization?: string; 'content-type'?: string };
  rawHeaders?: string[];
  /** Fastify's request keeps Node's message (and so `rawHeaders`) here. */
  raw?: { rawHeaders?: string[] };
  method?: string;
  url?: string;
  query?: unknown;
  body?: unknown;
}

const FORM = 'application/x-www-form-urlencoded';

/**
 * Collects every place a request could carry a bearer token, so the token layer
 * can refuse ambiguous requests (RFC 6750 §3.1). Cheap on the hot path: the
 * query and body are only looked at when the request has them.
 */
export function bearerSources(request: CredentialSource): BearerTokenSources {
  return {
    authorization: authorizationValues(request),
    queryAccessToken: request.url !== undefined && request.url.includes('?') ? queryToken(request.query) : undefined,
    bodyAccessToken: formBodyToken(request),
  };
}

// Node keeps only the first of repeated Authorization headers in `headers`;
// the raw list shows whether a second one was sent.
function authorizationValues(request: CredentialSource): string | string[] | undefined {
  const first = request.headers.authorization;
  const raw = request.rawHeaders ?? request.raw?.rawHeaders;
  if (first === undefined || raw === undefined) return first;
  const values: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i];
    if (name.length === 13 && name.toLowerCase() === 'authorization') values.push(raw[i + 1]);
  }
  return values.length > 1 ? values : first;
}

function queryToken(query: unknown): unknown {
  return query !== null && typeof query === 'object' ? (query as Record<string, unknown>).access_token : undefined;
}

// RFC 6750 §2.2: only a form-encoded body of a request that has a body.
function formBodyToken(request: CredentialSource): unknown {
  if (request.method === 'GET' || request.method === 'HEAD' || request.body === undefined) return undefined;
  const contentType = request.headers['content-type'];
  if (contentType === undefined || !contentType.toLowerCase().startsWith(FORM)) return undefined;
  const body = request.body;
  return body !== null && typeof body === 'object' ? (body as Record<string, unknown>).access_token : undefined;
}
