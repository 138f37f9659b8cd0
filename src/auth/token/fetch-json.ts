/**
 * The one way token/ talks HTTP: a fetch function (injectable, so tests need
 * no network) with a hard timeout over the whole exchange, body included.
 */

/** The part of a fetch `Response` this layer reads. */
export interface FetchResponseLike {
  readonly ok: boolean;
  readonly status: number;
  json(): Promise<unknown>;
}

export interface FetchInitLike {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  signal: AbortSignal;
}

/** `globalThis.fetch` satisfies this; tests pass a stub. */
export type FetchLike = (url: string, init: FetchInitLike) => Promise<FetchResponseLike>;

/** A non-2xx answer; carries the status for callers that distinguish them. */
export class HttpStatusError extends Error {
  constructor(
    readonly url: string,
    readonly status: number,
  ) {
    super(`HTTP ${status} from ${url}`);
    this.name = 'HttpStatusError';
  }
}

export function defaultFetch(): FetchLike {
  return (url, init) => globalThis.fetch(url, init);
}

/** GETs or POSTs `url` and parses JSON; rejects on timeout, network error, non-2xx or bad JSON. */
export async function fetchJson(
  fetchFn: FetchLike,
  url: string,
  timeoutMs: number,
  init: Omit<FetchInitLike, 'signal'> = {},
): Promise<unknown> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`timed out after ${timeoutMs} ms: ${url}`)), timeoutMs);
  try {
    const response = await abortable(fetchFn(url, { ...init, signal: controller.signal }), controller.signal);
    if (!response.ok) throw new HttpStatusError(url, response.status);
    return await abortable(response.json(), controller.signal);
  } finally {
    clearTimeout(timer);
  }
}

/** Settles on abort even if the fetch implementation ignores its signal. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
