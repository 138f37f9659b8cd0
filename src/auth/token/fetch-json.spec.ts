import { HttpStatusError, fetchJson, type FetchResponseLike } from './fetch-json';
import { jsonResponse, stubFetch } from './testing/tokens';

describe('fetchJson', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('returns the parsed body, passes method, headers and body, and clears its timer', async () => {
    const fetch = stubFetch(() => jsonResponse({ ok: 1 }));
    const body = await fetchJson(fetch, 'https://x/y', 1_000, { method: 'POST', headers: { a: 'b' }, body: 'q=1' });
    expect(body).toEqual({ ok: 1 });
    expect(fetch.calls[0]).toEqual({ url: 'https://x/y', method: 'POST', headers: { a: 'b' }, body: 'q=1' });
    expect(jest.getTimerCount()).toBe(0);
  });

  it('rejects a non-2xx answer with its status', async () => {
    const error = await fetchJson(stubFetch(() => jsonResponse({}, 502)), 'https://x/y', 1_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpStatusError);
    expect((error as HttpStatusError).status).toBe(502);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('aborts the request and rejects after the timeout, even if the fetch ignores the signal', async () => {
    let signal: AbortSignal | undefined;
    const fetch = jest.fn((_url: string, init: { signal: AbortSignal }) => {
      signal = init.signal;
      return new Promise<FetchResponseLike>(() => undefined);
    });
    const pending = fetchJson(fetch, 'https://x/y', 500).catch((e: unknown) => e);
    await jest.advanceTimersByTimeAsync(499);
    expect(signal?.aborted).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    expect(signal?.aborted).toBe(true);
    expect(String(await pending)).toContain('timed out after 500 ms');
  });

  it('times out a body that never finishes', async () => {
    const stalled: FetchResponseLike = { ok: true, status: 200, json: () => new Promise(() => undefined) };
    const pending = fetchJson(stubFetch(() => stalled), 'https://x/y', 500).catch((e: unknown) => e);
    await jest.advanceTimersByTimeAsync(500);
    expect(String(await pending)).toContain('timed out');
  });

  it('rejects when the body is not JSON', async () => {
    const broken: FetchResponseLike = { ok: true, status: 200, json: () => Promise.reject(new SyntaxError('bad json')) };
    await expect(fetchJson(stubFetch(() => broken), 'https://x/y', 500)).rejects.toThrow('bad json');
  });
});
